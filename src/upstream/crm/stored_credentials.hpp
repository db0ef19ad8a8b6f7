#pragma once
// The one owner of the stored CRM credentials format: the JSON a CRM connection keeps (sealed)
// in the store, written when a CRM is connected and when a refresh rotated the tokens, read
// before every run. Nango connections store none (Nango keeps them).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tenantsync::upstream {

struct StoredCredentials {
  std::string access_token;        ///< a stored token, or the latest OAuth access token
  std::string refresh_token;       ///< OAuth connections; the latest one (it may rotate)
  std::string instance_url;        ///< Salesforce; empty for HubSpot
  std::int64_t expires_at_ms = 0;  ///< of access_token; 0: unknown (refresh on first use)
};

/// {"access_token", "refresh_token", "instance_url", "expires_at_ms"}, each only when set.
std::string to_json(const StoredCredentials& credentials);
/// Reads what to_json wrote (fields of another type count as unset; an empty text is no
/// credentials at all); core::ErrorCode::needs_reauth ("needs_reauth") when it is not a JSON object.
Result<StoredCredentials> parse_stored_credentials(std::string_view json);

}  // namespace tenantsync::upstream
