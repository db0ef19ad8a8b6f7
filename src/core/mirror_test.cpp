#include "core/mirror.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(MirrorTest, ResourceNamesRoundTrip) {
  for (Resource r : kAllResources) {
    auto parsed = parse_resource(to_string(r));
    ASSERT_TRUE(parsed.has_value()) << to_string(r);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(to_string(Resource::agents), "agents");
  EXPECT_EQ(to_string(Resource::phone_numbers), "phone_numbers");
  EXPECT_EQ(to_string(Resource::campaigns), "campaigns");
  EXPECT_EQ(to_string(Resource::executions), "executions");
}

TEST(MirrorTest, ParseRejectsUnknownNames) {
  EXPECT_FALSE(parse_resource("").has_value());
  EXPECT_FALSE(parse_resource("Agents").has_value());
  EXPECT_FALSE(parse_resource("phone numbers").has_value());
  EXPECT_FALSE(parse_resource("batches").has_value());
}

TEST(MirrorTest, DisplayNameIsForPeople) {
  EXPECT_EQ(display_name(Resource::phone_numbers), "phone numbers");
  EXPECT_EQ(display_name(Resource::agents), "agents");
}

}  // namespace
}  // namespace tenantsync::core
