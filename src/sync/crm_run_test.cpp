// The connection state a CRM run leaves behind, and the run target it is found by.
#include "sync/crm_run.hpp"

#include <gtest/gtest.h>

#include "sync/run_target.hpp"

namespace tenantsync::sync {
namespace {

constexpr std::int64_t kNow = 1'790'000'000'000;

store::RunOutcome outcome(const std::string& state, const std::string& code = "",
                          const std::string& message = "") {
  store::RunOutcome o;
  o.state = state;
  o.error_code = code;
  o.error_message = message;
  return o;
}

store::CrmConnection rate_limited_before() {
  store::CrmConnection c;
  c.state = "rate_limited";
  c.state_message = "old";
  c.rate_limited_until_ms = kNow - 1;
  c.last_sync_error = "old error";
  return c;
}

TEST(ConnectionAfter, ASucceededRunLeavesItConnectedAndClearsTheLastError) {
  const auto c =
      connection_after(rate_limited_before(), outcome("succeeded"), 0, from_epoch_ms(kNow), kNow + 60'000);
  EXPECT_EQ(c.state, "connected");
  EXPECT_EQ(c.state_message, "");
  EXPECT_EQ(c.last_sync_error, "");
  EXPECT_FALSE(c.rate_limited_until_ms.has_value());
  EXPECT_EQ(c.next_sync_at_ms, kNow + 60'000);
}

TEST(ConnectionAfter, RefusedCredentialsAskForAReconnect) {
  for (const char* code : {"needs_reauth", "key_rejected"}) {
    const auto c = connection_after({}, outcome("failed", code, "Sync failed: refused"), 0,
                                    from_epoch_ms(kNow), std::nullopt);
    EXPECT_EQ(c.state, "needs_reauth") << code;
    EXPECT_EQ(c.state_message, "Reconnect your CRM: the credentials were refused.");
    EXPECT_EQ(c.last_sync_error, "Sync failed: refused");
  }
}

TEST(ConnectionAfter, ARateLimitWaitsUntilTheCrmSaysOrAMinute) {
  const auto told = connection_after({}, outcome("failed", "rate_limited", "slow down"), kNow + 5'000,
                                     from_epoch_ms(kNow), {});
  EXPECT_EQ(told.state, "rate_limited");
  EXPECT_EQ(told.state_message, "slow down");
  EXPECT_EQ(told.rate_limited_until_ms, kNow + 5'000);
  const auto untold =
      connection_after({}, outcome("failed", "rate_limited", "slow down"), 0, from_epoch_ms(kNow), {});
  EXPECT_EQ(untold.rate_limited_until_ms, kNow + 60'000);
}

TEST(ConnectionAfter, AnyOtherFailureIsAnErrorWithItsMessage) {
  const auto c = connection_after(rate_limited_before(), outcome("failed", "upstream_timeout", "timed out"),
                                  0, from_epoch_ms(kNow), std::nullopt);
  EXPECT_EQ(c.state, "error");
  EXPECT_EQ(c.state_message, "timed out");
  EXPECT_FALSE(c.rate_limited_until_ms.has_value());
}

TEST(RunTarget, CrmTargetsRoundTripAndNothingElseParses) {
  EXPECT_EQ(crm_target(ConnectionId{42}), "crm:42");
  EXPECT_EQ(parse_crm_target(crm_target(ConnectionId{42})), 42);
  EXPECT_FALSE(parse_crm_target(kVoiceTarget).has_value());
  EXPECT_FALSE(parse_crm_target("crm:").has_value());
  EXPECT_FALSE(parse_crm_target("crm:12x").has_value());
  EXPECT_TRUE(is_crm_target("crm:7"));
  EXPECT_FALSE(is_crm_target("voice"));
}

}  // namespace
}  // namespace tenantsync::sync
