#include "http/client_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace tenantsync::http {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// An address as 16 bytes (IPv4 mapped into IPv6), so both families compare alike.
std::optional<Bytes> parse_address(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string copy(text);
  Bytes out{};
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool is_v4_mapped(const Bytes& b) {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xff && b[11] == 0xff;
}

}  // namespace

Result<Cidr> Cidr::parse(std::string_view text) {
  const auto invalid =
      make_error(core::ErrorCode::validation_failed,
                 "\"" + std::string(text) + "\" is not an IP address or network such as 10.0.0.0/8");
  const auto slash = text.find('/');
  const auto address = parse_address(text.substr(0, slash));
  if (!address) return invalid;
  Cidr cidr;
  cidr.bytes_ = *address;
  const bool v4 = is_v4_mapped(*address) && text.substr(0, slash).find(':') == std::string_view::npos;
  cidr.prefix_bits_ = 128;
  if (slash != std::string_view::npos) {
    const auto bits_text = text.substr(slash + 1);
    int bits = -1;
    auto [ptr, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (ec != std::errc() || ptr != bits_text.data() + bits_text.size() || bits < 0 || bits > (v4 ? 32 : 128))
      return invalid;
    cidr.prefix_bits_ = v4 ? 96 + bits : bits;
  }
  // Host bits are cleared, so "10.1.2.3/8" means 10.0.0.0/8.
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(cidr.prefix_bits_ - i * 8, 0, 8);
    cidr.bytes_[i] &= static_cast<std::uint8_t>(0xff00 >> keep);
  }
  return cidr;
}

bool Cidr::contains(std::string_view address) const {
  const auto parsed = parse_address(address);
  if (!parsed) return false;
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(prefix_bits_ - i * 8, 0, 8);
    const auto mask = static_cast<std::uint8_t>(0xff00 >> keep);
    if (((*parsed)[i] & mask) != bytes_[i]) return false;
  }
  return true;
}

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = trim(list.substr(0, comma));
    if (!item.empty()) {
      auto cidr = Cidr::parse(item);
      if (!cidr.ok()) return cidr.error();
      out.networks_.push_back(*cidr);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool TrustedProxies::contains(std::string_view address) const {
  for (const auto& network : networks_)
    if (network.contains(address)) return true;
  return false;
}

std::string client_address(const Request& request, const TrustedProxies& trusted) {
  std::string client = request.remote_address;
  if (trusted.empty() || !trusted.contains(client)) return client;
  std::string_view hops = request.header("x-forwarded-for");
  while (!hops.empty()) {
    const auto comma = hops.rfind(',');
    const auto hop = trim(comma == std::string_view::npos ? hops : hops.substr(comma + 1));
    if (!parse_address(hop)) return client;
    client = std::string(hop);
    if (!trusted.contains(client)) return client;
    hops = comma == std::string_view::npos ? std::string_view{} : hops.substr(0, comma);
  }
  return client;
}

}  // namespace tenantsync::http
