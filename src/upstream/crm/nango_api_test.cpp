#include "upstream/crm/nango_api.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using Json = nlohmann::json;

NangoConnection owned_by(std::map<std::string, std::string> tags, std::string end_user_id = {},
                         std::string organization_id = {}) {
  NangoConnection connection;
  connection.tags = std::move(tags);
  connection.end_user_id = std::move(end_user_id);
  connection.end_user_organization_id = std::move(organization_id);
  return connection;
}

TEST(NangoConnectionNames, EveryOwnerFieldPresentMustNameTheTenant) {
  EXPECT_TRUE(nango_connection_names(owned_by({{"end_user_id", "7"}, {"organization_id", "7"}}), "7"));
  EXPECT_TRUE(nango_connection_names(owned_by({{"end_user_id", "7"}, {"plan", "pro"}}), "7"));
  EXPECT_TRUE(nango_connection_names(owned_by({}, "7", "7"), "7"));  // a Nango before tags
  EXPECT_TRUE(nango_connection_names(owned_by({{"organization_id", "7"}}), "7"));
}

TEST(NangoConnectionNames, AnotherTenantAMixOrNobodyIsNotTheTenants) {
  EXPECT_FALSE(nango_connection_names(owned_by({{"end_user_id", "8"}}), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({{"end_user_id", "70"}}), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({{"end_user_id", "7"}, {"organization_id", "8"}}), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({{"end_user_id", "7"}}, "8"), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({{"end_user_id", "7"}}, "7", "8"), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({}), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({{"plan", "pro"}}), "7"));
  EXPECT_FALSE(nango_connection_names(owned_by({{"end_user_id", ""}}), ""));
}

TEST(NangoEndUser, IsTheTenantIdInDecimal) { EXPECT_EQ(nango_end_user(TenantId{42}), "42"); }

TEST(HttpNangoApiTest, ConnectSessionNamesTheTenantEveryWayNangoReadsIt) {
  FakeHttpClient fake;
  fake.add(
      201,
      R"({"data":{"token":"nango_connect_session_abc","connect_link":"https://connect.nango.dev/?session_token=nango_connect_session_abc",
                   "expires_at":"2023-11-14T23:13:20.000Z"}})");
  HttpNangoApi api(fake, {.base_url = "https://nango.test/", .secret_key = "nango-secret"});
  auto session = api.create_connect_session({.end_user = "7", .allowed_integrations = {"hubspot"}});
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->token, "nango_connect_session_abc");
  EXPECT_EQ(session->connect_link, "https://connect.nango.dev/?session_token=nango_connect_session_abc");
  EXPECT_EQ(session->expires_at_ms, 1'700'003'600'000);
  EXPECT_EQ(api.base_url(), "https://nango.test");

  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "https://nango.test/connect/sessions");
  EXPECT_THAT(requests[0].headers, ::testing::Contains(std::pair<std::string, std::string>(
                                       "Authorization", "Bearer nango-secret")));
  EXPECT_EQ(Json::parse(requests[0].body), Json::parse(R"({"end_user":{"id":"7"},"organization":{"id":"7"},
      "tags":{"end_user_id":"7","organization_id":"7"},"allowed_integrations":["hubspot"]})"));
}

// The session's data was copied out of the parsed answer, and copies recurse: an answer nested
// 300,000 deep must be refused before parsing, not overflow the stack.
TEST(HttpNangoApiTest, AnAnswerNestedTooDeeplyIsMalformed) {
  const std::string deep = std::string(300'000, '[') + std::string(300'000, ']');
  FakeHttpClient fake;
  fake.add(201, R"({"data":)" + deep + "}");
  fake.add(200, R"({"credentials":{"access_token":"t"},"x":)" + deep + "}");
  HttpNangoApi api(fake, {.base_url = "https://nango.test", .secret_key = "k"});
  auto session = api.create_connect_session({.end_user = "7", .allowed_integrations = {}});
  ASSERT_FALSE(session.ok());
  EXPECT_TRUE(session.error().is(core::ErrorCode::upstream_malformed));
  auto connection = api.get_connection("c", "hubspot", false);
  ASSERT_FALSE(connection.ok());
  EXPECT_TRUE(connection.error().is(core::ErrorCode::upstream_malformed));
}

TEST(HttpNangoApiTest, ConnectSessionFailuresSayNothingOfConnections) {
  using Case = std::tuple<int, const char*, core::ErrorCode>;
  for (const auto& [status, body, code] : std::vector<Case>{
           {401, R"({"error":{"code":"unknown_account","message":"bad key"}})",
            core::ErrorCode::key_rejected},
           {400, R"({"error":{"code":"invalid_body","errors":[{"message":"Integration does not exist"}]}})",
            core::ErrorCode::upstream_error},
           {429, "{}", core::ErrorCode::rate_limited},
           {201, R"({"data":{}})", core::ErrorCode::upstream_malformed},
           {201, "not json", core::ErrorCode::upstream_malformed}}) {
    FakeHttpClient fake;
    fake.add(status, body);
    HttpNangoApi api(fake, {.base_url = "https://nango.test", .secret_key = "k"});
    auto session = api.create_connect_session({.end_user = "7", .allowed_integrations = {}});
    ASSERT_FALSE(session.ok()) << body;
    EXPECT_TRUE(session.error().is(code)) << body << ": " << session.error().code;
  }
  FakeHttpClient fake;
  fake.add(400, R"({"error":{"code":"invalid_body","errors":[{"message":"Integration does not exist"}]}})");
  HttpNangoApi api(fake, {.base_url = "https://nango.test", .secret_key = "k"});
  EXPECT_THAT(api.create_connect_session({.end_user = "7", .allowed_integrations = {}}).error().message,
              ::testing::HasSubstr("Integration does not exist"));
  EXPECT_FALSE(Json::parse(fake.requests()[0].body).contains("allowed_integrations"));
}

TEST(HttpNangoApiTest, ConnectionCarriesItsTagsAndEndUser) {
  FakeHttpClient fake;
  fake.add(200, R"({"connection_id":"c-1","provider_config_key":"hubspot","provider":"hubspot",
                   "tags":{"End_User_Id":"7","organization_id":"7","n":1},
                   "end_user":{"id":"7","organization":{"id":"7"}},
                   "credentials":{"type":"OAUTH2","access_token":"at"}})");
  HttpNangoApi api(fake, {.base_url = "https://nango.test", .secret_key = "k"});
  auto connection = api.get_connection("c-1", "hubspot", false);
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  EXPECT_EQ(connection->connection_id, "c-1");
  EXPECT_EQ(connection->provider, "hubspot");
  EXPECT_EQ(connection->tags,
            (std::map<std::string, std::string>{{"end_user_id", "7"}, {"organization_id", "7"}}));
  EXPECT_EQ(connection->end_user_id, "7");
  EXPECT_EQ(connection->end_user_organization_id, "7");
  EXPECT_EQ(connection->credentials.access_token, "at");
}

}  // namespace
}  // namespace tenantsync::upstream
