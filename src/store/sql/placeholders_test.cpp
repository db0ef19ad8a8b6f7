#include "store/sql/placeholders.hpp"

#include <gtest/gtest.h>

namespace tenantsync::store::sql {
namespace {

TEST(Placeholders, NumbersEachQuestionMarkInOrder) {
  EXPECT_EQ(to_dollar_placeholders("SELECT a FROM t WHERE b = ? AND c > ?"),
            "SELECT a FROM t WHERE b = $1 AND c > $2");
  EXPECT_EQ(to_dollar_placeholders("INSERT INTO t VALUES (?,?,?)"), "INSERT INTO t VALUES ($1,$2,$3)");
}

TEST(Placeholders, LeavesTextWithoutPlaceholdersAlone) {
  EXPECT_EQ(to_dollar_placeholders("SELECT 1"), "SELECT 1");
  EXPECT_EQ(to_dollar_placeholders(""), "");
}

TEST(Placeholders, SkipsStringLiteralsAndQuotedIdentifiers) {
  EXPECT_EQ(to_dollar_placeholders("SELECT '?', \"a?b\" FROM t WHERE x = ?"),
            "SELECT '?', \"a?b\" FROM t WHERE x = $1");
  // A doubled quote is an escaped quote, not the end of the literal.
  EXPECT_EQ(to_dollar_placeholders("SELECT 'it''s ?' WHERE y = ?"), "SELECT 'it''s ?' WHERE y = $1");
}

TEST(Placeholders, SkipsComments) {
  EXPECT_EQ(to_dollar_placeholders("SELECT ? -- why?\nFROM t /* really? */ WHERE z = ?"),
            "SELECT $1 -- why?\nFROM t /* really? */ WHERE z = $2");
}

TEST(Placeholders, UnterminatedLiteralIsCopiedAsIs) {
  EXPECT_EQ(to_dollar_placeholders("SELECT ? 'open ?"), "SELECT $1 'open ?");
}

TEST(Placeholders, CountsOnlyRealPlaceholders) {
  EXPECT_EQ(count_placeholders("SELECT '?' WHERE a = ? AND b = ? -- ?"), 2);
  EXPECT_EQ(count_placeholders("SELECT 1"), 0);
}

}  // namespace
}  // namespace tenantsync::store::sql
