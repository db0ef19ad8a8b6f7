#pragma once
// Who the client of a request is. Behind a reverse proxy every connection comes from the proxy,
// and X-Forwarded-For names the client; but any client can send that header, so it is believed
// only as far as the hops it passed are proxies the operator trusts (TENANTSYNC_TRUSTED_PROXIES).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"

namespace tenantsync::http {

/// An IPv4 or IPv6 network ("10.0.0.0/8", "fd00::/8", or one address).
class Cidr {
 public:
  /// Error validation_failed naming the text when it is not an address or a network.
  static Result<Cidr> parse(std::string_view text);
  /// Whether the address (IPv4, IPv6, or IPv4-mapped IPv6) is in the network.
  bool contains(std::string_view address) const;

 private:
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 as IPv4-mapped IPv6
  int prefix_bits_ = 0;                   // of the 128
};

/// The reverse proxies whose X-Forwarded-For is believed; empty: the header is ignored.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  /// A comma-separated list of CIDRs ("10.0.0.0/8, 127.0.0.1"); empty text: none.
  static Result<TrustedProxies> parse(std::string_view list);
  bool contains(std::string_view address) const;
  bool empty() const { return networks_.empty(); }

 private:
  std::vector<Cidr> networks_;
};

/// The client's address: the connection's peer, unless the peer is a trusted proxy; then the
/// rightmost hop of X-Forwarded-For that is not a trusted proxy (what the last trusted proxy saw;
/// hops further left are whatever the client wrote). A malformed hop ends the walk at the last
/// address that was checked, so a client cannot choose its own key.
std::string client_address(const Request& request, const TrustedProxies& trusted);

}  // namespace tenantsync::http
