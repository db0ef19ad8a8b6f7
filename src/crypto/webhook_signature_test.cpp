#include "crypto/webhook_signature.hpp"

#include <gtest/gtest.h>

#include "crypto/crypto.hpp"

namespace tenantsync::crypto {
namespace {

TEST(WebhookSignature, HmacMatchesRfc4231TestCase2) {
  init();
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignature, SignsTimestampDotBody) {
  init();
  const std::string body = R"({"type":"lead.created"})";
  EXPECT_EQ(webhook_signature("whsec_k", 1700000000, body),
            "t=1700000000,v1=" + hmac_sha256_hex("whsec_k", "1700000000." + body));
  EXPECT_NE(webhook_signature("whsec_k", 1700000001, body), webhook_signature("whsec_k", 1700000000, body));
}

TEST(WebhookSignature, SecretsAreRandomAndPrefixed) {
  init();
  const std::string a = new_webhook_secret();
  EXPECT_EQ(a.size(), 6u + 64u);
  EXPECT_TRUE(a.starts_with("whsec_"));
  EXPECT_NE(a, new_webhook_secret());
}

}  // namespace
}  // namespace tenantsync::crypto
