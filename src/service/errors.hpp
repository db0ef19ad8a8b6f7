#pragma once
// Error codes the use cases add to the store's ("not_found", "conflict", "db_error", …) and
// the upstreams' ("key_rejected", "upstream_timeout", …). The API maps each to a status.
#include "core/result.hpp"

namespace tenantsync::service {

inline constexpr const char* kErrValidation = "validation_failed";
inline constexpr const char* kErrCredentialsRejected = "credentials_rejected";
inline constexpr const char* kErrSyncUnavailable = "sync_unavailable";
inline constexpr const char* kErrPlanNotFound = "plan_not_found";

inline Error invalid(std::string message) { return make_error(kErrValidation, std::move(message)); }

inline Error sync_unavailable() {
  return make_error(kErrSyncUnavailable, "This server runs without the sync engine.");
}

}  // namespace tenantsync::service
