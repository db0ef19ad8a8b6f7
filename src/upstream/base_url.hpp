#pragma once
// Base URLs that tenants and operators give (a white-label voice API, a Salesforce instance):
// an origin, optionally with a plain path prefix, that request paths are appended to. Anything
// that could change where an appended path goes (a query or fragment that swallows it, user
// info, backslashes, percent-escapes, dot segments) is refused rather than repaired.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tenantsync::upstream {

struct BaseUrl {
  std::string scheme;  ///< "https" or "http"
  std::string host;  ///< lower case, without a final dot; an IP literal in canonical form (IPv6 in brackets)
  std::optional<std::uint16_t> port;  ///< only when not the scheme's default
  std::string path;                   ///< "" or "/segment/segment", never a trailing slash
  bool host_is_ip = false;

  /// scheme://host[:port][path]
  std::string to_string() const;
  /// host[:port]: what two URLs must share to reach the same server.
  std::string authority() const;
};

/// Parses `text` (one trailing slash or more is dropped). Errors are validation_failed and name
/// `field` ("The field \"voice_base_url\" must …").
Result<BaseUrl> parse_base_url(std::string_view text, std::string_view field);

}  // namespace tenantsync::upstream
