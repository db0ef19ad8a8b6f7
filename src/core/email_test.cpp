#include "core/email.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace tenantsync::core {
namespace {

TEST(EmailTest, NormalizeTrimsAndLowerCases) {
  const std::pair<std::string, std::string> cases[] = {
      {"  Jane.Doe@Example.COM \t\n", "jane.doe@example.com"},
      {"a@b.co", "a@b.co"},
      {"", ""},
      {"   ", ""},
      // "JÜRGEN": the two UTF-8 bytes of Ü stay as they are, the ASCII letters are lowered.
      {"J\xC3\x9CRGEN@Example.de", "j\xC3\x9Crgen@example.de"},
  };
  for (const auto& [raw, normalized] : cases) EXPECT_EQ(normalize_email(raw), normalized) << raw;
}

TEST(EmailTest, LooksLikeEmailAcceptsOrdinaryAddresses) {
  for (const char* address :
       {"jane@example.com", "jane.doe+crm@mail.example.co.uk", "o'brien@example.ie", "x@a-b.io"}) {
    EXPECT_TRUE(looks_like_email(address)) << address;
  }
}

TEST(EmailTest, LooksLikeEmailRejectsJunk) {
  const std::vector<std::string> junk = {
      "",
      "jane",
      "@example.com",
      "jane@",
      "jane@localhost",
      "jane@@example.com",
      "a@b@example.com",
      "jane doe@example.com",
      " jane@example.com",
      "jane@example..com",
      "jane@.example.com",
      "jane@example.com.",
      "jane@-example.com",
      std::string(65, 'a') + "@example.com",  // local part over 64
      "a@" + std::string(250, 'b') + ".com",  // address over 254
  };
  for (const std::string& address : junk) EXPECT_FALSE(looks_like_email(address)) << address;
}

TEST(EmailTest, NormalizedCrmValueLooksLikeEmail) {
  EXPECT_TRUE(looks_like_email(normalize_email("  Sales@ACME.com ")));
}

}  // namespace
}  // namespace tenantsync::core
