#include "nango_sim.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "demo_seed.hpp"
#include "sim_test_support.hpp"
#include "simulator.hpp"

namespace tenantsync::sim {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::make_request;

class NangoSimTest : public testing::SimulatorFixture {
 protected:
  NangoSimTest() {
    EXPECT_TRUE(seed_demo(sim_.hubspot()));
    EXPECT_TRUE(seed_demo(sim_.salesforce()));
    EXPECT_TRUE(seed_demo(sim_.nango()));
  }
  http::Response get(const std::string& target, const std::string& token = "nango-demo-secret") {
    auto request = make_request("GET", target, token);
    request.headers["host"] = "sim.test:9000";
    return sim_.handle(request);
  }
};

TEST_F(NangoSimTest, HubSpotConnectionHandsOutATokenThePortalAccepts) {
  const auto response = get("/connections/demo-hubspot?provider_config_key=hubspot");
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = body_of(response);
  EXPECT_EQ(body["connection_id"], "demo-hubspot");
  EXPECT_EQ(body["provider_config_key"], "hubspot");
  EXPECT_EQ(body["provider"], "hubspot");
  EXPECT_EQ(body["connection_config"]["portalId"], 4000001);
  EXPECT_EQ(body["credentials"]["type"], "OAUTH2");
  EXPECT_TRUE(body["credentials"]["expires_at"].is_string());
  const std::string token = body["credentials"]["access_token"];
  EXPECT_EQ(body["credentials"]["raw"]["access_token"], token);

  const auto account = get("/account-info/v3/details", token);
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(body_of(account)["portalId"], 4000001);
  // The deprecated path answers the same connection.
  EXPECT_EQ(body_of(get("/connection/demo-hubspot?provider_config_key=hubspot"))["connection_id"],
            "demo-hubspot");
}

TEST_F(NangoSimTest, SalesforceConnectionPointsAtTheSimAsInstanceUrl) {
  const auto response = get("/connections/demo-salesforce?provider_config_key=salesforce");
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = body_of(response);
  EXPECT_EQ(body["connection_config"]["instance_url"], "http://sim.test:9000");
  const std::string token = body["credentials"]["access_token"];
  const auto info = get("/services/oauth2/userinfo", token);
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(body_of(info)["organization_id"], kDemoSalesforceOrgId);
  const auto leads = get("/services/data/v67.0/query?q=SELECT+Id+FROM+Lead", token);
  ASSERT_EQ(leads.status, 200);
  EXPECT_EQ(body_of(leads)["totalSize"], 12);
}

TEST_F(NangoSimTest, ExpiringTokensAreRefreshedOnFetch) {
  const std::string first =
      body_of(get("/connections/demo-hubspot?provider_config_key=hubspot"))["credentials"]["access_token"];
  EXPECT_EQ(
      body_of(get("/connections/demo-hubspot?provider_config_key=hubspot"))["credentials"]["access_token"],
      first);
  clock_.advance(std::chrono::minutes(29));  // HubSpot tokens live 30 minutes: within the margin
  const std::string second =
      body_of(get("/connections/demo-hubspot?provider_config_key=hubspot"))["credentials"]["access_token"];
  EXPECT_NE(second, first);
  EXPECT_EQ(get("/account-info/v3/details", second).status, 200);

  // Expired at the provider (control API): the next fetch refreshes too.
  ASSERT_EQ(control("POST", "/_sim/hubspot/portals/4000001/access_tokens/expire").status, 200);
  const std::string third =
      body_of(get("/connections/demo-hubspot?provider_config_key=hubspot"))["credentials"]["access_token"];
  EXPECT_NE(third, second);
  EXPECT_EQ(get("/account-info/v3/details", third).status, 200);
}

TEST_F(NangoSimTest, ErrorsAreNangoShaped) {
  const auto bad_key = get("/connections/demo-hubspot?provider_config_key=hubspot", "wrong");
  EXPECT_EQ(bad_key.status, 401);
  EXPECT_TRUE(body_of(bad_key)["error"]["code"].is_string());
  EXPECT_TRUE(body_of(bad_key)["error"]["message"].is_string());
  EXPECT_EQ(get("/connections/demo-hubspot?provider_config_key=hubspot", "nango-sim-secret").status, 200);

  const auto unknown = get("/connections/nope?provider_config_key=hubspot");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body_of(unknown)["error"]["code"], "unknown_connection");
  EXPECT_EQ(get("/connections/demo-hubspot?provider_config_key=salesforce").status, 404);
  EXPECT_EQ(get("/connections/demo-hubspot").status, 400);

  ASSERT_EQ(control("PATCH", "/_sim/nango/connections/demo-salesforce", {{"refresh_exhausted", true}}).status,
            200);
  const auto exhausted = get("/connections/demo-salesforce?provider_config_key=salesforce");
  EXPECT_EQ(exhausted.status, 424);
  EXPECT_EQ(body_of(exhausted)["error"]["code"], "refresh_exhausted");
}

