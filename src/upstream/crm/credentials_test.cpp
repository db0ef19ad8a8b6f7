#include "upstream/crm/credentials.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "support/fake_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::int64_t kStart = 1'700'000'000'000;

TEST(StaticTokenSourceTest, GivesTheTokenAndCannotRefresh) {
  StaticTokenSource source("pat-na1-abc", "https://x.my.salesforce.com");
  auto credentials = source.get(false);
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_token, "pat-na1-abc");
  EXPECT_EQ(credentials->instance_url, "https://x.my.salesforce.com");
  auto refreshed = source.get(true);
  ASSERT_FALSE(refreshed.ok());
  EXPECT_EQ(refreshed.error().code, core::ErrorCode::needs_reauth);
  EXPECT_THAT(refreshed.error().message, StartsWith("Reconnect your CRM: "));
  EXPECT_FALSE(source.refreshed_since_load());
}

OAuthRefreshOptions hubspot_oauth() {
  OAuthRefreshOptions options;
  options.provider = OAuthProvider::hubspot;
  options.base_url = "https://hub.test/";
  options.client_id = "client 1";
  options.client_secret = "s&cret";
  options.refresh_token = "rt-1";
  return options;
}

TEST(OAuthRefreshSourceTest, HubSpotRefreshIsCachedUntilFiveMinutesBeforeExpiry) {
  FakeHttpClient fake;
  fake.add(200, R"({"token_type":"bearer","refresh_token":"rt-1","access_token":"at-1","expires_in":1800})");
  fake.add(200, R"({"token_type":"bearer","refresh_token":"rt-1","access_token":"at-2","expires_in":1800})");
  FakeClock clock(kStart);
  OAuthRefreshSource source(fake, clock, hubspot_oauth());
  EXPECT_FALSE(source.refreshed_since_load());

  auto first = source.get(false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->access_token, "at-1");
  EXPECT_EQ(first->expires_at_ms, kStart + 1'800'000);
  EXPECT_TRUE(source.refreshed_since_load());
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "https://hub.test/oauth/v1/token");
  EXPECT_EQ(requests[0].body,
            "grant_type=refresh_token&client_id=client%201&client_secret=s%26cret&refresh_token=rt-1");
  EXPECT_FALSE(requests[0].is_idempotent());

  clock.advance(std::chrono::minutes(24));  // 6 minutes left: still cached
  EXPECT_EQ(source.get(false)->access_token, "at-1");
  EXPECT_EQ(fake.requests().size(), 1u);

  clock.advance(std::chrono::minutes(1) + std::chrono::milliseconds(1));  // inside the 5-minute margin
  EXPECT_EQ(source.get(false)->access_token, "at-2");
  EXPECT_EQ(fake.requests().size(), 2u);
}

// Shown by fuzz/oauth_token (UBSan): now + expires_in * 1000 overflowed 64 bits.
TEST(OAuthRefreshSourceTest, AHugeExpiresInIsAYear) {
  FakeHttpClient fake;
  fake.add(200, R"({"access_token":"at-1","expires_in":9223372036854775})");
  FakeClock clock(kStart);
  OAuthRefreshSource source(fake, clock, hubspot_oauth());
  auto credentials = source.get(false);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->expires_at_ms, kStart + 365LL * 24 * 3600 * 1000);
}

