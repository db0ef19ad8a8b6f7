#include "store/execution_columns.hpp"

#include <gtest/gtest.h>

namespace tenantsync::store {
namespace {

TEST(ExecutionColumns, ReadsNumbersDurationAndCost) {
  const auto c = execution_columns(
      R"({"from_number":"+1 415-555-2671","to_number":"(415) 555-2672","conversation_duration":42,"total_cost":0.63})",
      "US");
  EXPECT_EQ(c.from_e164, "+14155552671");
  EXPECT_EQ(c.to_e164, "+14155552672");
  ASSERT_TRUE(c.duration_s.has_value());
  EXPECT_DOUBLE_EQ(*c.duration_s, 42.0);
  ASSERT_TRUE(c.cost.has_value());
  EXPECT_DOUBLE_EQ(*c.cost, 0.63);
}

TEST(ExecutionColumns, ReadsANationalNumberInTheTenantsRegion) {
  EXPECT_EQ(execution_columns(R"({"to_number":"020 7946 0958"})", "GB").to_e164, "+442079460958");
}

TEST(ExecutionColumns, KeepsPlusAndDigitsTheMetadataRefuses) {
  // A number the platform sent in E.164 form still matches itself, even when libphonenumber
  // does not know its range.
  EXPECT_EQ(call_number_e164("+10005550100", "US"), "+10005550100");
  EXPECT_EQ(call_number_e164("not a number", "US"), "");
  EXPECT_EQ(call_number_e164("+12", "US"), "");
}

TEST(ExecutionColumns, MissingOrOddFieldsAreEmpty) {
  const auto c =
      execution_columns(R"({"to_number":5,"conversation_duration":"long","total_cost":null})", "US");
  EXPECT_EQ(c.to_e164, "");
  EXPECT_EQ(c.from_e164, "");
  EXPECT_FALSE(c.duration_s.has_value());
  EXPECT_FALSE(c.cost.has_value());
  EXPECT_FALSE(execution_columns("not json", "US").duration_s.has_value());
}

}  // namespace
}  // namespace tenantsync::store