TEST_F(NangoSimTest, ControlCreatesConnectionsOnlyForExistingAccounts) {
  EXPECT_EQ(control("POST", "/_sim/nango/connections",
                    {{"connection_id", "c-1"}, {"provider", "hubspot"}, {"portal_id", 999}})
                .status,
            404);
  EXPECT_EQ(control("POST", "/_sim/nango/connections", {{"connection_id", "c-1"}, {"provider", "pipedrive"}})
                .status,
            400);
  const auto created = control("POST", "/_sim/nango/connections",
                               {{"connection_id", "c-1"},
                                {"provider", "salesforce"},
                                {"provider_config_key", "sf-prod"},
                                {"org_id", kDemoSalesforceOrgId},
                                {"token_ttl_s", 900}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(control("POST", "/_sim/nango/connections",
                    {{"connection_id", "c-1"}, {"provider", "hubspot"}, {"portal_id", 4000001}})
                .status,
            409);
  EXPECT_EQ(get("/connections/c-1?provider_config_key=sf-prod").status, 200);
  EXPECT_EQ(control("DELETE", "/_sim/nango/connections/c-1").status, 200);
  EXPECT_EQ(get("/connections/c-1?provider_config_key=sf-prod").status, 404);
}

// Connect sessions: what tenantsync's server asks for and what Connect UI does with the token.
class NangoConnectTest : public NangoSimTest {
 protected:
  http::Response post(const std::string& target, const json& body,
                      const std::string& token = "nango-demo-secret") {
    auto request = make_request("POST", target, token, body.dump());
    request.headers["host"] = "sim.test:9000";
    return sim_.handle(request);
  }
  /// A session for end user "7" (tenantsync's shape); its token.
  std::string session(const json& allowed = json::array({"hubspot"})) {
    const auto created =
        post("/connect/sessions", {{"end_user", {{"id", "7"}}},
                                   {"organization", {{"id", "7"}}},
                                   {"tags", {{"end_user_id", "7"}, {"organization_id", "7"}}},
                                   {"allowed_integrations", allowed}});
    EXPECT_EQ(created.status, 201) << created.body;
    return body_of(created)["data"]["token"];
  }
};

TEST_F(NangoConnectTest, ASessionNeedsTheSecretKeyAndLivesThirtyMinutes) {
  EXPECT_EQ(post("/connect/sessions", {{"tags", {{"end_user_id", "7"}}}}, "").status, 401);
  EXPECT_EQ(post("/connect/sessions", {{"tags", {{"end_user_id", "7"}}}}, "wrong-key").status, 401);
  const auto created = post("/connect/sessions", {{"tags", {{"end_user_id", "7"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json data = body_of(created)["data"];
  const std::string token = data["token"];
  EXPECT_TRUE(token.starts_with("nango_connect_session_")) << token;
  EXPECT_EQ(token.size(), std::string("nango_connect_session_").size() + 64);
  EXPECT_EQ(data["connect_link"], "http://sim.test:9000/connect-ui/?session_token=" + token);
  EXPECT_EQ(data["expires_at"], format_iso8601(from_epoch_ms(kNow + 30 * 60'000)));

  const auto shown = get("/connect/session", token);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(body_of(shown)["data"]["tags"], json({{"end_user_id", "7"}}));
  EXPECT_TRUE(body_of(shown)["data"]["allowed_integrations"].is_null());
  EXPECT_EQ(get("/connect/session", "nango-demo-secret").status, 401);  // a secret key is no session token

  clock_.advance(std::chrono::minutes(30));
  const auto expired = get("/connect/session", token);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(body_of(expired)["error"]["code"], "unknown_connect_session_token");
  EXPECT_EQ(post("/connect/sim/connections", {{"portal_id", 4000001}}, token).status, 401);
  EXPECT_EQ(
      control("POST", "/_sim/nango/connect_sessions/" + token + "/connections", {{"portal_id", 4000001}})
          .status,
      409);
}

TEST_F(NangoConnectTest, TagsAreBuiltFromEndUserAndOrganizationAndTheRequestsTagsWin) {
  const auto created =
      post("/connect/sessions",
           {{"end_user",
             {{"id", "u-1"}, {"email", "a@b.test"}, {"display_name", "Ann"}, {"tags", {{"Plan", "pro"}}}}},
            {"organization", {{"id", "org-1"}, {"display_name", "Acme"}}},
            {"tags", {{"organization_id", "org-2"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = body_of(created)["data"]["token"];
  EXPECT_EQ(body_of(get("/connect/session", token))["data"]["tags"],
            json({{"end_user_id", "u-1"},
                  {"end_user_email", "a@b.test"},
                  {"end_user_display_name", "Ann"},
                  {"organization_id", "org-2"},
                  {"organization_display_name", "Acme"},
                  {"plan", "pro"}}));
}

TEST_F(NangoConnectTest, BodiesNangoRefusesAre400InvalidBody) {
  json eleven = json::object();
  for (int i = 0; i < 11; ++i) eleven["k" + std::to_string(i)] = "v";
  for (const json& body :
       {json::array(), json({{"tags", {{"end_user_id", "7"}}}, {"tenant", "7"}}),
        json({{"end_user", {{"email", "a@b.test"}}}}), json({{"end_user", {{"id", ""}}}}),
        json({{"tags", {{"1st", "x"}}}}), json({{"tags", {{"a b", "x"}}}}), json({{"tags", {{"k", ""}}}}),
        json({{"tags", {{"k", 1}}}}), json({{"tags", eleven}}),
        json({{"tags", {{"end_user_id", "7"}}}, {"allowed_integrations", json::array({"pipedrive"})}}),
        json({{"allowed_integrations", json::array({"hubspot"})}}), json::object()}) {
    const auto refused = post("/connect/sessions", body);
    EXPECT_EQ(refused.status, 400) << body.dump() << " " << refused.body;
    EXPECT_EQ(body_of(refused)["error"]["code"], "invalid_body") << body.dump();
  }
}

TEST_F(NangoConnectTest, TheConsentMakesAConnectionThatCarriesTheSessionsTagsAndEndUser) {
  const std::string token = session();
  const auto made = post("/connect/sim/connections", {{"portal_id", "4000001"}}, token);
  ASSERT_EQ(made.status, 200) << made.body;
  const json answer = body_of(made);
  EXPECT_EQ(answer["providerConfigKey"], "hubspot");
  const std::string id = answer["connectionId"];
  EXPECT_EQ(id.size(), 36u) << "a random UUID, as Nango's";

  const auto fetched = get("/connections/" + id + "?provider_config_key=hubspot");
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  const json connection = body_of(fetched);
  EXPECT_EQ(connection["tags"], json({{"end_user_id", "7"}, {"organization_id", "7"}}));
  EXPECT_EQ(connection["end_user"]["id"], "7");
  EXPECT_EQ(connection["end_user"]["organization"]["id"], "7");
  EXPECT_EQ(connection["connection_config"]["portalId"], 4000001);
  // A token the portal accepts.
  EXPECT_EQ(get("/account-info/v3/details", connection["credentials"]["access_token"]).status, 200);
  // Demo connections, made without a session, have no tags and no end user.
  const json demo = body_of(get("/connections/demo-hubspot?provider_config_key=hubspot"));
  EXPECT_EQ(demo["tags"], json::object());
  EXPECT_TRUE(demo["end_user"].is_null());

  const json seen = body_of(control("GET", "/_sim/nango/connect_sessions/" + token));
  EXPECT_EQ(seen["connection_ids"], json::array({id}));
}

TEST_F(NangoConnectTest, TheConsentKeepsToTheSessionsIntegrationsAndRealAccounts) {
  const std::string token = session();
  for (const json& body :
       {json({{"provider_config_key", "salesforce"}, {"org_id", "00D5g000004DEMOEA4"}}),
        json({{"provider_config_key", "pipedrive"}}), json({{"portal_id", "x"}}), json({{"portal_id", 1}})}) {
    const auto refused = post("/connect/sim/connections", body, token);
    EXPECT_EQ(refused.status, 400) << body.dump() << " " << refused.body;
  }
  const std::string any = session(json::array());
  EXPECT_EQ(post("/connect/sim/connections", {{"portal_id", 4000001}}, any).status, 400)
      << "several integrations: the key is needed";
  EXPECT_EQ(post("/connect/sim/connections",
                 {{"provider_config_key", "salesforce"}, {"org_id", "00D5g000004DEMOEA4"}}, any)
                .status,
            200);
}

TEST_F(NangoConnectTest, TheControlApiFinishesASessionAndTagsCanBeEdited) {
  const std::string token = session();
  EXPECT_EQ(control("POST", "/_sim/nango/connect_sessions/nango_connect_session_none/connections").status,
            404);
  const auto made =
      control("POST", "/_sim/nango/connect_sessions/" + token + "/connections", {{"portal_id", 4000001}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = body_of(made)["connection_id"];
  EXPECT_EQ(body_of(made)["tags"]["end_user_id"], "7");
  const auto patched = control("PATCH", "/_sim/nango/connections/" + id, {{"tags", {{"End_User_Id", "8"}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(body_of(get("/connections/" + id + "?provider_config_key=hubspot"))["tags"],
            json({{"end_user_id", "8"}}));
  EXPECT_EQ(control("PATCH", "/_sim/nango/connections/" + id, {{"tags", {{"a b", "x"}}}}).status, 400);
  ASSERT_EQ(control("PATCH", "/_sim/nango/connect_sessions/" + token, {{"expire", true}}).status, 200);
  EXPECT_EQ(get("/connect/session", token).status, 401);
}

TEST_F(NangoConnectTest, TheConnectPageSpeaksTheFrontendSdksProtocol) {
  const auto page = get("/connect-ui/?session_token=x", "");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  for (const char* part : {"type: 'ready'", "'session_token'", "type: 'connect'", "type: 'close'",
                           "/connect/sim/connections", "/connect/session"})
    EXPECT_NE(page.body.find(part), std::string::npos) << part;
}

}  // namespace
}  // namespace tenantsync::sim
