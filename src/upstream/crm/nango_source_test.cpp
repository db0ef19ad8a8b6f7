#include "upstream/crm/nango_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "support/fake_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

NangoOptions nango() {
  return {.base_url = "https://nango.test/",
          .secret_key = "nango-secret",
          .connection_id = "tenant 7",
          .provider_config_key = "salesforce",
          .end_user = "7"};
}

TEST(NangoSourceTest, FetchesOnEveryGetAndReadsTheConnection) {
  FakeHttpClient fake;
  const std::string body =
      R"({"connection_id":"tenant 7","provider_config_key":"salesforce","provider":"salesforce",
      "tags":{"end_user_id":"7","organization_id":"7"},
      "connection_config":{"instance_url":"https://acme.my.salesforce.com"},
      "credentials":{"type":"OAUTH2","access_token":"00D!nango","refresh_token":"rt","expires_at":"2023-11-14T23:13:20.000Z",
                     "raw":{"instance_url":"https://ignored.example"}}})";
  fake.add(200, body);
  fake.add(200, body);
  NangoSource source(fake, nango());
  auto credentials = source.get(false);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_token, "00D!nango");
  EXPECT_EQ(credentials->instance_url, "https://acme.my.salesforce.com");
  EXPECT_EQ(credentials->expires_at_ms, 1'700'003'600'000);
  ASSERT_TRUE(source.get(true).ok());
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, "https://nango.test/connections/tenant%207?provider_config_key=salesforce");
  EXPECT_THAT(requests[0].headers, ::testing::Contains(std::pair<std::string, std::string>(
                                       "Authorization", "Bearer nango-secret")));
  EXPECT_THAT(requests[1].url, HasSubstr("&force_refresh=true"));
  EXPECT_FALSE(source.refreshed_since_load());
}

TEST(NangoSourceTest, HubSpotPortalAndInstanceFromRaw) {
  FakeHttpClient fake;
  fake.add(200, R"({"tags":{"end_user_id":"7"},"connection_config":{"portalId":62515},
                   "credentials":{"type":"OAUTH2","access_token":"hs-at","raw":{"instance_url":"https://raw.example"}}})");
  fake.add(
      200,
      R"({"end_user":{"id":"7"},"connection_config":{},"credentials":{"type":"API_KEY","apiKey":"pat-key"}})");
  NangoSource source(fake, nango());
  auto credentials = source.get(false);
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->account_id, "62515");
  EXPECT_EQ(credentials->instance_url, "https://raw.example");
  EXPECT_EQ(credentials->expires_at_ms, 0);
  EXPECT_EQ(source.get(false)->access_token, "pat-key");
}

TEST(NangoSourceTest, AConnectionThatNamesAnotherTenantOrNoneGivesNoToken) {
  for (const char* owner : {R"("tags":{"end_user_id":"8"},)", R"("tags":{},)", "",
                            R"("tags":{"end_user_id":"7","organization_id":"8"},)",
                            R"("tags":{"end_user_id":"7"},"end_user":{"id":"70"},)"}) {
    FakeHttpClient fake;
    fake.add(200,
             std::string("{") + owner + R"("credentials":{"type":"OAUTH2","access_token":"someone-elses"}})");
    NangoSource source(fake, nango());
    auto credentials = source.get(false);
    ASSERT_FALSE(credentials.ok()) << owner;
    EXPECT_TRUE(credentials.error().is(core::ErrorCode::needs_reauth)) << owner;
    EXPECT_EQ(credentials.error().message,
              "Reconnect your CRM: this Nango connection is not bound to this account.");
  }
}

TEST(NangoSourceTest, ExhaustedOrMissingConnectionNeedsReauth) {
  // Nango's answer (status, body) → the code the run fails with.
  using Case = std::tuple<int, const char*, core::ErrorCode>;
  for (const auto& [status, body, code] : std::vector<Case>{
           {424,
            R"({"error":{"code":"refresh_token_external_error","message":"The refresh token was revoked"}})",
            core::ErrorCode::needs_reauth},
           {404, R"({"error":{"code":"unknown_connection","message":"No connection matching the id"}})",
            core::ErrorCode::needs_reauth},
           {400, R"({"error":"Missing connection","type":"missing_connection"})",
            core::ErrorCode::needs_reauth},
           {401, R"({"error":{"code":"unknown_account","message":"Authentication failed"}})",
            core::ErrorCode::key_rejected},
           {429, "{}", core::ErrorCode::rate_limited},
           {400, R"({"error":{"code":"invalid_query_params","message":"bad provider_config_key"}})",
            core::ErrorCode::upstream_error},
           {500, "{}", core::ErrorCode::upstream_error}}) {
    FakeHttpClient fake;
    fake.add(status, body);
    NangoSource source(fake, nango());
    auto credentials = source.get(false);
    ASSERT_FALSE(credentials.ok());
    EXPECT_TRUE(credentials.error().is(code)) << status << " " << body << ": " << credentials.error().code;
    if (code == core::ErrorCode::needs_reauth) {
      EXPECT_THAT(credentials.error().message, StartsWith("Reconnect your CRM: Nango"));
    }
  }
  FakeHttpClient fake;
  fake.add(424,
           R"({"error":{"code":"refresh_token_external_error","message":"The refresh token was revoked"}})");
  NangoSource source(fake, nango());
  EXPECT_EQ(
      source.get(false).error().message,
      "Reconnect your CRM: Nango cannot give this connection's credentials (The refresh token was revoked).");
}

TEST(NangoSourceTest, AConnectionWithoutAnAccessTokenNeedsReauth) {
  FakeHttpClient fake;
  fake.add(200, R"({"tags":{"end_user_id":"7"},"credentials":{"type":"OAUTH2"}})");
  fake.add(200, R"({"tags":{"end_user_id":"7"}})");
  NangoSource source(fake, nango());
  EXPECT_TRUE(source.get(false).error().is(core::ErrorCode::needs_reauth));
  EXPECT_TRUE(source.get(false).error().is(core::ErrorCode::upstream_malformed));
}

}  // namespace
}  // namespace tenantsync::upstream
