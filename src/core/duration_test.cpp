#include "core/duration.hpp"

#include <gtest/gtest.h>

namespace tenantsync {
namespace {

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(parse_duration("15m")->count(), 900'000);
  EXPECT_EQ(parse_duration("90")->count(), 90'000);
  EXPECT_EQ(parse_duration("250ms")->count(), 250);
  EXPECT_EQ(parse_duration("2h")->count(), 7'200'000);
  EXPECT_EQ(parse_duration("7d")->count(), 604'800'000);
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("m").has_value());
  EXPECT_FALSE(parse_duration("5 weeks").has_value());
  EXPECT_FALSE(parse_duration("-5s").has_value());
}

// Found by fuzz/duration: the unit's factor overflowed 64 bits (undefined behaviour).
TEST(Duration, RefusesWhatDoesNotFitInMilliseconds) {
  EXPECT_FALSE(parse_duration("2444224442244442221").has_value());
  EXPECT_FALSE(parse_duration("9223372036854775807d").has_value());
  EXPECT_FALSE(parse_duration("106751991168d").has_value());
  EXPECT_EQ(parse_duration("106751991167d")->count(), 106751991167LL * 86'400'000);
  EXPECT_EQ(parse_duration("9223372036854775807ms")->count(), 9223372036854775807LL);
}

}  // namespace
}  // namespace tenantsync
