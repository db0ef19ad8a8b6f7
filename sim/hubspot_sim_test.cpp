#include "hubspot_sim.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "sim_test_support.hpp"
#include "simulator.hpp"

namespace tenantsync::sim {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::make_request;

class HubSpotSimTest : public testing::SimulatorFixture {
 protected:
  HubSpotSimTest() {
    EXPECT_EQ(call("POST", "/_sim/hubspot/portals", {},
                   {{"portal_id", 123},
                    {"tokens", {"pat-1"}},
                    {"refresh_tokens",
                     {{{"refresh_token", "rt-1"}, {"client_id", "cid"}, {"client_secret", "sec"}}}},
                    {"search_per_second", 0}})
                  .status,
              201);
  }
  http::Response search(const json& body, const std::string& token = "pat-1") {
    return call("POST", "/crm/v3/objects/contacts/search", token, body);
  }
  // Contacts 1..n, contact i modified at kNow - (n - i) minutes.
  void add_contacts(int n) {
    json list = json::array();
    for (int i = 1; i <= n; ++i)
      list.push_back({{"id", i},
                      {"createdAt", kNow - 86'400'000},
                      {"updatedAt", kNow - (n - i) * 60'000LL},
                      {"properties",
                       {{"email", "c" + std::to_string(i) + "@x.example"},
                        {"phone", "+1415555" + std::to_string(1000 + i)}}}});
    ASSERT_EQ(call("POST", "/_sim/hubspot/portals/123/contacts", {}, list).status, 201);
  }
};

TEST_F(HubSpotSimTest, AccountInfoNamesThePortalWithRateLimitHeaders) {
  const auto response = call("GET", "/account-info/v3/details", "pat-1");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response)["portalId"], 123);
  EXPECT_EQ(header(response, "X-HubSpot-RateLimit-Max"), "100");
  EXPECT_EQ(header(response, "X-HubSpot-RateLimit-Remaining"), "99");
  EXPECT_EQ(header(response, "X-HubSpot-RateLimit-Interval-Milliseconds"), "10000");
  EXPECT_EQ(header(response, "X-HubSpot-RateLimit-Daily-Remaining"), "249999");
  const auto bad = call("GET", "/account-info/v3/details", "nope");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(body_of(bad)["category"], "INVALID_AUTHENTICATION");
}

// Pages are pasted from each contact's kept rendering: a change to the contact (its properties,
// its archiving) shows in the next page, and another property list renders anew.
TEST_F(HubSpotSimTest, APageShowsAContactAsItIsNowNotAsFirstRendered) {
  add_contacts(3);
  const auto page = [&](const std::string& query) {
    const auto response = call("GET", "/crm/v3/objects/contacts?limit=10&" + query, "pat-1");
    EXPECT_EQ(response.status, 200);
    return body_of(response);
  };
  const json first = page("properties=email,phone");
  ASSERT_EQ(first["results"].size(), 3u);
  EXPECT_EQ(first["results"][1]["properties"]["email"], "c2@x.example");
  EXPECT_FALSE(first.contains("paging"));

  ASSERT_EQ(call("PATCH", "/_sim/hubspot/portals/123/contacts/2", {},
                 {{"properties", {{"email", "new@x.example"}, {"phone", nullptr}}}})
                .status,
            200);
  const json second = page("properties=email,phone");
  EXPECT_EQ(second["results"][1]["properties"]["email"], "new@x.example");
  EXPECT_TRUE(second["results"][1]["properties"]["phone"].is_null());
  EXPECT_EQ(second["results"][0], first["results"][0]);  // unchanged contacts read the same

  const json other = page("properties=phone");
  EXPECT_FALSE(other["results"][0]["properties"].contains("email"));
  EXPECT_EQ(other["results"][0]["properties"]["phone"], "+14155551001");

  ASSERT_EQ(call("DELETE", "/_sim/hubspot/portals/123/contacts/3").status, 200);
  EXPECT_EQ(page("properties=email,phone")["results"].size(), 2u);
  const json archived = page("properties=email,phone&archived=true");
  ASSERT_EQ(archived["results"].size(), 1u);
  EXPECT_EQ(archived["results"][0]["archived"], true);
  EXPECT_TRUE(archived["results"][0].contains("archivedAt"));
}

