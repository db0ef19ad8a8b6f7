#include "core/email.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(EmailTest, NormalizeTrimsAndLowerCases) {
  EXPECT_EQ(normalize_email("  Jane.Doe@Example.COM \t\n"), "jane.doe@example.com");
  EXPECT_EQ(normalize_email("a@b.co"), "a@b.co");
  EXPECT_EQ(normalize_email(""), "");
  EXPECT_EQ(normalize_email("   "), "");
}

TEST(EmailTest, NormalizeLeavesNonAsciiBytesAlone) {
  // "JÜRGEN": the two UTF-8 bytes of Ü stay as they are, the ASCII letters are lowered.
  EXPECT_EQ(normalize_email("J\xC3\x9CRGEN@Example.de"), "j\xC3\x9Crgen@example.de");
}

TEST(EmailTest, LooksLikeEmailAcceptsOrdinaryAddresses) {
  EXPECT_TRUE(looks_like_email("jane@example.com"));
  EXPECT_TRUE(looks_like_email("jane.doe+crm@mail.example.co.uk"));
  EXPECT_TRUE(looks_like_email("o'brien@example.ie"));
  EXPECT_TRUE(looks_like_email("x@a-b.io"));
}

TEST(EmailTest, LooksLikeEmailRejectsJunk) {
  EXPECT_FALSE(looks_like_email(""));
  EXPECT_FALSE(looks_like_email("jane"));
  EXPECT_FALSE(looks_like_email("@example.com"));
  EXPECT_FALSE(looks_like_email("jane@"));
  EXPECT_FALSE(looks_like_email("jane@localhost"));
  EXPECT_FALSE(looks_like_email("jane@@example.com"));
  EXPECT_FALSE(looks_like_email("a@b@example.com"));
  EXPECT_FALSE(looks_like_email("jane doe@example.com"));
  EXPECT_FALSE(looks_like_email(" jane@example.com"));
  EXPECT_FALSE(looks_like_email("jane@example..com"));
  EXPECT_FALSE(looks_like_email("jane@.example.com"));
  EXPECT_FALSE(looks_like_email("jane@example.com."));
  EXPECT_FALSE(looks_like_email("jane@-example.com"));
  EXPECT_FALSE(looks_like_email(std::string(65, 'a') + "@example.com"));
  EXPECT_FALSE(looks_like_email("a@" + std::string(250, 'b') + ".com"));
}

TEST(EmailTest, NormalizedCrmValueLooksLikeEmail) {
  EXPECT_TRUE(looks_like_email(normalize_email("  Sales@ACME.com ")));
}

}  // namespace
}  // namespace tenantsync::core
