#pragma once
// The errors the use cases add to the store's ("not_found", "conflict", "db_error", …) and the
// upstreams' ("key_rejected", "upstream_timeout", …); the API maps each code to a status.
#include <string>

#include "core/result.hpp"

namespace tenantsync::service {

/// A value a person gave is not acceptable (422).
inline Error invalid(std::string message) {
  return make_error(core::ErrorCode::validation_failed, std::move(message));
}

/// The CRM refused the credentials, or they cannot be used (422).
inline Error credentials_rejected(std::string message) {
  return make_error(core::ErrorCode::credentials_rejected, std::move(message));
}

/// The server runs without the sync engine (503).
inline Error sync_unavailable() {
  return make_error(core::ErrorCode::sync_unavailable, "This server runs without the sync engine.");
}

/// The plan a person confirmed is no longer the one held (409).
inline Error plan_not_found() {
  return make_error(
      core::ErrorCode::plan_not_found,
      "There is no held sync with that plan any more. Run the sync again to see the current plan.");
}

}  // namespace tenantsync::service
