#pragma once
// Every stable error code tenantsync produces, as one type. Clients and tests match on the
// strings (the API's "error" field, a run's stored error_code), so to_string and
// parse_error_code read one table and a code's spelling never changes.
#include <optional>
#include <string_view>

namespace tenantsync::core {

enum class ErrorCode {
  // requests and input (api, http)
  bad_request,
  malformed_json,
  payload_too_large,
  validation_failed,
  unauthorized,
  invalid_credentials,
  too_many_attempts,
  signup_disabled,
  cron_disabled,
  lead_exists,
  limit_exceeded,  ///< a per-tenant limit (runs, CRM connections, event streams, key checks)
  overloaded,      ///< the server has no room for more work now; try again after Retry-After
  // records (store)
  not_found,
  conflict,
  email_taken,
  db_error,
  db_busy,
  unique_violation,
  foreign_key_violation,
  // use cases (service)
  credentials_rejected,
  sync_unavailable,
  plan_not_found,
  // upstream platforms and CRMs
  key_rejected,
  needs_reauth,
  rate_limited,
  upstream_timeout,
  upstream_unreachable,
  upstream_too_large,
  upstream_not_found,
  upstream_error,
  upstream_malformed,
  // runs (the error_code a run ends with)
  no_api_key,
  mass_removal_held,
  plan_changed,
  interrupted,
  cancelled,
  connection_inactive,
  worker_lost,
  deadline_exceeded,
  internal_error,
  // configuration and secrets (app, crypto)
  bad_config,
  bad_cron,
  bad_database_url,
  secret_unreadable,
  secret_key_invalid,
  secret_key_unwritable,
  out_of_memory,
};

std::string_view to_string(ErrorCode code);
/// nullopt for any text to_string does not write.
std::optional<ErrorCode> parse_error_code(std::string_view text);
/// The upstream_* codes: the platform or CRM could not be asked (or answered nonsense).
bool is_upstream_failure(ErrorCode code);

}  // namespace tenantsync::core
