#include "nango_sim.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tenantsync::sim
