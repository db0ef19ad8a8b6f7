#include "api/security_headers.hpp"

namespace tenantsync::api {

std::string dashboard_csp(const std::vector<std::string>& frame_origins) {
  std::string frames;
  for (const auto& origin : frame_origins) frames += (frames.empty() ? "" : " ") + origin;
  // img-src allows data: for the inline favicon of index.html; nothing else is inline.
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src 'self'; frame-src " +
         (frames.empty() ? std::string("'none'") : frames) +
         "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

Headers dashboard_headers(const std::vector<std::string>& frame_origins) {
  return {
      {"Content-Security-Policy", dashboard_csp(frame_origins)},
      // For browsers without frame-ancestors.
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
}

}  // namespace tenantsync::api