TEST_F(HubSpotSimTest, ListPagesWithAfterUntilNoPaging) {
  add_contacts(25);
  std::vector<std::string> ids;
  std::string after;
  for (int page = 0; page < 10; ++page) {
    const auto response = call("GET",
                               "/crm/v3/objects/contacts?limit=10&properties=email,phone" +
                                   (after.empty() ? std::string() : "&after=" + after),
                               "pat-1");
    ASSERT_EQ(response.status, 200);
    const json body = body_of(response);
    for (const auto& c : body["results"]) {
      ids.push_back(c["id"]);
      EXPECT_TRUE(c["properties"]["email"].is_string());
      EXPECT_FALSE(c["properties"].contains("firstname"));
    }
    if (!body.contains("paging")) break;
    after = body["paging"]["next"]["after"];
  }
  ASSERT_EQ(ids.size(), 25u);
  EXPECT_EQ(ids.front(), "1");
  EXPECT_EQ(ids.back(), "25");
  EXPECT_EQ(call("GET", "/crm/v3/objects/contacts?limit=101", "pat-1").status, 400);
}

TEST_F(HubSpotSimTest, DeletedContactsAreArchivedNotSearched) {
  add_contacts(3);
  ASSERT_EQ(call("DELETE", "/_sim/hubspot/portals/123/contacts/2").status, 200);
  EXPECT_EQ(body_of(call("GET", "/crm/v3/objects/contacts", "pat-1"))["results"].size(), 2u);
  const json archived = body_of(call("GET", "/crm/v3/objects/contacts?archived=true", "pat-1"));
  ASSERT_EQ(archived["results"].size(), 1u);
  EXPECT_EQ(archived["results"][0]["id"], "2");
  EXPECT_EQ(archived["results"][0]["archived"], true);
  EXPECT_EQ(body_of(search(json::object()))["total"], 2);
}

