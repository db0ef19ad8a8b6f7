#pragma once
// The headers that tell a browser what the dashboard may do: load its own scripts, styles and
// data only (no inline script or style, so an injected one does not run), never be framed by
// another site, send no referrer. The server adds X-Content-Type-Options: nosniff to every answer.
#include <string>
#include <utility>
#include <vector>

namespace tenantsync::api {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// The Content-Security-Policy of the dashboard. `frame_origins` are origins the dashboard may
/// show in a frame (a CRM provider's connect window); none by default.
std::string dashboard_csp(const std::vector<std::string>& frame_origins = {});

/// Every header the dashboard's pages and assets carry (the CSP, frame and referrer rules).
Headers dashboard_headers(const std::vector<std::string>& frame_origins = {});

}  // namespace tenantsync::api
