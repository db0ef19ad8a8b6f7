#include "salesforce_sim.hpp"

#include <gtest/gtest.h>

#include <set>

#include "http/message.hpp"
#include "salesforce_soql.hpp"
#include "sim_test_support.hpp"
#include "simulator.hpp"

namespace tenantsync::sim {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::make_request;

constexpr const char* kOrg = "00D000000000001AAA";
constexpr const char* kLeadFields =
    "SELECT Id, FirstName, LastName, Email, Phone, MobilePhone, Owner.Name, Owner.Email, Status, "
    "Description, LastActivityDate, SystemModstamp FROM Lead";

class SalesforceSimTest : public testing::SimulatorFixture {
 protected:
  SalesforceSimTest() {
    const auto created = control(
        "POST", "/_sim/salesforce/orgs",
        {{"org_id", kOrg},
         {"refresh_tokens", {{{"refresh_token", "rt-1"}, {"client_id", "cid"}, {"client_secret", "sec"}}}},
         {"access_token_ttl_s", 600}});
    EXPECT_EQ(created.status, 201) << created.body;
    const auto minted = control("POST", std::string("/_sim/salesforce/orgs/") + kOrg + "/access_tokens",
                                {{"access_token", "tok-1"}});
    EXPECT_EQ(minted.status, 201) << minted.body;
  }
  http::Response get(const std::string& target, const std::string& token = "tok-1",
                     const std::string& query_options = {}) {
    auto request = make_request("GET", target, token);
    request.headers["host"] = "sim.test:8080";
    if (!query_options.empty()) request.headers["sforce-query-options"] = query_options;
    return sim_.handle(request);
  }
  http::Response query(const std::string& soql, const std::string& endpoint = "query",
                       const std::string& query_options = {}) {
    return get("/services/data/v67.0/" + endpoint + "?q=" + http::url_encode(soql), "tok-1", query_options);
  }
  std::string org_path() const { return std::string("/_sim/salesforce/orgs/") + kOrg; }
};

TEST_F(SalesforceSimTest, VersionsNeedNoTokenAndListV67) {
  const auto response = get("/services/data/", "");
  ASSERT_EQ(response.status, 200);
  const json versions = body_of(response);
  ASSERT_TRUE(versions.is_array());
  EXPECT_EQ(versions.back()["version"], "67.0");
  EXPECT_EQ(versions.back()["url"], "/services/data/v67.0");
  EXPECT_EQ(versions.back()["label"], "Summer '26");
}

TEST_F(SalesforceSimTest, RefreshGrantAnswersInstanceUrlAndAWorkingToken) {
  auto request = make_request("POST", "/services/oauth2/token", {},
                              "grant_type=refresh_token&client_id=cid&client_secret=sec&refresh_token=rt-1");
  request.headers["host"] = "sim.test:8080";
  const auto response = sim_.handle(request);
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = body_of(response);
  EXPECT_EQ(body["instance_url"], "http://sim.test:8080");
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_FALSE(body.contains("expires_in"));
  EXPECT_TRUE(body["issued_at"].is_string());
  EXPECT_EQ(body["id"].get<std::string>().rfind(std::string("http://sim.test:8080/id/") + kOrg + "/005", 0),
            0u);
  const std::string token = body["access_token"];
  EXPECT_EQ(token.rfind(std::string(kOrg).substr(0, 15) + "!", 0), 0u);

  const auto info = get("/services/oauth2/userinfo", token);
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(body_of(info)["organization_id"], kOrg);
  EXPECT_EQ(body_of(info)["user_id"].get<std::string>().substr(0, 3), "005");
}

TEST_F(SalesforceSimTest, BadRefreshIsInvalidGrantAndRevokedTokensStopWorking) {
  auto refresh = [&](const std::string& form) {
    return sim_.handle(make_request("POST", "/services/oauth2/token", {}, form));
  };
  const auto unknown = refresh("grant_type=refresh_token&client_id=cid&client_secret=sec&refresh_token=nope");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(body_of(unknown),
            json({{"error", "invalid_grant"}, {"error_description", "expired access/refresh token"}}));
  EXPECT_EQ(
      body_of(refresh("grant_type=refresh_token&client_id=x&client_secret=sec&refresh_token=rt-1"))["error"],
      "invalid_client_id");
  EXPECT_EQ(body_of(refresh("grant_type=password&refresh_token=rt-1"))["error"], "unsupported_grant_type");

  ASSERT_EQ(control("DELETE", org_path() + "/refresh_tokens/rt-1").status, 200);
  EXPECT_EQ(body_of(refresh(
                "grant_type=refresh_token&client_id=cid&client_secret=sec&refresh_token=rt-1"))["error"],
            "invalid_grant");
}

TEST_F(SalesforceSimTest, AccessTokensExpireAfterTheOrgsLifetime) {
  ASSERT_EQ(query("SELECT Id FROM Organization LIMIT 1").status, 200);
  clock_.advance(std::chrono::seconds(601));
  const auto expired = query("SELECT Id FROM Organization LIMIT 1");
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(body_of(expired),
            json::array({{{"message", "Session expired or invalid"}, {"errorCode", "INVALID_SESSION_ID"}}}));
  EXPECT_EQ(get("/services/data/v67.0/query?q=x", "unknown").status, 401);

  ASSERT_EQ(control("PATCH", org_path(), {{"access_token_ttl_s", 30}}).status, 200);
  const std::string fresh = body_of(control("POST", org_path() + "/access_tokens"))["access_token"];
  EXPECT_EQ(get("/services/oauth2/userinfo", fresh).status, 200);
  ASSERT_EQ(control("POST", org_path() + "/access_tokens/expire").status, 200);
  EXPECT_EQ(get("/services/oauth2/userinfo", fresh).status, 401);
}

TEST_F(SalesforceSimTest, OrganizationQueryNamesTheOrg) {
  const auto response = query("SELECT Id FROM Organization LIMIT 1");
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = body_of(response);
  EXPECT_EQ(body["totalSize"], 1);
  EXPECT_EQ(body["done"], true);
  EXPECT_EQ(body["records"][0]["Id"], kOrg);
  EXPECT_EQ(body["records"][0]["attributes"]["type"], "Organization");
}

TEST_F(SalesforceSimTest, EveryAnswerCarriesLimitInfoAndTheLimitRefuses) {
  ASSERT_EQ(control("PATCH", org_path(), {{"api_limit", 3}, {"api_usage", 1}}).status, 200);
  const auto first = query("SELECT Id FROM Organization");
  EXPECT_EQ(header(first, "Sforce-Limit-Info"), "api-usage=2/3");
  const auto second = query("SELECT Id FROM Organization");
  EXPECT_EQ(header(second, "Sforce-Limit-Info"), "api-usage=3/3");
  const auto refused = query("SELECT Id FROM Organization");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(body_of(refused)[0]["errorCode"], "REQUEST_LIMIT_EXCEEDED");
  EXPECT_EQ(header(refused, "Sforce-Limit-Info"), "api-usage=3/3");
  const auto bad = query("SELEC Id FROM Lead");
  EXPECT_EQ(header(bad, "Sforce-Limit-Info"), "api-usage=3/3");
}

TEST_F(SalesforceSimTest, RecordsCarryAttributesAndNestedOwner) {
  const json user =
      body_of(control("POST", org_path() + "/users", {{"Name", "Rita Rep"}, {"Email", "rita@x.example"}}));
  const auto added = control("POST", org_path() + "/leads",
                             {{"FirstName", "Ada"},
                              {"LastName", "Lovelace"},
                              {"Email", "ada@x.example"},
                              {"Phone", "(415) 555-0100"},
                              {"OwnerId", user["Id"]},
                              {"LastActivityDate", "2026-09-01"},
                              {"SystemModstamp", "2026-09-01T10:00:00Z"}});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = body_of(added)["Id"];
  EXPECT_EQ(id.size(), 18u);
  EXPECT_EQ(id.substr(0, 3), "00Q");

  const auto response = query(kLeadFields);
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = body_of(response);
  ASSERT_EQ(body["totalSize"], 1);
  const json& lead = body["records"][0];
  EXPECT_EQ(lead["attributes"],
            json({{"type", "Lead"}, {"url", "/services/data/v67.0/sobjects/Lead/" + id}}));
  EXPECT_EQ(lead["Owner"]["Name"], "Rita Rep");
  EXPECT_EQ(lead["Owner"]["Email"], "rita@x.example");
  EXPECT_EQ(lead["Owner"]["attributes"]["type"], "User");
  EXPECT_EQ(lead["Status"], "Open - Not Contacted");
  EXPECT_TRUE(lead["MobilePhone"].is_null());
  EXPECT_EQ(lead["LastActivityDate"], "2026-09-01");
  EXPECT_EQ(lead["SystemModstamp"], "2026-09-01T10:00:00.000+0000");
  // Fields come back in SELECT order, after attributes.
  EXPECT_LT(response.body.find("\"Id\""), response.body.find("\"FirstName\""));
  EXPECT_LT(response.body.find("\"attributes\""), response.body.find("\"Id\""));
}

TEST_F(SalesforceSimTest, IncrementalWhereOrderByAndLimit) {
  json leads = json::array();
  for (int i = 0; i < 10; ++i)
    leads.push_back({{"LastName", "L" + std::to_string(i)},
                     {"SystemModstamp", kNow - (10 - i) * 60'000LL}});  // minute i is lead i
  ASSERT_EQ(control("POST", org_path() + "/leads", leads).status, 201);
  const std::string soql = std::string(kLeadFields) + " WHERE SystemModstamp > 2026-09-21T14:00:00Z";
  // kNow is 2026-09-21T14:13:20Z; lead i was modified at 14:03:20 + i minutes.
  const json all = body_of(query(soql + " ORDER BY SystemModstamp, Id"));
  ASSERT_EQ(all["totalSize"], 10);
  EXPECT_EQ(all["records"][0]["LastName"], "L0");
  EXPECT_EQ(all["records"][9]["LastName"], "L9");

  const json later = body_of(
      query(std::string(kLeadFields) +
            " WHERE SystemModstamp > 2026-09-21T14:08:00.000+0000 ORDER BY SystemModstamp DESC LIMIT 3"));
  EXPECT_EQ(later["totalSize"], 3);
  EXPECT_EQ(later["records"][0]["LastName"], "L9");
  EXPECT_EQ(later["records"][2]["LastName"], "L7");
}

TEST_F(SalesforceSimTest, DeletedRecordsOnlyInQueryAll) {
  const json lead = body_of(control("POST", org_path() + "/leads", {{"LastName", "Gone"}}));
  ASSERT_EQ(control("POST", org_path() + "/contacts", {{"LastName", "Stays"}}).status, 201);
  const std::string id = lead["Id"];
  clock_.advance(std::chrono::seconds(5));
  ASSERT_EQ(control("DELETE", org_path() + "/leads/" + id).status, 200);

  EXPECT_EQ(body_of(query("SELECT Id FROM Lead"))["totalSize"], 0);
  EXPECT_EQ(body_of(query("SELECT Id FROM Lead WHERE IsDeleted = true"))["totalSize"], 0);
  const json deleted =
      body_of(query("SELECT Id, IsDeleted, SystemModstamp FROM Lead WHERE IsDeleted = true AND "
                    "SystemModstamp > 2026-01-01T00:00:00Z",
                    "queryAll"));
  ASSERT_EQ(deleted["totalSize"], 1);
  EXPECT_EQ(deleted["records"][0]["Id"], id);
  EXPECT_EQ(deleted["records"][0]["IsDeleted"], true);
  EXPECT_EQ(body_of(query("SELECT Id FROM Contact", "queryAll"))["totalSize"], 1);

  ASSERT_EQ(control("PATCH", org_path() + "/leads/" + id, {{"IsDeleted", false}}).status, 200);
  EXPECT_EQ(body_of(query("SELECT Id FROM Lead"))["totalSize"], 1);
}

TEST_F(SalesforceSimTest, BatchesFollowNextRecordsUrlReadingEachRecordOnce) {
  ASSERT_EQ(control("POST", org_path() + "/generate", {{"leads", 4500}, {"owners", 3}, {"seed", 7}}).status,
            201);
  std::set<std::string> seen;
  auto response = query("SELECT Id, Owner.Name FROM Lead ORDER BY SystemModstamp, Id");
  int pages = 0;
  while (true) {
    ASSERT_EQ(response.status, 200) << response.body;
    const json body = body_of(response);
    EXPECT_EQ(body["totalSize"], 4500);
    for (const auto& record : body["records"]) EXPECT_TRUE(seen.insert(record["Id"]).second);
    ++pages;
    if (body["done"]) {
      EXPECT_FALSE(body.contains("nextRecordsUrl"));
      break;
    }
    EXPECT_EQ(body["records"].size(), 2000u);
    const std::string next = body["nextRecordsUrl"];
    ASSERT_EQ(next.rfind("/services/data/v67.0/query/01g", 0), 0u) << next;
    response = get(next);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 4500u);

  // batchSize is honoured within 200..2000 (below 200 is raised to 200).
  const json small = body_of(query("SELECT Id FROM Lead", "query", "batchSize=500"));
  EXPECT_EQ(small["records"].size(), 500u);
  EXPECT_EQ(small["done"], false);
  EXPECT_EQ(body_of(query("SELECT Id FROM Lead", "query", "batchSize=10"))["records"].size(), 200u);
}

TEST_F(SalesforceSimTest, PageFaultsUseTheLocatorOffset) {
  ASSERT_EQ(control("POST", org_path() + "/generate", {{"contacts", 2500}}).status, 201);
  ASSERT_EQ(
      control("POST", "/_sim/faults",
              {{"path_pattern", "/services/data/*/query/*"}, {"on_page", 2}, {"status", 503}, {"times", 1}})
          .status,
      201);
  const json first = body_of(query("SELECT Id FROM Contact"));
  const std::string next = first["nextRecordsUrl"];
  EXPECT_EQ(get(next).status, 503);
  const auto retried = get(next);  // the cursor survives a failed fetch
  ASSERT_EQ(retried.status, 200);
  EXPECT_EQ(body_of(retried)["records"].size(), 500u);
  EXPECT_EQ(get(next).status, 200);  // and the last page can be re-read
}

TEST_F(SalesforceSimTest, UnknownLocatorAndBadQueriesAreSalesforceErrors) {
  const auto locator = get("/services/data/v67.0/query/01gXXXXXXXXXXXXXXX-2000");
  EXPECT_EQ(locator.status, 400);
  EXPECT_EQ(body_of(locator)[0]["errorCode"], "INVALID_QUERY_LOCATOR");

  const auto malformed = query("SELECT Id FROM Lead WHERE Email = 'a' OR Email = 'b'");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(body_of(malformed)[0]["errorCode"], "MALFORMED_QUERY");
  EXPECT_EQ(
      body_of(query("SELECT Id FROM Lead WHERE SystemModstamp > '2026-01-01T00:00:00Z'"))[0]["errorCode"],
      "MALFORMED_QUERY");
  EXPECT_EQ(body_of(query("SELECT Nope FROM Lead"))[0]["errorCode"], "INVALID_FIELD");
  EXPECT_EQ(body_of(query("SELECT Status FROM Contact"))[0]["errorCode"], "INVALID_FIELD");
  EXPECT_EQ(body_of(query("SELECT Id FROM Opportunity"))[0]["errorCode"], "INVALID_TYPE");
  EXPECT_EQ(get("/services/data/v12.0/query?q=x").status, 404);
}

TEST(SalesforceSoqlTest, ParsesTheConnectorsIncrementalQuery) {
  const auto query = salesforce::parse_soql(
      "select id, owner.name FROM lead WHERE SystemModstamp >= 2026-01-01T00:00:00Z and IsDeleted = false "
      "ORDER BY SystemModstamp ASC, Id LIMIT 50");
  ASSERT_TRUE(query) << query.error().message;
  EXPECT_EQ(query->object, "Lead");
  EXPECT_EQ(query->fields, (std::vector<std::string>{"Id", "Owner.Name"}));
  ASSERT_EQ(query->where.size(), 2u);
  EXPECT_EQ(query->where[0].op, ">=");
  EXPECT_EQ(query->where[1].literal.number, 0);
  ASSERT_EQ(query->order.size(), 2u);
  EXPECT_EQ(query->limit, 50);
  EXPECT_FALSE(salesforce::parse_soql("SELECT Id FROM Lead LIMIT"));
  EXPECT_FALSE(salesforce::parse_soql("SELECT Id FROM Lead WHERE (Email = 'a')"));
  EXPECT_FALSE(salesforce::parse_soql("SELECT Id FROM Lead ORDER BY Id NULLS LAST"));
}

TEST(SalesforceIdTest, Id18AppendsTheCaseChecksum) {
  EXPECT_EQ(salesforce::id18("00D5g000004DEMO"), "00D5g000004DEMOEA4");
  EXPECT_EQ(salesforce::id18("001000000000000"), "001000000000000AAA");
}

}  // namespace
}  // namespace tenantsync::sim
