#include "core/utf8_text.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(Utf8Prefix, TextWithinTheBoundIsKeptWhole) {
  EXPECT_EQ(utf8_prefix("abc", 3), "abc");
  EXPECT_EQ(utf8_prefix("", 0), "");
}

TEST(Utf8Prefix, ACharacterThatDoesNotFitWholeIsLeftOut) {
  const std::string text = "ab\xc3\xa9";  // "abé": é is two bytes
  EXPECT_EQ(utf8_prefix(text, 3), "ab");
  EXPECT_EQ(utf8_prefix(text, 4), text);
  EXPECT_EQ(utf8_prefix("\xe2\x82\xac", 2), "");  // € is three bytes
  EXPECT_EQ(utf8_prefix("abcdef", 4), "abcd");
}

}  // namespace
}  // namespace tenantsync::core
