#include "core/log_text.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(EscapeControl, WritesLineBreaksAndControlBytesVisibly) {
  EXPECT_EQ(escape_control("plain text"), "plain text");
  EXPECT_EQ(escape_control("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(escape_control(std::string("x\0y\x1b[31m\x7f", 9)), "x\\x00y\\x1b[31m\\x7f");
  // A path that decoded %0a must not forge a second line.
  EXPECT_EQ(escape_control("/x\nts=2024 level=info event=request status=200"),
            "/x\\nts=2024 level=info event=request status=200");
}

TEST(EscapeControl, EscapesUnicodeLineBreaksButKeepsOtherUtf8) {
  EXPECT_EQ(escape_control("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(escape_control("a\xc2\x85z"), "a\\xc2\\x85z");  // NEL
  EXPECT_EQ(escape_control("a\xe2\x80\xa8z\xe2\x80\xa9"), "a\\u2028z\\u2029");
  EXPECT_EQ(escape_control("\xe2\x80\x94"), "\xe2\x80\x94");  // an em dash stays
  EXPECT_EQ(escape_control("\xc2"), "\xc2");                  // a truncated sequence is left alone
}

TEST(LogValue, QuotesValuesThatCouldAddAField) {
  EXPECT_EQ(log_value("/api/runs/7"), "/api/runs/7");
  EXPECT_EQ(log_value(""), "\"\"");
  EXPECT_EQ(log_value("/x status=200"), "\"/x status=200\"");
  EXPECT_EQ(log_value("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(log_value("a=b"), "\"a=b\"");
  EXPECT_EQ(log_value("two\nlines"), "two\\nlines");
  EXPECT_EQ(log_value("two\nlines x"), "\"two\\nlines x\"");
}

}  // namespace
}  // namespace tenantsync::core
