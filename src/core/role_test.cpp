#include "core/role.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(Role, SpellingsRoundTrip) {
  for (Role r : {Role::viewer, Role::member, Role::admin, Role::owner})
    EXPECT_EQ(parse_role(to_string(r)), r);
  EXPECT_EQ(parse_role("Owner"), std::nullopt);
  EXPECT_EQ(parse_role(""), std::nullopt);
  EXPECT_EQ(parse_role("root"), std::nullopt);
}

TEST(Role, EachRoleIncludesTheOnesBelow) {
  EXPECT_TRUE(role_at_least(Role::owner, Role::viewer));
  EXPECT_TRUE(role_at_least(Role::admin, Role::admin));
  EXPECT_FALSE(role_at_least(Role::member, Role::admin));
  EXPECT_FALSE(role_at_least(Role::viewer, Role::member));
}

}  // namespace
}  // namespace tenantsync::core
