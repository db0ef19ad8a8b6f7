#include "upstream/address_rule.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace tenantsync::upstream {
namespace {

struct V4Range {
  std::uint32_t base;
  int prefix;
  AddressKind kind;
};

constexpr std::uint32_t v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

// IANA's IPv4 special-purpose registry, the ranges no public upstream lives in. Order matters
// only where ranges nest (the broadcast address inside 240/4).
constexpr V4Range kV4Ranges[] = {
    {v4(0, 0, 0, 0), 8, AddressKind::unspecified},       // "this network"
    {v4(10, 0, 0, 0), 8, AddressKind::private_net},      // RFC 1918
    {v4(100, 64, 0, 0), 10, AddressKind::shared_cgnat},  // RFC 6598
    {v4(127, 0, 0, 0), 8, AddressKind::loopback},        // RFC 1122
    {v4(169, 254, 0, 0), 16, AddressKind::link_local},   // RFC 3927, cloud metadata
    {v4(172, 16, 0, 0), 12, AddressKind::private_net},   // RFC 1918
    {v4(192, 0, 0, 0), 24, AddressKind::reserved},       // IETF protocol assignments
    {v4(192, 0, 2, 0), 24, AddressKind::reserved},       // TEST-NET-1
    {v4(192, 88, 99, 0), 24, AddressKind::reserved},     // 6to4 relay anycast (deprecated)
    {v4(192, 168, 0, 0), 16, AddressKind::private_net},  // RFC 1918
    {v4(198, 18, 0, 0), 15, AddressKind::reserved},      // benchmarking
    {v4(198, 51, 100, 0), 24, AddressKind::reserved},    // TEST-NET-2
    {v4(203, 0, 113, 0), 24, AddressKind::reserved},     // TEST-NET-3
    {v4(224, 0, 0, 0), 4, AddressKind::multicast},      {v4(255, 255, 255, 255), 32, AddressKind::broadcast},
    {v4(240, 0, 0, 0), 4, AddressKind::reserved},  // future use
};

bool in_v4(std::uint32_t address, std::uint32_t base, int prefix) {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (address & mask) == (base & mask);
}

AddressKind classify_v4(std::uint32_t address) {
  for (const auto& range : kV4Ranges)
    if (in_v4(address, range.base, range.prefix)) return range.kind;
  return AddressKind::public_address;
}

std::uint32_t v4_at(const std::array<std::uint8_t, 16>& bytes, std::size_t offset) {
  return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16) |
         (std::uint32_t{bytes[offset + 2]} << 8) | bytes[offset + 3];
}

// Whether the first `prefix` bits of `bytes` equal those of `pattern`.
bool in_v6(const std::array<std::uint8_t, 16>& bytes, std::initializer_list<std::uint8_t> pattern,
           int prefix) {
  std::array<std::uint8_t, 16> base{};
  std::copy(pattern.begin(), pattern.end(), base.begin());
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((bytes[byte] & mask) != (base[byte] & mask)) return false;
  }
  return true;
}

AddressKind classify_v6(const std::array<std::uint8_t, 16>& b) {
  const bool first_96_zero = in_v6(b, {}, 96);
  if (first_96_zero) {
    const std::uint32_t low = v4_at(b, 12);
    if (low == 0) return AddressKind::unspecified;
    if (low == 1) return AddressKind::loopback;
    return AddressKind::reserved;  // IPv4-compatible addresses, deprecated (RFC 4291)
  }
  if (in_v6(b, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96)) return classify_v4(v4_at(b, 12));  // mapped
  if (in_v6(b, {0x00, 0x64, 0xff, 0x9b}, 96)) return classify_v4(v4_at(b, 12));          // NAT64 (RFC 6052)
  if (in_v6(b, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48)) return AddressKind::reserved;  // local-use NAT64
  if (in_v6(b, {0x01, 0x00}, 64)) return AddressKind::reserved;                          // discard-only
  if (in_v6(b, {0x20, 0x01, 0x0d, 0xb8}, 32)) return AddressKind::reserved;              // documentation
  if (in_v6(b, {0x20, 0x01}, 23)) return AddressKind::reserved;     // Teredo, ORCHID, protocol assignments
  if (in_v6(b, {0x20, 0x02}, 16)) return classify_v4(v4_at(b, 2));  // 6to4 carries its IPv4 address
  if (in_v6(b, {0x3f, 0xff}, 20)) return AddressKind::reserved;     // documentation (RFC 9637)
  if (in_v6(b, {0xfc}, 7)) return AddressKind::private_net;         // unique local
  if (in_v6(b, {0xfe, 0x80}, 10)) return AddressKind::link_local;
  if (in_v6(b, {0xff}, 8)) return AddressKind::multicast;
  if (in_v6(b, {0x20}, 3)) return AddressKind::public_address;  // global unicast
  return AddressKind::reserved;  // everything else, incl. deprecated site-local fec0::/10
}

