// The connection state a CRM run leaves behind, and the run target it is found by.
#include "sync/crm_run.hpp"

#include <gtest/gtest.h>

namespace tenantsync::sync {
namespace {

constexpr std::int64_t kNow = 1'790'000'000'000;

store::RunOutcome outcome(core::RunState state, std::optional<core::ErrorCode> code = std::nullopt,
                          const std::string& message = "") {
  store::RunOutcome o;
  o.state = state;
  o.error_code = code;
  o.error_message = message;
  return o;
}

store::CrmConnection rate_limited_before() {
  store::CrmConnection c;
  c.state = core::ConnectionState::rate_limited;
  c.state_message = "old";
  c.rate_limited_until_ms = kNow - 1;
  c.last_sync_error = "old error";
  return c;
}

TEST(ConnectionAfter, ASucceededRunLeavesItConnectedAndClearsTheLastError) {
  const auto c =
      connection_after(rate_limited_before(), outcome(core::RunState::succeeded), 0, from_epoch_ms(kNow), kNow + 60'000);
  EXPECT_EQ(c.state, core::ConnectionState::connected);
  EXPECT_EQ(c.state_message, "");
  EXPECT_EQ(c.last_sync_error, "");
  EXPECT_FALSE(c.rate_limited_until_ms.has_value());
  EXPECT_EQ(c.next_sync_at_ms, kNow + 60'000);
}

TEST(ConnectionAfter, RefusedCredentialsAskForAReconnect) {
  for (const core::ErrorCode code : {core::ErrorCode::needs_reauth, core::ErrorCode::key_rejected}) {
    const auto c = connection_after({}, outcome(core::RunState::failed, code, "Sync failed: refused"), 0,
                                    from_epoch_ms(kNow), std::nullopt);
    EXPECT_EQ(c.state, core::ConnectionState::needs_reauth) << core::to_string(code);
    EXPECT_EQ(c.state_message, "Reconnect your CRM: the credentials were refused.");
    EXPECT_EQ(c.last_sync_error, "Sync failed: refused");
  }
}

TEST(ConnectionAfter, ARateLimitWaitsUntilTheCrmSaysOrAMinute) {
  const auto told =
      connection_after({}, outcome(core::RunState::failed, core::ErrorCode::rate_limited, "slow down"),
                       kNow + 5'000, from_epoch_ms(kNow), {});
  EXPECT_EQ(told.state, core::ConnectionState::rate_limited);
  EXPECT_EQ(told.state_message, "slow down");
  EXPECT_EQ(told.rate_limited_until_ms, kNow + 5'000);
  const auto untold =
      connection_after({}, outcome(core::RunState::failed, core::ErrorCode::rate_limited, "slow down"), 0,
                       from_epoch_ms(kNow), {});
  EXPECT_EQ(untold.rate_limited_until_ms, kNow + 60'000);
}

TEST(ConnectionAfter, AnyOtherFailureIsAnErrorWithItsMessage) {
  const auto c = connection_after(
      rate_limited_before(), outcome(core::RunState::failed, core::ErrorCode::upstream_timeout, "timed out"),
      0, from_epoch_ms(kNow), std::nullopt);
  EXPECT_EQ(c.state, core::ConnectionState::error);
  EXPECT_EQ(c.state_message, "timed out");
  EXPECT_FALSE(c.rate_limited_until_ms.has_value());
}

TEST(RunTarget, CrmTargetsRoundTripAndNothingElseParses) {
  const auto crm42 = core::RunTarget::crm(ConnectionId(42));
  EXPECT_EQ(crm42.to_string(), "crm:42");
  EXPECT_EQ(core::RunTarget::parse(crm42.to_string()), crm42);
  EXPECT_FALSE(core::RunTarget::parse(core::RunTarget::voice().to_string())->is_crm());
  EXPECT_FALSE(core::RunTarget::parse("crm:").has_value());
  EXPECT_FALSE(core::RunTarget::parse("crm:12x").has_value());
  EXPECT_TRUE(core::RunTarget::parse("crm:7")->is_crm());
  EXPECT_FALSE(core::RunTarget::parse("voice")->is_crm());
}

}  // namespace
}  // namespace tenantsync::sync
