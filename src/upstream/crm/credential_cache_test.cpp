#include "upstream/crm/credential_cache.hpp"

#include <gtest/gtest.h>

#include "support/crm_test_support.hpp"

namespace tenantsync::upstream {
namespace {

using crm_testing::CountingSource;

TEST(CredentialCacheTest, HoldsTheCredentialsUntilForgotten) {
  CountingSource source("https://acme.my.salesforce.com");
  FakeClock clock;
  CredentialCache cache(source, clock);
  EXPECT_EQ(cache.get(false)->access_token, "tok-1");
  EXPECT_EQ(cache.get(false)->instance_url, "https://acme.my.salesforce.com");
  EXPECT_EQ(source.gets, 1);
  cache.forget();
  EXPECT_EQ(cache.get(false)->access_token, "tok-1");
  EXPECT_EQ(source.gets, 2);
}

TEST(CredentialCacheTest, ARefusalAsksForFreshCredentials) {
  CountingSource source;
  FakeClock clock;
  CredentialCache cache(source, clock);
  ASSERT_TRUE(cache.get(false).ok());
  EXPECT_EQ(cache.get(true)->access_token, "tok-2");
  EXPECT_EQ(source.forced, 1);
  EXPECT_EQ(cache.get(false)->access_token, "tok-2");
  EXPECT_EQ(source.gets, 2);
}

TEST(CredentialCacheTest, CredentialsWithinAMinuteOfTheirExpiryAreAskedForAgain) {
  CountingSource source;
  FakeClock clock;
  source.expires_at_ms = to_epoch_ms(clock.now()) + 90'000;
  CredentialCache cache(source, clock);
  ASSERT_TRUE(cache.get(false).ok());
  clock.advance(std::chrono::seconds(29));
  ASSERT_TRUE(cache.get(false).ok());
  EXPECT_EQ(source.gets, 1);
  clock.advance(std::chrono::seconds(1));  // exactly the margin before expiry
  ASSERT_TRUE(cache.get(false).ok());
  EXPECT_EQ(source.gets, 2);
  EXPECT_EQ(source.forced, 0);
}

TEST(CredentialCacheTest, AnUnknownExpiryNeverExpires) {
  CountingSource source;  // expires_at_ms 0
  FakeClock clock;
  CredentialCache cache(source, clock);
  ASSERT_TRUE(cache.get(false).ok());
  clock.advance(std::chrono::hours(24 * 365));
  ASSERT_TRUE(cache.get(false).ok());
  EXPECT_EQ(source.gets, 1);
}

TEST(CredentialCacheTest, AFailedRefreshIsReturnedAndNothingIsHeld) {
  CountingSource source;
  source.refresh_error = make_error(core::ErrorCode::needs_reauth, "Reconnect your CRM: refused.");
  FakeClock clock;
  CredentialCache cache(source, clock);
  auto refused = cache.get(true);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::needs_reauth);
  EXPECT_EQ(cache.get(false)->access_token, "tok-1");
  EXPECT_EQ(source.gets, 2);
}

}  // namespace
}  // namespace tenantsync::upstream
