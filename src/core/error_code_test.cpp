#include "core/error_code.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(ErrorCode, EveryCodeRoundTripsThroughItsString) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::out_of_memory); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    EXPECT_EQ(parse_error_code(to_string(code)), code) << to_string(code);
  }
}

TEST(ErrorCode, StringsAreTheStableSpellings) {
  EXPECT_EQ(to_string(ErrorCode::not_found), "not_found");
  EXPECT_EQ(to_string(ErrorCode::upstream_timeout), "upstream_timeout");
  EXPECT_EQ(to_string(ErrorCode::worker_lost), "worker_lost");
  EXPECT_EQ(to_string(ErrorCode::mass_removal_held), "mass_removal_held");
}

TEST(ErrorCode, UnknownTextDoesNotParse) {
  for (const char* bad : {"", "Not_Found", "not_found ", "upstream_", "nope"})
    EXPECT_FALSE(parse_error_code(bad).has_value()) << bad;
}

TEST(ErrorCode, UpstreamFailuresAreTheUpstreamCodes) {
  EXPECT_TRUE(is_upstream_failure(ErrorCode::upstream_timeout));
  EXPECT_TRUE(is_upstream_failure(ErrorCode::upstream_not_found));
  EXPECT_FALSE(is_upstream_failure(ErrorCode::key_rejected));
  EXPECT_FALSE(is_upstream_failure(ErrorCode::rate_limited));
}

}  // namespace
}  // namespace tenantsync::core
