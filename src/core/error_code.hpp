#pragma once
// Every stable error code tenantsync produces, as one type. Clients and tests match on the
// strings (the API's "error" field, a run's stored error_code), so to_string and
// parse_error_code read one table and a code's spelling never changes.
#include <optional>
#include <string>
#include <string_view>

namespace tenantsync::core {

enum class ErrorCode {
  // requests and input (api, http)
  bad_request,
  method_not_allowed,
  malformed_json,
  payload_too_large,
  validation_failed,
  unauthorized,
  invalid_credentials,
  too_many_attempts,
  signup_disabled,
  server_busy,
  cron_disabled,
  lead_exists,
  dashboard_not_built,
  limit_exceeded,  ///< a per-tenant limit (runs, CRM connections, event streams, key checks),
                   ///< or a run passed one of its bounds (records, bytes or pages)
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
  nango_not_configured,
  // upstream platforms and CRMs
  key_rejected,
  /// The stored CRM credentials can no longer be used (refresh refused, Nango connection gone):
  /// the user must reconnect that CRM; other connections go on.
  needs_reauth,
  rate_limited,
  upstream_timeout,
  upstream_unreachable,
  upstream_too_large,
  upstream_not_found,
  upstream_error,
  upstream_malformed,
  upstream_paging_loop,
  /// An outbound request to an address, scheme or host the server does not call (SSRF guard).
  forbidden_upstream,
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
  secret_key_missing,
  out_of_memory,
  // the server's own database (store), as a run or a request reports it to the operator
  /// The database stayed locked past the busy timeout (another process, a long transaction).
  store_busy,
  /// The database has no room to write (a full disk, SQLite's page limit, PostgreSQL's disk_full).
  store_full,
  /// The connection to the database was lost or could not be made (PostgreSQL restarted or
  /// terminated the session); the pool opens a fresh one for the next request.
  store_unavailable,
  /// The signed-in member's role is below the least role the route needs (viewer < member <
  /// admin < owner).
  forbidden_role,
  /// The change would leave the tenant without an owner (removing or demoting the last one).
  last_owner,
  /// The person accepting an invitation with their login is already a member of that tenant.
  already_member,
  /// An invitation accepted with a login whose e-mail is not the one invited.
  invitation_email_mismatch,
};

std::string_view to_string(ErrorCode code);
/// nullopt for any text to_string does not write.
std::optional<ErrorCode> parse_error_code(std::string_view text);
/// The upstream_* codes: the platform or CRM could not be asked (or answered nonsense).
bool is_upstream_failure(ErrorCode code);

/// nlohmann::json finds this by argument-dependent lookup, so a code put in a JSON body is its
/// text, never the enum's number. A template, so core needs no JSON header.
template <class Json>
void to_json(Json& json, ErrorCode code) {
  json = std::string(to_string(code));
}

/// Streams the code's text (test failure messages, GoogleTest's printer). A template, so core
/// needs no <ostream>.
template <class Stream>
  requires requires(Stream& out, std::string_view text) { out << text; }
Stream& operator<<(Stream& out, ErrorCode code) {
  out << to_string(code);
  return out;
}

}  // namespace tenantsync::core
