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

TEST(NullIf, BindsNullForEmptyTextAndZero) {
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(null_if_empty("")));
  EXPECT_EQ(std::get<std::string>(null_if_empty("x")), "x");
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(null_if_zero(0)));
  EXPECT_EQ(std::get<std::int64_t>(null_if_zero(-3)), -3);
}

TEST(Bind, FlattensListsBetweenValuesInOrder) {
  const Params middle{std::int64_t{2}, std::string("three")};
  const Params bound = bind(std::int64_t{1}, middle, Params{}, nullptr, std::string("five"));
  EXPECT_EQ(bound,
            (Params{std::int64_t{1}, std::int64_t{2}, std::string("three"), nullptr, std::string("five")}));
}

TEST(ReadRow, FillsFieldsInColumnOrderByTheirTypes) {
  Row row({std::int64_t{7}, std::string("name"), std::int64_t{1}, std::int64_t{3}, nullptr, std::int64_t{9},
           2.5, nullptr});
  std::int64_t id = 0;
  std::string name;
  bool flag = false;
  int count = 0;
  std::optional<std::int64_t> missing = 1;
  std::optional<std::int64_t> present;
  double real = 0;
  std::optional<std::string> no_text = "x";
  read_row(row, id, name, flag, count, missing, present, real, no_text);
  EXPECT_EQ(id, 7);
  EXPECT_EQ(name, "name");
  EXPECT_TRUE(flag);
  EXPECT_EQ(count, 3);
  EXPECT_EQ(missing, std::nullopt);
  EXPECT_EQ(present, std::optional<std::int64_t>(9));
  EXPECT_DOUBLE_EQ(real, 2.5);
  EXPECT_EQ(no_text, std::nullopt);
}

}  // namespace
}  // namespace tenantsync::store::sql
