#include "upstream/base_url.hpp"

#include <fmt/format.h>

#include <charconv>

#include "upstream/address_rule.hpp"

namespace tenantsync::upstream {
namespace {

constexpr std::size_t kMaxUrlBytes = 2048;

Error invalid(std::string_view field, std::string_view problem) {
  return make_error(core::ErrorCode::validation_failed,
                    fmt::format("The field \"{}\" must be a base URL such as https://api.example.com ({}).",
                                field, problem));
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// A DNS name of letters, digits and hyphens. A last label of digits would be read as an IPv4
// number by resolvers, so it is never a name.
bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::string_view last;
  while (!host.empty()) {
    const auto dot = host.find('.');
    const std::string_view label = host.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    last = label;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
    if (host.empty()) return false;  // "a..b" or a final dot (removed before)
  }
  return !all_digits(last) && !last.starts_with("0x");
}

}  // namespace

std::string BaseUrl::to_string() const { return scheme + "://" + authority() + path; }

std::string BaseUrl::authority() const { return port ? fmt::format("{}:{}", host, *port) : host; }

Result<BaseUrl> parse_base_url(std::string_view text, std::string_view field) {
  if (text.size() > kMaxUrlBytes) return invalid(field, "it is too long");
  for (unsigned char c : text) {
    if (c <= ' ' || c >= 0x7f) return invalid(field, "no spaces, control or non-ASCII characters");
    if (c == '?' || c == '#') return invalid(field, "no query (?) or fragment (#)");
    if (c == '\\') return invalid(field, "no backslashes");
    if (c == '%') return invalid(field, "no percent-escapes");
  }
  BaseUrl url;
  const auto colon_slashes = text.find("://");
  if (colon_slashes == std::string_view::npos) return invalid(field, "it must start with https://");
  for (char c : text.substr(0, colon_slashes)) url.scheme.push_back(lower(c));
  if (url.scheme != "https" && url.scheme != "http") return invalid(field, "it must start with https://");
  std::string_view rest = text.substr(colon_slashes + 3);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return invalid(field, "no user name or password");

  std::string_view host;
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid(field, "an IPv6 address needs its closing ]");
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(":")) return invalid(field, "a port follows a colon");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") return invalid(field, "the port is empty");
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return invalid(field, "the port is empty");
    }
  }
  if (host.empty()) return invalid(field, "it has no host");
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (!all_digits(port) || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535)
      return invalid(field, "the port must be a number from 1 to 65535");
    const unsigned default_port = url.scheme == "https" ? 443 : 80;
    if (value != default_port) url.port = static_cast<std::uint16_t>(value);
  }

  std::string name;
  for (char c : host) name.push_back(lower(c));
  if (name.size() > 1 && name.back() == '.' && name.front() != '[') name.pop_back();
  if (auto ip = parse_ip_literal(name)) {
    // Every spelling of an address (decimal, hex, short forms) becomes its one canonical text.
    url.host = ip->v6 ? "[" + ip->to_string() + "]" : ip->to_string();
    url.host_is_ip = true;
  } else if (name.front() == '[' || !valid_host_name(name)) {
    return invalid(field, "the host must be a DNS name or an IP address");
  } else {
    url.host = std::move(name);
  }

  while (path.size() > 0 && path.back() == '/') path.remove_suffix(1);
  while (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    const auto next = path.find('/');
    const std::string_view segment = path.substr(0, next);
    if (segment.empty()) return invalid(field, "no empty path segments (//)");
    if (segment == "." || segment == "..") return invalid(field, "no . or .. path segments");
    for (char c : segment)
      if (!is_unreserved(c)) return invalid(field, "a path of letters, digits, - . _ ~ and / only");
    url.path += "/" + std::string(segment);
    path = next == std::string_view::npos ? std::string_view() : path.substr(next);
  }
  return url;
}

}  // namespace tenantsync::upstream
