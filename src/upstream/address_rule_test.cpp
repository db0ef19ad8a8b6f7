// The address rule over every range, as pure function calls: nothing here opens a socket.
#include "upstream/address_rule.hpp"

#include <gtest/gtest.h>

namespace tenantsync::upstream {
namespace {

AddressKind kind_of(const char* literal) {
  auto address = parse_ip_literal(literal);
  EXPECT_TRUE(address.has_value()) << literal;
  return address ? classify(*address) : AddressKind::public_address;
}

bool allowed(const char* literal, bool allow_private) {
  auto address = parse_ip_literal(literal);
  EXPECT_TRUE(address.has_value()) << literal;
  return address && may_connect(*address, allow_private);
}

struct Case {
  const char* address;
  AddressKind kind;
};

TEST(AddressRule, ClassifiesEveryIpv4Range) {
  const Case cases[] = {
      {"0.0.0.0", AddressKind::unspecified},
      {"0.255.1.2", AddressKind::unspecified},
      {"10.0.0.1", AddressKind::private_net},
      {"10.255.255.255", AddressKind::private_net},
      {"100.64.0.1", AddressKind::shared_cgnat},
      {"100.127.255.254", AddressKind::shared_cgnat},
      {"100.63.255.255", AddressKind::public_address},
      {"100.128.0.0", AddressKind::public_address},
      {"127.0.0.1", AddressKind::loopback},
      {"127.255.255.254", AddressKind::loopback},
      {"169.254.169.254", AddressKind::link_local},
      {"169.254.0.1", AddressKind::link_local},
      {"172.16.0.1", AddressKind::private_net},
      {"172.31.255.255", AddressKind::private_net},
      {"172.15.255.255", AddressKind::public_address},
      {"172.32.0.0", AddressKind::public_address},
      {"192.0.0.8", AddressKind::reserved},
      {"192.0.2.10", AddressKind::reserved},
      {"192.88.99.1", AddressKind::reserved},
      {"192.168.1.1", AddressKind::private_net},
      {"198.18.0.1", AddressKind::reserved},
      {"198.19.255.255", AddressKind::reserved},
      {"198.51.100.7", AddressKind::reserved},
      {"203.0.113.9", AddressKind::reserved},
      {"224.0.0.1", AddressKind::multicast},
      {"239.255.255.250", AddressKind::multicast},
      {"240.0.0.1", AddressKind::reserved},
      {"255.255.255.254", AddressKind::reserved},
      {"255.255.255.255", AddressKind::broadcast},
      {"8.8.8.8", AddressKind::public_address},
      {"1.1.1.1", AddressKind::public_address},
      {"93.184.216.34", AddressKind::public_address},
  };
  for (const auto& c : cases) EXPECT_EQ(kind_of(c.address), c.kind) << c.address;
}

TEST(AddressRule, ClassifiesEveryIpv6Range) {
  const Case cases[] = {
      {"::", AddressKind::unspecified},
      {"::1", AddressKind::loopback},
      {"::127.0.0.1", AddressKind::reserved},  // IPv4-compatible, deprecated
      {"::ffff:127.0.0.1", AddressKind::loopback},
      {"::ffff:10.1.2.3", AddressKind::private_net},
      {"::ffff:169.254.169.254", AddressKind::link_local},
      {"::ffff:8.8.8.8", AddressKind::public_address},
      {"::ffff:0:127.0.0.1", AddressKind::reserved},  // SIIT, not global
      {"64:ff9b::127.0.0.1", AddressKind::loopback},
      {"64:ff9b::a9fe:a9fe", AddressKind::link_local},  // NAT64 of 169.254.169.254
      {"64:ff9b::192.168.0.1", AddressKind::private_net},
      {"64:ff9b::8.8.8.8", AddressKind::public_address},
      {"64:ff9b:1::1", AddressKind::reserved},
      {"100::1", AddressKind::reserved},
      {"2001::1", AddressKind::reserved},  // Teredo
      {"2001:db8::1", AddressKind::reserved},
      {"2001:20::1", AddressKind::reserved},           // ORCHIDv2
      {"2002:7f00:1::1", AddressKind::loopback},       // 6to4 of 127.0.0.1
      {"2002:c0a8:101::1", AddressKind::private_net},  // 6to4 of 192.168.1.1
      {"2002:0808:0808::1", AddressKind::public_address},
      {"3fff::1", AddressKind::reserved},
      {"fc00::1", AddressKind::private_net},
      {"fd12:3456:789a::1", AddressKind::private_net},
      {"fe80::1", AddressKind::link_local},
      {"febf::1", AddressKind::link_local},
      {"fec0::1", AddressKind::reserved},
      {"ff02::1", AddressKind::multicast},
      {"2606:4700:4700::1111", AddressKind::public_address},
      {"2001:4860:4860::8888", AddressKind::public_address},
      {"4000::1", AddressKind::reserved},  // outside global unicast 2000::/3
  };
  for (const auto& c : cases) EXPECT_EQ(kind_of(c.address), c.kind) << c.address;
}

TEST(AddressRule, OnlyPublicAddressesWithoutTheFlag) {
  for (const char* refused :
       {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1", "224.0.0.1",
        "0.0.0.0", "255.255.255.255", "240.0.0.1", "::1", "::", "fc00::1", "fe80::1", "ff02::1",
        "::ffff:127.0.0.1", "64:ff9b::10.0.0.1", "2002:0a00:0001::1"})
    EXPECT_FALSE(allowed(refused, false)) << refused;
  for (const char* ok : {"8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1", "64:ff9b::1.1.1.1"})
    EXPECT_TRUE(allowed(ok, false)) << ok;
}

TEST(AddressRule, TheFlagLiftsLoopbackAndPrivateOnly) {
  for (const char* lifted :
       {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "::1", "fd00::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(allowed(lifted, true)) << lifted;
  // The metadata address and the other special ranges stay closed even then.
  for (const char* still : {"169.254.169.254", "fe80::1", "100.64.0.1", "224.0.0.1", "0.0.0.0",
                            "255.255.255.255", "192.0.2.1", "::", "ff02::1", "64:ff9b::169.254.169.254"})
    EXPECT_FALSE(allowed(still, true)) << still;
}

TEST(AddressRule, ReadsEveryIpv4NotationAResolverAccepts) {
  const std::pair<const char*, const char*> forms[] = {
      {"2130706433", "127.0.0.1"},
      {"0x7f000001", "127.0.0.1"},
      {"127.1", "127.0.0.1"},
      {"0177.0.0.1", "127.0.0.1"},
      {"0x7f.0.0.1", "127.0.0.1"},
      {"127.0.1", "127.0.0.1"},
      {"2852039166", "169.254.169.254"},
      {"0xA9.0xFE.0xA9.0xFE", "169.254.169.254"},
      {"10.1", "10.0.0.1"},
      {"127.0.0.1.", "127.0.0.1"},
      {"0", "0.0.0.0"},
  };
  for (const auto& [text, canonical] : forms) {
    auto address = parse_ip_literal(text);
    ASSERT_TRUE(address.has_value()) << text;
    EXPECT_EQ(address->to_string(), canonical) << text;
  }
}

TEST(AddressRule, ReadsIpv6WithOrWithoutBrackets) {
  auto bracketed = parse_ip_literal("[::ffff:127.0.0.1]");
  ASSERT_TRUE(bracketed.has_value());
  EXPECT_TRUE(bracketed->v6);
  EXPECT_EQ(classify(*bracketed), AddressKind::loopback);
  EXPECT_EQ(parse_ip_literal("[::1]")->to_string(), "::1");
}

TEST(AddressRule, NamesAndBadNumbersAreNotLiterals) {
  for (const char* name : {"example.com", "api.bolna.ai", "localhost", "1.2.3.4.5", "256.1.1.1", "4294967296",
                           "0x1g", "08.1.1.1", "1..2", "", "[::1", "::ffff:1.2.3.256", "fe80::1%eth0"})
    EXPECT_FALSE(parse_ip_literal(name).has_value()) << name;
}

}  // namespace
}  // namespace tenantsync::upstream
