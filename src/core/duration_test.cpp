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

}  // namespace
}  // namespace tenantsync
