#include "crypto/hubspot_signature.hpp"

#include <gtest/gtest.h>

namespace tenantsync::crypto {
namespace {

TEST(HubspotSignature, MatchesAnHmacComputedElsewhere) {
  // Python: base64(hmac.new(b"secret", b"POST" + uri + body + ts, sha256).digest())
  EXPECT_EQ(hubspot_signature_v3("secret", "POST", "https://example.com/hooks/hubspot", R"([{"eventId":1}])",
                                 "1700000000000"),
            "c/IlETWE5v/q5cxMVVAoyK0qaAS+qoHeAkamkLanW/o=");
}

TEST(HubspotSignature, EveryPartCounts) {
  const auto base = hubspot_signature_v3("s", "POST", "u", "b", "1");
  EXPECT_NE(hubspot_signature_v3("t", "POST", "u", "b", "1"), base);
  EXPECT_NE(hubspot_signature_v3("s", "GET", "u", "b", "1"), base);
  EXPECT_NE(hubspot_signature_v3("s", "POST", "v", "b", "1"), base);
  EXPECT_NE(hubspot_signature_v3("s", "POST", "u", "c", "1"), base);
  EXPECT_NE(hubspot_signature_v3("s", "POST", "u", "b", "2"), base);
}

}  // namespace
}  // namespace tenantsync::crypto