// Copies of a parsed value recurse: an answer nested 300,000 deep is refused before parsing.
TEST(OAuthRefreshSourceTest, AnAnswerNestedTooDeeplyIsMalformed) {
  FakeHttpClient fake;
  fake.add(200, R"({"access_token":"at-1","x":)" + std::string(300'000, '[') + std::string(300'000, ']') + "}");
  FakeClock clock(kStart);
  OAuthRefreshSource source(fake, clock, hubspot_oauth());
  auto credentials = source.get(false);
  ASSERT_FALSE(credentials.ok());
  EXPECT_TRUE(credentials.error().is(core::ErrorCode::upstream_malformed)) << credentials.error().message;
}

TEST(OAuthRefreshSourceTest, ForceRefreshAlwaysExchanges) {
  FakeHttpClient fake;
  fake.add(200, R"({"access_token":"at-1","expires_in":1800})");
  fake.add(200, R"({"access_token":"at-2","expires_in":1800})");
  FakeClock clock(kStart);
  OAuthRefreshSource source(fake, clock, hubspot_oauth());
  EXPECT_EQ(source.get(false)->access_token, "at-1");
  EXPECT_EQ(source.get(true)->access_token, "at-2");
  EXPECT_EQ(fake.requests().size(), 2u);
  EXPECT_EQ(source.refresh_token(), "rt-1");  // no rotation sent: the old one stays
}

TEST(OAuthRefreshSourceTest, StoredAccessTokenIsUsedWhileValid) {
  FakeHttpClient fake;
  FakeClock clock(kStart);
  OAuthRefreshOptions options = hubspot_oauth();
  options.access_token = "stored-at";
  options.access_expires_at_ms = kStart + 3'600'000;
  OAuthRefreshSource source(fake, clock, options);
  EXPECT_EQ(source.get(false)->access_token, "stored-at");
  EXPECT_TRUE(fake.requests().empty());
  EXPECT_FALSE(source.refreshed_since_load());
}

TEST(OAuthRefreshSourceTest, SalesforceRotationInstanceAndAssumedLifetime) {
  FakeHttpClient fake;
  fake.add(
      200,
      R"({"access_token":"00D!at1","instance_url":"https://acme.my.salesforce.com","refresh_token":"rt-2",
                   "id":"https://login.salesforce.com/id/00D/005","issued_at":"1700000000000","token_type":"Bearer"})");
  fake.add(200, R"({"access_token":"00D!at2","instance_url":"https://acme.my.salesforce.com"})");
  FakeClock clock(kStart);
  OAuthRefreshOptions options;
  options.provider = OAuthProvider::salesforce;
  options.client_id = "cid";
  options.client_secret = "csecret";
  options.refresh_token = "rt-1";
  OAuthRefreshSource source(fake, clock, options);

  auto credentials = source.get(false);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_token, "00D!at1");
  EXPECT_EQ(credentials->instance_url, "https://acme.my.salesforce.com");
  EXPECT_EQ(credentials->expires_at_ms, kStart + 2 * 3'600'000);
  EXPECT_EQ(credentials->refresh_token, "rt-2");
  EXPECT_EQ(source.refresh_token(), "rt-2");
  EXPECT_TRUE(source.refreshed_since_load());
  EXPECT_EQ(fake.requests().at(0).url, "https://login.salesforce.com/services/oauth2/token");

  auto again = source.get(true);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(fake.requests().at(1).body, HasSubstr("refresh_token=rt-2"));  // the rotated one
  EXPECT_EQ(again->refresh_token, "rt-2");
}

TEST(OAuthRefreshSourceTest, RefusedRefreshNeedsReauth) {
  struct Case {
    OAuthProvider provider;
    int status;
    const char* body;
    const char* reason;
  };
  for (const Case& c :
       {Case{OAuthProvider::salesforce, 400,
             R"({"error":"invalid_grant","error_description":"expired access/refresh token"})",
             "expired access/refresh token"},
        Case{OAuthProvider::hubspot, 400,
             R"({"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token"})",
             "missing or unknown refresh token"},
        Case{OAuthProvider::hubspot, 400,
             R"({"error":"invalid_grant","error_description":"refresh token revoked"})",
             "refresh token revoked"},
        Case{OAuthProvider::hubspot, 401, R"({"message":"unauthorized"})", "unauthorized"}}) {
    FakeHttpClient fake;
    fake.add(c.status, c.body);
    FakeClock clock(kStart);
    OAuthRefreshOptions options = hubspot_oauth();
    options.provider = c.provider;
    OAuthRefreshSource source(fake, clock, options);
    auto credentials = source.get(false);
    ASSERT_FALSE(credentials.ok());
    EXPECT_EQ(credentials.error().code, core::ErrorCode::needs_reauth) << c.body;
    EXPECT_THAT(credentials.error().message, StartsWith("Reconnect your CRM: "));
    EXPECT_THAT(credentials.error().message, HasSubstr(c.reason));
    EXPECT_FALSE(source.refreshed_since_load());
  }
}

TEST(OAuthRefreshSourceTest, OtherFailuresAreNotReauth) {
  FakeClock clock(kStart);
  {
    FakeHttpClient fake;
    fake.add(400, R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    OAuthRefreshSource source(fake, clock, hubspot_oauth());
    EXPECT_EQ(source.get(false).error().code, core::ErrorCode::key_rejected);
  }
  {
    FakeHttpClient fake;
    fake.add(503, "oops");
    OAuthRefreshSource source(fake, clock, hubspot_oauth());
    EXPECT_EQ(source.get(false).error().code, core::ErrorCode::upstream_error);
  }
  {
    FakeHttpClient fake;
    fake.add_error(core::ErrorCode::upstream_timeout);
    OAuthRefreshSource source(fake, clock, hubspot_oauth());
    EXPECT_EQ(source.get(false).error().code, core::ErrorCode::upstream_timeout);
  }
  {
    FakeHttpClient fake;
    fake.add(200, R"({"expires_in":1800})");
    OAuthRefreshSource source(fake, clock, hubspot_oauth());
    EXPECT_EQ(source.get(false).error().code, core::ErrorCode::upstream_malformed);
  }
  {
    FakeHttpClient fake;
    OAuthRefreshOptions options = hubspot_oauth();
    options.refresh_token.clear();
    OAuthRefreshSource source(fake, clock, options);
    EXPECT_EQ(source.get(false).error().code, core::ErrorCode::needs_reauth);
    EXPECT_TRUE(fake.requests().empty());
  }
}

}  // namespace
}  // namespace tenantsync::upstream