// One part of an inet_aton address: decimal, octal (leading 0) or hex (0x).
std::optional<std::uint64_t> numeric_part(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int base = 10;
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : text) {
    int digit = -1;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) return std::nullopt;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
    if (value > 0xffffffffull) return std::nullopt;
  }
  return value;
}

// "a", "a.b", "a.b.c" or "a.b.c.d", where the last part fills the remaining bytes (inet_aton).
std::optional<std::uint32_t> parse_numeric_v4(std::string_view host) {
  std::vector<std::uint64_t> parts;
  while (true) {
    const auto dot = host.find('.');
    auto part = numeric_part(host.substr(0, dot));
    if (!part || parts.size() == 4) return std::nullopt;
    parts.push_back(*part);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  std::uint32_t address = 0;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] > 0xff) return std::nullopt;
    address |= static_cast<std::uint32_t>(parts[i]) << (24 - 8 * i);
  }
  const int rest_bits = 32 - 8 * static_cast<int>(parts.size() - 1);
  if (rest_bits < 32 && parts.back() >= (std::uint64_t{1} << rest_bits)) return std::nullopt;
  return address | static_cast<std::uint32_t>(parts.back());
}

}  // namespace

IpAddress IpAddress::v4_of(std::uint32_t host_order) {
  IpAddress out;
  out.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
  out.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
  out.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
  out.bytes[3] = static_cast<std::uint8_t>(host_order);
  return out;
}

IpAddress IpAddress::v6_of(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress out;
  out.v6 = true;
  out.bytes = bytes;
  return out;
}

std::string IpAddress::to_string() const {
  if (!v6) return fmt::format("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]);
  char text[INET6_ADDRSTRLEN] = {0};
  in6_addr raw{};
  std::memcpy(&raw, bytes.data(), bytes.size());
  return inet_ntop(AF_INET6, &raw, text, sizeof text) ? std::string(text) : std::string("?");
}

AddressKind classify(const IpAddress& address) {
  return address.v6 ? classify_v6(address.bytes) : classify_v4(v4_at(address.bytes, 0));
}

bool may_connect(const IpAddress& address, bool allow_private) {
  switch (classify(address)) {
    case AddressKind::public_address:
      return true;
    case AddressKind::loopback:
    case AddressKind::private_net:
      return allow_private;
    default:
      return false;
  }
}

std::optional<IpAddress> parse_ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.find(':') != std::string_view::npos) {
    const std::string text(host);
    in6_addr raw{};
    if (inet_pton(AF_INET6, text.c_str(), &raw) != 1) return std::nullopt;
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &raw, bytes.size());
    return IpAddress::v6_of(bytes);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // a resolver ignores one final dot
  if (auto number = parse_numeric_v4(host)) return IpAddress::v4_of(*number);
  return std::nullopt;
}

std::string_view describe(AddressKind kind) {
  switch (kind) {
    case AddressKind::public_address:
      return "a public address";
    case AddressKind::loopback:
      return "a loopback address";
    case AddressKind::private_net:
      return "a private network address";
    case AddressKind::link_local:
      return "a link-local address";
    case AddressKind::shared_cgnat:
      return "a carrier-grade NAT address";
    case AddressKind::multicast:
      return "a multicast address";
    case AddressKind::unspecified:
      return "an unspecified address";
    case AddressKind::broadcast:
      return "the broadcast address";
    case AddressKind::reserved:
      return "a reserved address";
  }
  return "a reserved address";
}

}  // namespace tenantsync::upstream
