#include "store/sql/value.hpp"

#include <gtest/gtest.h>

namespace tenantsync::store::sql {
namespace {

TEST(Row, TypedAccessorsReadTheirOwnType) {
  Row row({std::int64_t{42}, 1.5, std::string("text"), nullptr});
  EXPECT_EQ(row.size(), 4u);
  EXPECT_EQ(row.int64(0), 42);
  EXPECT_DOUBLE_EQ(row.real(1), 1.5);
  EXPECT_EQ(row.text(2), "text");
  EXPECT_TRUE(row.is_null(3));
  EXPECT_FALSE(row.is_null(0));
}

TEST(Row, NullReadsAsZeroOrEmptyAndOptionalsAsNullopt) {
  Row row({nullptr});
  EXPECT_EQ(row.int64(0), 0);
  EXPECT_DOUBLE_EQ(row.real(0), 0.0);
  EXPECT_EQ(row.text(0), "");
  EXPECT_EQ(row.opt_int64(0), std::nullopt);
  EXPECT_EQ(row.opt_text(0), std::nullopt);
}

TEST(Row, ConvertsBetweenTypesWhereBackendsDiffer) {
  // e.g. a PostgreSQL NUMERIC that arrived as text, or an integer in a REAL column on SQLite.
  Row row({std::string("123"), std::int64_t{7}, 2.6});
  EXPECT_EQ(row.int64(0), 123);
  EXPECT_DOUBLE_EQ(row.real(1), 7.0);
  EXPECT_EQ(row.text(1), "7");
  EXPECT_EQ(row.int64(2), 3);
  EXPECT_EQ(row.opt_text(1), std::optional<std::string>("7"));
}

TEST(Row, OutOfRangeColumnThrows) {
  Row row({std::int64_t{1}});
  EXPECT_THROW((void)row[1], std::out_of_range);
}

TEST(Nullable, BindsNullForNullopt) {
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(nullable(std::optional<std::string>())));
  EXPECT_EQ(std::get<std::string>(nullable(std::optional<std::string>("x"))), "x");
  EXPECT_EQ(std::get<std::int64_t>(nullable(std::optional<std::int64_t>(5))), 5);
}

}  // namespace
}  // namespace tenantsync::store::sql
