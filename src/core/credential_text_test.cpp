#include "core/credential_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tenantsync::core {
namespace {

TEST(CredentialText, RealTokensPass) {
  for (const char* token : {"pat-na1-1b2c3d4e-aaaa-bbbb-cccc-0123456789ab",
                            "00D5g000004DEMO!AQ8AQH.x_y~z/+=", "nango-conn_1", "a"})
    EXPECT_TRUE(is_credential_text(token)) << token;
  EXPECT_TRUE(is_credential_text(std::string(kMaxCredentialLength, 'x')));
}

TEST(CredentialText, ControlCharactersSpacesAndTheRestAreRefused) {
  for (const std::string& bad :
       {std::string(), std::string("tok\r\nX-Injected: 1"), std::string("tok\n"), std::string("tok\r"),
        std::string("to k"), std::string(" tok"), std::string("tok\t"), std::string("tok\x7f"),
        std::string("tok\0en", 6), std::string("t\xc3\xb6k"), std::string("tok\x1b[0m"),
        std::string(kMaxCredentialLength + 1, 'x')})
    EXPECT_FALSE(is_credential_text(bad)) << bad;
}

TEST(CredentialText, TheRefusalNamesTheField) {
  EXPECT_EQ(credential_text_refusal("access_token"),
            "The field \"access_token\" must be printable characters without spaces or control characters "
            "(at most 4096).");
}

}  // namespace
}  // namespace tenantsync::core
