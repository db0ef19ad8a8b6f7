#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace tenantsync::http {
namespace {

Request from(const std::string& peer, const std::string& forwarded_for = "") {
  Request r;
  r.remote_address = peer;
  if (!forwarded_for.empty()) r.headers["x-forwarded-for"] = forwarded_for;
  return r;
}

TrustedProxies trusted(const std::string& list) {
  auto parsed = TrustedProxies::parse(list);
  EXPECT_TRUE(parsed.ok()) << list;
  return parsed.ok() ? *parsed : TrustedProxies{};
}

TEST(Cidr, MatchesNetworksOfBothFamilies) {
  auto net = Cidr::parse("10.0.0.0/8");
  ASSERT_TRUE(net.ok());
  EXPECT_TRUE(net->contains("10.255.1.2"));
  EXPECT_TRUE(net->contains("::ffff:10.1.2.3"));  // a dual-stack socket's view of 10.1.2.3
  EXPECT_FALSE(net->contains("11.0.0.1"));
  EXPECT_FALSE(net->contains("not an address"));
  auto host = Cidr::parse("192.168.1.7");
  ASSERT_TRUE(host.ok());
  EXPECT_TRUE(host->contains("192.168.1.7"));
  EXPECT_FALSE(host->contains("192.168.1.8"));
  auto v6 = Cidr::parse("fd00::/8");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->contains("fd12:3456::1"));
  EXPECT_FALSE(v6->contains("fe80::1"));
  auto host_bits = Cidr::parse("172.16.9.9/12");
  ASSERT_TRUE(host_bits.ok());
  EXPECT_TRUE(host_bits->contains("172.31.0.1"));
  auto all = Cidr::parse("0.0.0.0/0");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->contains("8.8.8.8"));
  EXPECT_FALSE(all->contains("2001:db8::1"));
}

TEST(Cidr, RefusesWhatIsNotANetwork) {
  for (const char* bad :
       {"", "10.0.0.0/33", "fd00::/129", "10.0.0/8", "10.0.0.0/", "10.0.0.0/8x", "example.com"}) {
    auto parsed = Cidr::parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_TRUE(parsed.error().is(core::ErrorCode::validation_failed));
  }
  EXPECT_FALSE(TrustedProxies::parse("10.0.0.0/8, nonsense").ok());
  EXPECT_TRUE(TrustedProxies::parse("").ok());
  EXPECT_TRUE(TrustedProxies::parse(" 10.0.0.0/8 , ::1 ").ok());
}

TEST(ClientAddress, IgnoresForwardedForWithoutTrustedProxies) {
  EXPECT_EQ(client_address(from("203.0.113.9", "1.2.3.4"), TrustedProxies{}), "203.0.113.9");
  // A peer that is not a trusted proxy cannot name another client.
  EXPECT_EQ(client_address(from("203.0.113.9", "1.2.3.4"), trusted("10.0.0.0/8")), "203.0.113.9");
}

TEST(ClientAddress, TakesTheRightmostHopThatIsNotATrustedProxy) {
  const auto proxies = trusted("10.0.0.0/8, 127.0.0.1");
  // The client wrote "6.6.6.6"; the proxy appended what it saw, 198.51.100.7.
  EXPECT_EQ(client_address(from("10.0.0.2", "6.6.6.6, 198.51.100.7"), proxies), "198.51.100.7");
  // Two proxies in a row.
  EXPECT_EQ(client_address(from("127.0.0.1", "6.6.6.6,198.51.100.7, 10.0.0.3"), proxies), "198.51.100.7");
  // No header: the proxy itself.
  EXPECT_EQ(client_address(from("10.0.0.2"), proxies), "10.0.0.2");
  // Every hop trusted: the leftmost one.
  EXPECT_EQ(client_address(from("10.0.0.2", "10.0.0.9"), proxies), "10.0.0.9");
  // IPv6 hops.
  EXPECT_EQ(client_address(from("10.0.0.2", "2001:db8::7"), proxies), "2001:db8::7");
}

TEST(ClientAddress, AMalformedHopEndsTheWalkAtTheLastCheckedAddress) {
  const auto proxies = trusted("10.0.0.0/8");
  EXPECT_EQ(client_address(from("10.0.0.2", "garbage"), proxies), "10.0.0.2");
  EXPECT_EQ(client_address(from("10.0.0.2", "1.2.3.4, 10.0.0.5, unknown"), proxies), "10.0.0.2");
  EXPECT_EQ(client_address(from("10.0.0.2", "x, 10.0.0.5"), proxies), "10.0.0.5");
  EXPECT_EQ(client_address(from("10.0.0.2", std::string(5000, '1')), proxies), "10.0.0.2");
}

}  // namespace
}  // namespace tenantsync::http
