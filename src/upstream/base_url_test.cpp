#include "upstream/base_url.hpp"

#include <gtest/gtest.h>

#include "upstream/outbound_policy.hpp"

namespace tenantsync::upstream {
namespace {

std::string canonical(const char* text) {
  auto url = parse_base_url(text, "voice_base_url");
  EXPECT_TRUE(url.ok()) << text << ": " << (url.ok() ? "" : url.error().message);
  return url.ok() ? url->to_string() : std::string();
}

TEST(BaseUrl, CanonicalFormOfAcceptableUrls) {
  EXPECT_EQ(canonical("https://api.bolna.ai"), "https://api.bolna.ai");
  EXPECT_EQ(canonical("https://API.Bolna.AI/"), "https://api.bolna.ai");
  EXPECT_EQ(canonical("HTTPS://voice.example.com:443//"), "https://voice.example.com");
  EXPECT_EQ(canonical("https://voice.example.com:8443/api/v1/"), "https://voice.example.com:8443/api/v1");
  EXPECT_EQ(canonical("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(canonical("http://2130706433:9"), "http://127.0.0.1:9");
  EXPECT_EQ(canonical("https://[::FFFF:127.0.0.1]"), "https://[::ffff:127.0.0.1]");
  EXPECT_EQ(canonical("https://example.com."), "https://example.com");
}

TEST(BaseUrl, RefusesWhatCouldMoveTheAppendedPath) {
  for (const char* bad : {
           "https://evil.example/?",   // the appended path becomes a query value
           "https://evil.example/x#",  // … or a fragment that is never sent
           "https://evil.example?a=1",
           "https://user:pw@api.bolna.ai",  // user info: api.bolna.ai is not the host
           "https://api.bolna.ai@evil.example",
           "https://evil.example\\@api.bolna.ai",
           "https://evil.example/%2e%2e/",
           "https://evil.example/a/../b",
           "https://evil.example/./b",
           "https://evil.example//b",
           "https://evil.example/a;b",
           "https://evil example",
           "https://evil.example/\n",
           "ftp://evil.example",
           "evil.example",
           "https://",
           "https://:443",
           "https://evil.example:0",
           "https://evil.example:65536",
           "https://evil.example:44a",
           "https://evil.example:",
           "https://[::1",
           "https://[nothing]",
           "https://-bad.example",
           "https://a..b",
           "https://1.2.3.4.5",  // numeric last label: not a name, not an address
           "https://example.123",
       }) {
    auto url = parse_base_url(bad, "voice_base_url");
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_TRUE(url.error().is(core::ErrorCode::validation_failed)) << bad;
    EXPECT_NE(url.error().message.find("\"voice_base_url\""), std::string::npos) << bad;
  }
}

TEST(OutboundPolicy, LoopbackAndPrivateHostsNeedTheFlag) {
  const OutboundPolicy strict{};
  const OutboundPolicy open{.allow_private = true};
  for (const char* url :
       {"https://127.0.0.1", "https://localhost:8080", "https://api.localhost", "https://2130706433",
        "https://[::ffff:127.0.0.1]", "https://[::1]", "https://10.0.0.2", "https://192.168.1.1"}) {
    auto refused = check_base_url(url, "voice_base_url", strict);
    ASSERT_FALSE(refused.ok()) << url;
    EXPECT_TRUE(refused.error().is(core::ErrorCode::forbidden_upstream)) << url;
    EXPECT_NE(refused.error().message.find("\"voice_base_url\""), std::string::npos);
    EXPECT_TRUE(check_base_url(url, "voice_base_url", open).ok()) << url;
  }
  for (const char* url : {"https://169.254.169.254", "https://[fe80::1]", "https://100.64.0.1",
                          "https://0.0.0.0", "https://[64:ff9b::a9fe:a9fe]"}) {
    auto refused = check_base_url(url, "voice_base_url", open);
    ASSERT_FALSE(refused.ok()) << url;
    EXPECT_TRUE(refused.error().is(core::ErrorCode::forbidden_upstream)) << url;
  }
}

TEST(OutboundPolicy, HttpsOnlyWithoutTheFlag) {
  auto refused = check_base_url("http://voice.example.com", "voice_base_url", OutboundPolicy{});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(core::ErrorCode::forbidden_upstream));
  EXPECT_EQ(
      *check_base_url("http://voice.example.com", "voice_base_url", OutboundPolicy{.allow_private = true}),
      "http://voice.example.com");
  EXPECT_EQ(*check_base_url("https://voice.example.com/", "voice_base_url", OutboundPolicy{}),
            "https://voice.example.com");
}

TEST(OutboundPolicy, SalesforceHostsAreSalesforceDomainsOnly) {
  for (const char* host : {"salesforce.com", "acme.my.salesforce.com", "na1.salesforce.com",
                           "acme.lightning.force.com", "acme--dev.sandbox.my.salesforce.com",
                           "x.cloudforce.com", "x.database.com", "acme.my.salesforce.mil"})
    EXPECT_TRUE(is_salesforce_host(host)) << host;
  for (const char* host : {"evilsalesforce.com", "salesforce.com.evil.example", "my-salesforce.com",
                           "force.co", "salesforce.comx", "example.com", ""})
    EXPECT_FALSE(is_salesforce_host(host)) << host;
}

TEST(OutboundPolicy, InstanceUrlMustBeSalesforceUnlessItIsTheLoginHost) {
  const OutboundPolicy policy{};
  EXPECT_EQ(*check_salesforce_instance_url("https://Acme.my.salesforce.com/", "instance_url", policy),
            "https://acme.my.salesforce.com");
  for (const char* bad :
       {"https://evil.example", "https://acme.my.salesforce.com/services", "http://acme.my.salesforce.com",
        "https://acme.my.salesforce.com:8443", "https://127.0.0.1", "https://salesforce.com.evil.example"}) {
    auto refused = check_salesforce_instance_url(bad, "instance_url", policy);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_TRUE(refused.error().is(core::ErrorCode::forbidden_upstream)) << bad;
  }
  auto query = check_salesforce_instance_url("https://acme.my.salesforce.com?x", "instance_url", policy);
  ASSERT_FALSE(query.ok());
  EXPECT_TRUE(query.error().is(core::ErrorCode::validation_failed));

  // The operator pointed the login URL at a simulator: its host and port are an instance too.
  const OutboundPolicy sim{.allow_private = true, .salesforce_login_url = "http://127.0.0.1:4010"};
  EXPECT_EQ(*check_salesforce_instance_url("http://127.0.0.1:4010/", "instance_url", sim),
            "http://127.0.0.1:4010");
  EXPECT_FALSE(check_salesforce_instance_url("http://127.0.0.1:4011", "instance_url", sim).ok());
  EXPECT_FALSE(check_salesforce_instance_url("http://localhost:4010", "instance_url", sim).ok());
  // Without the flag even the login host must be a public https one.
  const OutboundPolicy sim_strict{.allow_private = false, .salesforce_login_url = "http://127.0.0.1:4010"};
  EXPECT_FALSE(check_salesforce_instance_url("http://127.0.0.1:4010", "instance_url", sim_strict).ok());
}

}  // namespace
}  // namespace tenantsync::upstream
