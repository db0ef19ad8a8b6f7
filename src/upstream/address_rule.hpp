#pragma once
// Which IP addresses an outbound request may connect to. A tenant chooses base URLs and the
// server connects with its own network position, so only public addresses are callable unless
// the operator lifts the rule for loopback and private networks (on-premise upstreams, tests,
// the demo). Pure functions: every range is unit-tested without sending a packet anywhere.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tenantsync::upstream {

/// An IPv4 or IPv6 address; IPv4 is kept as itself (not as ::ffff:a.b.c.d).
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  ///< IPv4: the first 4 bytes

  static IpAddress v4_of(std::uint32_t host_order);
  static IpAddress v6_of(const std::array<std::uint8_t, 16>& bytes);
  /// Dotted quad or RFC 5952 text (for logs; never shown to a tenant).
  std::string to_string() const;
};

/// What an address is, by the special-purpose registries of IANA (RFC 6890 and successors).
enum class AddressKind {
  public_address,
  loopback,      ///< 127/8, ::1
  private_net,   ///< 10/8, 172.16/12, 192.168/16, fc00::/7 (unique local)
  link_local,    ///< 169.254/16 (incl. the cloud metadata address 169.254.169.254), fe80::/10
  shared_cgnat,  ///< 100.64/10
  multicast,     ///< 224/4, ff00::/8
  unspecified,   ///< 0/8, ::
  broadcast,     ///< 255.255.255.255
  reserved,      ///< documentation, benchmarking, protocol assignments, 240/4, non-global IPv6
};

/// The kind of `address`. IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:0:0/96,
/// NAT64 64:ff9b::/96, 6to4 2002::/16) are the kind of the IPv4 address they carry.
AddressKind classify(const IpAddress& address);

/// Whether a request may connect to `address`. `allow_private` (TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS)
/// admits loopback and private networks; link-local (metadata), CGNAT, multicast and reserved
/// addresses stay refused.
bool may_connect(const IpAddress& address, bool allow_private);

/// The address a URL host names literally, in any notation a resolver accepts: dotted quad,
/// the short and numeric IPv4 forms of inet_aton ("2130706433", "127.1", "0x7f.0.0.1",
/// "0177.0.0.1"), or IPv6 with or without brackets. nullopt for a name.
std::optional<IpAddress> parse_ip_literal(std::string_view host);

/// "loopback", "private network", … for messages.
std::string_view describe(AddressKind kind);

}  // namespace tenantsync::upstream
