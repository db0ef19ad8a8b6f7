#include "core/strong_typedef.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>
#include <unordered_set>

#include "core/ids.hpp"

namespace tenantsync {
namespace {

TEST(StrongTypedefTest, KindsDoNotMix) {
  static_assert(!std::is_convertible_v<TenantId, RunId>);
  static_assert(!std::is_convertible_v<std::int64_t, TenantId>, "construction is explicit");
  static_assert(!std::is_convertible_v<TenantId, std::int64_t>);
  static_assert(std::is_constructible_v<TenantId, std::int64_t>);
  EXPECT_EQ(TenantId(7).value(), 7);
}

TEST(StrongTypedefTest, ComparesHashesAndPrintsLikeItsValue) {
  EXPECT_EQ(RunId(3), RunId(3));
  EXPECT_LT(RunId(3), RunId(4));
  EXPECT_EQ(RunId(), RunId(0));
  std::unordered_set<LeadId> seen{LeadId(1), LeadId(1), LeadId(2)};
  EXPECT_EQ(seen.size(), 2u);
  std::ostringstream out;
  out << ConnectionId(42);
  EXPECT_EQ(out.str(), "42");
}

}  // namespace
}  // namespace tenantsync