// A read from the top (tenantsync's first sync): ids below a bound, highest first, and ids
// compare as numbers (9 < 10), not as text.
TEST_F(HubSpotSimTest, SearchByDescendingIdBelowABound) {
  add_contacts(12);
  const json query = {
      {"filterGroups", {{{"filters", {{{"propertyName", "hs_object_id"}, {"operator", "LT"}, {"value", "11"}}}}}}},
      {"sorts", {{{"propertyName", "hs_object_id"}, {"direction", "DESCENDING"}}}},
      {"limit", 3}};
  const json body = body_of(search(query));
  EXPECT_EQ(body["total"], 10);
  std::vector<std::string> ids;
  for (const auto& c : body["results"]) ids.push_back(c["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"10", "9", "8"}));
  json at_least = query;
  at_least["filterGroups"][0]["filters"][0] = {{"propertyName", "hs_object_id"}, {"operator", "GTE"}, {"value", "9"}};
  EXPECT_EQ(body_of(search(at_least))["total"], 4);
}

TEST_F(HubSpotSimTest, IncrementalSearchOnLastModifiedDate) {
  add_contacts(30);
  // Contact 20 sits exactly on the bound and is left out (GT is strict); 21..30 are newer.
  const json query = {{"filterGroups",
                       {{{"filters",
                          {{{"propertyName", "lastmodifieddate"},
                            {"operator", "GT"},
                            {"value", std::to_string(kNow - 10 * 60'000LL)}}}}}}},
                      {"sorts", {{{"propertyName", "lastmodifieddate"}, {"direction", "ASCENDING"}}}},
                      {"properties", {"email"}},
                      {"limit", 4}};
  std::vector<std::string> ids;
  json page = query;
  for (int i = 0; i < 10; ++i) {
    const auto response = search(page);
    ASSERT_EQ(response.status, 200);
    const json body = body_of(response);
    EXPECT_EQ(body["total"], 10);
    for (const auto& c : body["results"]) ids.push_back(c["id"]);
    if (!body.contains("paging")) break;
    page["after"] = body["paging"]["next"]["after"];
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"21", "22", "23", "24", "25", "26", "27", "28", "29", "30"}));
  // ISO values work too, and a PATCH moves a contact to the end of the order.
  clock_.advance(std::chrono::minutes(1));
  ASSERT_EQ(call("PATCH", "/_sim/hubspot/portals/123/contacts/5", {}, {{"properties", {{"firstname", "Z"}}}})
                .status,
            200);
  json iso_query = query;
  iso_query["filterGroups"][0]["filters"][0]["value"] = format_iso8601(from_epoch_ms(kNow));
  const json body = body_of(search(iso_query));
  ASSERT_EQ(body["total"], 1);
  EXPECT_EQ(body["results"][0]["id"], "5");
}

TEST_F(HubSpotSimTest, SearchValidatesLimitAndStopsAtTenThousand) {
  EXPECT_EQ(search({{"limit", 201}}).status, 400);
  EXPECT_EQ(search({{"after", "9800"}, {"limit", 200}}).status, 200);
  const auto past = search({{"after", "10000"}, {"limit", 200}});
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(body_of(past)["category"], "VALIDATION_ERROR");
  json groups = json::array();
  for (int i = 0; i < 6; ++i) groups.push_back({{"filters", json::array()}});
  EXPECT_EQ(search({{"filterGroups", groups}}).status, 400);
  EXPECT_EQ(search({{"filterGroups",
                     {{{"filters",
                        {{{"propertyName", "lastmodifieddate"}, {"operator", "GT"}, {"value", "soon"}}}}}}}})
                .status,
            400);
  EXPECT_EQ(search({{"properties", std::vector<std::string>(400, "firstname")}}).status,
            400);  // body > 3,000 chars
}

TEST_F(HubSpotSimTest, TenSecondBurstLimitGives429ThenRecovers) {
  ASSERT_EQ(call("PATCH", "/_sim/hubspot/portals/123", {}, {{"burst_max", 3}}).status, 200);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call("GET", "/crm/v3/owners", "pat-1").status, 200);
  const auto limited = call("GET", "/crm/v3/owners", "pat-1");
  EXPECT_EQ(limited.status, 429);
  const json body = body_of(limited);
  EXPECT_EQ(body["errorType"], "RATE_LIMIT");
  EXPECT_EQ(body["policyName"], "TEN_SECONDLY_ROLLING");
  EXPECT_EQ(header(limited, "X-HubSpot-RateLimit-Remaining"), "0");
  clock_.advance(std::chrono::seconds(10));
  EXPECT_EQ(call("GET", "/crm/v3/owners", "pat-1").status, 200);
}

TEST_F(HubSpotSimTest, SearchHasItsOwnPerSecondLimitAndNoHeaders) {
  ASSERT_EQ(call("PATCH", "/_sim/hubspot/portals/123", {}, {{"search_per_second", 2}}).status, 200);
  const auto first = search(json::object());
  EXPECT_EQ(first.status, 200);
  EXPECT_TRUE(first.headers.empty());
  EXPECT_EQ(search(json::object()).status, 200);
  EXPECT_EQ(body_of(search(json::object()))["policyName"], "SECONDLY");
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(search(json::object()).status, 200);
}

TEST_F(HubSpotSimTest, RefreshIssuesExpiringAccessTokens) {
  const auto form = "grant_type=refresh_token&client_id=cid&client_secret=sec&refresh_token=rt-1";
  auto response = sim_.handle(make_request("POST", "/oauth/v1/token", {}, form));
  ASSERT_EQ(response.status, 200);
  const json grant = body_of(response);
  EXPECT_EQ(grant["expires_in"], 1800);
  EXPECT_EQ(grant["refresh_token"], "rt-1");
  const std::string access = grant["access_token"];
  EXPECT_EQ(call("GET", "/account-info/v3/details", access).status, 200);
  clock_.advance(std::chrono::seconds(1801));
  response = call("GET", "/account-info/v3/details", access);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(body_of(response)["category"], "EXPIRED_AUTHENTICATION");

  response =
      sim_.handle(make_request("POST", "/oauth/v1/token", {},
                               "grant_type=refresh_token&client_id=cid&client_secret=sec&refresh_token=bad"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(body_of(response)["status"], "BAD_REFRESH_TOKEN");
  response =
      sim_.handle(make_request("POST", "/oauth/v3/token", {},
                               "grant_type=refresh_token&client_id=cid&client_secret=sec&refresh_token=bad"));
  EXPECT_EQ(body_of(response)["error"], "invalid_grant");
  response = sim_.handle(
      make_request("POST", "/oauth/v1/token", {},
                   "grant_type=refresh_token&client_id=cid&client_secret=wrong&refresh_token=rt-1"));
  EXPECT_EQ(body_of(response)["status"], "BAD_CLIENT_SECRET");
  // A revoked refresh token is refused: the connection needs re-auth.
  ASSERT_EQ(call("DELETE", "/_sim/hubspot/portals/123/refresh_tokens/rt-1").status, 200);
  EXPECT_EQ(sim_.handle(make_request("POST", "/oauth/v1/token", {}, form)).status, 400);
}

TEST_F(HubSpotSimTest, OwnersIncludingArchivedOnes) {
  ASSERT_EQ(
      call("POST", "/_sim/hubspot/portals/123/owners", {},
           json::array({{{"id", "11"}, {"email", "a@s.example"}}, {{"id", "12"}, {"email", "b@s.example"}}}))
          .status,
      201);
  ASSERT_EQ(call("DELETE", "/_sim/hubspot/portals/123/owners/12").status, 200);
  const json active = body_of(call("GET", "/crm/v3/owners", "pat-1"))["results"];
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]["email"], "a@s.example");
  const json archived = body_of(call("GET", "/crm/v3/owners?archived=true", "pat-1"))["results"];
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(archived[0]["id"], "12");
}

TEST_F(HubSpotSimTest, GenerateIsDeterministicAndPageFaultsUseTheCursor) {
  ASSERT_EQ(call("POST", "/_sim/hubspot/portals/123/contacts/generate", {},
                 {{"contacts", 250}, {"owners", 3}, {"seed", 9}})
                .status,
            201);
  const json first = body_of(call("GET", "/_sim/hubspot/portals/123/contacts"));
  ASSERT_EQ(first.size(), 250u);
  EXPECT_TRUE(first[0]["properties"].contains("hubspot_owner_id"));
  ASSERT_EQ(
      call("POST", "/_sim/faults", {},
           {{"path_pattern", "/crm/v3/objects/contacts"}, {"method", "GET"}, {"on_page", 2}, {"status", 502}})
          .status,
      201);
  const json page1 = body_of(call("GET", "/crm/v3/objects/contacts?limit=100", "pat-1"));
  const std::string after = page1["paging"]["next"]["after"];
  EXPECT_EQ(call("GET", "/crm/v3/objects/contacts?limit=100&after=" + after, "pat-1").status, 502);

  ASSERT_EQ(call("POST", "/_sim/reset").status, 200);
  ASSERT_EQ(call("POST", "/_sim/hubspot/portals", {}, {{"portal_id", 123}}).status, 201);
  ASSERT_EQ(call("POST", "/_sim/hubspot/portals/123/contacts/generate", {},
                 {{"contacts", 250}, {"owners", 3}, {"seed", 9}})
                .status,
            201);
  EXPECT_EQ(body_of(call("GET", "/_sim/hubspot/portals/123/contacts")), first);
}

}  // namespace
}  // namespace tenantsync::sim
