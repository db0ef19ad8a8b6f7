#include "store/sql/array_literal.hpp"

#include <gtest/gtest.h>

namespace tenantsync::store::sql {
namespace {

TEST(ArrayLiteral, QuotesTextAndLeavesNullAndNumbersBare) {
  EXPECT_EQ(array_literal(std::vector<Value>{std::int64_t{7}, nullptr, std::string("ann"), 1.5}),
            "{7,NULL,\"ann\",1.5}");
  EXPECT_EQ(array_literal(std::vector<Value>{}), "{}");
}

TEST(ArrayLiteral, EscapesQuotesAndBackslashesSoAnyTextReadsBackAsItself) {
  // The characters that mean something inside an array literal, and the word NULL as text.
  EXPECT_EQ(array_literal(std::vector<std::string>{"a \"b\"", "c\\d", "{e,f}", "NULL", ""}),
            "{\"a \\\"b\\\"\",\"c\\\\d\",\"{e,f}\",\"NULL\",\"\"}");
}

TEST(ArrayLiteral, WritesIntegersInFull) {
  EXPECT_EQ(array_literal(std::vector<std::int64_t>{0, -1, 9223372036854775807}),
            "{0,-1,9223372036854775807}");
}

}  // namespace
}  // namespace tenantsync::store::sql
