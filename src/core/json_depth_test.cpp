#include "core/json_depth.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tenantsync::core {
namespace {

std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(JsonDepth, CountsArraysAndObjects) {
  EXPECT_TRUE(json_depth_within("{}", 1));
  EXPECT_TRUE(json_depth_within(R"({"a":[1,{"b":2}]})", 3));
  EXPECT_FALSE(json_depth_within(R"({"a":[1,{"b":2}]})", 2));
  EXPECT_TRUE(json_depth_within(nested(64)));
  EXPECT_FALSE(json_depth_within(nested(65)));
  EXPECT_TRUE(json_depth_within("[[1],[2],[3],[4]]", 2));  // siblings do not add up
}

TEST(JsonDepth, BracketsInStringsDoNotCount) {
  EXPECT_TRUE(json_depth_within(R"({"a":"[[[[[[{{{{"})", 1));
  EXPECT_TRUE(json_depth_within(R"({"a":"quote \" then [[[["})", 1));
  EXPECT_TRUE(json_depth_within(R"({"a":"backslash \\"})", 1));
  EXPECT_FALSE(json_depth_within(R"({"a":"backslash \\",  "b":[[1]]})", 2));
}

TEST(JsonDepth, AHundredThousandLevelsIsRefusedWithoutRecursion) {
  EXPECT_FALSE(json_depth_within(nested(100'000)));
  EXPECT_FALSE(json_depth_within(std::string(1'000'000, '[')));  // unterminated, still refused
  EXPECT_TRUE(json_depth_within(std::string(1'000'000, ']')));   // not JSON; depth says nothing about that
}

}  // namespace
}  // namespace tenantsync::core
