#include "api/export_format.hpp"

#include <gtest/gtest.h>

namespace tenantsync::api {
namespace {

TEST(CsvCell, PlainTextIsAsIs) {
  EXPECT_EQ(csv_cell("Ada Lovelace"), "Ada Lovelace");
  EXPECT_EQ(csv_cell(""), "");
}

TEST(CsvCell, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
}

TEST(CsvCell, NeutralizesFormulas) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
  EXPECT_EQ(csv_cell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
  EXPECT_EQ(csv_cell("-2+3"), "'-2+3");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\t=1"), "'\t=1");
  EXPECT_EQ(csv_cell("\r=1"), "\"'\r=1\"");
}

TEST(CsvCell, PlainNumbersStayNumbers) {
  EXPECT_EQ(csv_cell("+14155552671"), "+14155552671");
  EXPECT_EQ(csv_cell("-3.5"), "-3.5");
  EXPECT_EQ(csv_cell("+"), "'+");
  EXPECT_EQ(csv_cell("-."), "'-.");
}

TEST(CsvLine, JoinsCellsAndEndsInCrlf) { EXPECT_EQ(csv_line({"a", "b,c", "=x"}), "a,\"b,c\",'=x\r\n"); }

}  // namespace
}  // namespace tenantsync::api
