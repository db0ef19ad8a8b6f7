#include "core/error_code.hpp"

#include <array>
#include <utility>

namespace tenantsync::core {
namespace {

// One table: to_string and parse_error_code read the same rows, so they cannot disagree.
constexpr std::array<std::pair<ErrorCode, std::string_view>, 61> kCodes{{
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::method_not_allowed, "method_not_allowed"},
    {ErrorCode::malformed_json, "malformed_json"},
    {ErrorCode::payload_too_large, "payload_too_large"},
    {ErrorCode::validation_failed, "validation_failed"},
    {ErrorCode::unauthorized, "unauthorized"},
    {ErrorCode::invalid_credentials, "invalid_credentials"},
    {ErrorCode::too_many_attempts, "too_many_attempts"},
    {ErrorCode::signup_disabled, "signup_disabled"},
    {ErrorCode::server_busy, "server_busy"},
    {ErrorCode::cron_disabled, "cron_disabled"},
    {ErrorCode::lead_exists, "lead_exists"},
    {ErrorCode::dashboard_not_built, "dashboard_not_built"},
    {ErrorCode::overloaded, "overloaded"},
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::conflict, "conflict"},
    {ErrorCode::email_taken, "email_taken"},
    {ErrorCode::db_error, "db_error"},
    {ErrorCode::db_busy, "db_busy"},
    {ErrorCode::unique_violation, "unique_violation"},
    {ErrorCode::foreign_key_violation, "foreign_key_violation"},
    {ErrorCode::credentials_rejected, "credentials_rejected"},
    {ErrorCode::sync_unavailable, "sync_unavailable"},
    {ErrorCode::plan_not_found, "plan_not_found"},
    {ErrorCode::nango_not_configured, "nango_not_configured"},
    {ErrorCode::key_rejected, "key_rejected"},
    {ErrorCode::needs_reauth, "needs_reauth"},
    {ErrorCode::rate_limited, "rate_limited"},
    {ErrorCode::upstream_timeout, "upstream_timeout"},
    {ErrorCode::upstream_unreachable, "upstream_unreachable"},
    {ErrorCode::upstream_too_large, "upstream_too_large"},
    {ErrorCode::upstream_not_found, "upstream_not_found"},
    {ErrorCode::upstream_error, "upstream_error"},
    {ErrorCode::upstream_malformed, "upstream_malformed"},
    {ErrorCode::upstream_paging_loop, "upstream_paging_loop"},
    {ErrorCode::forbidden_upstream, "forbidden_upstream"},
    {ErrorCode::no_api_key, "no_api_key"},
    {ErrorCode::mass_removal_held, "mass_removal_held"},
    {ErrorCode::plan_changed, "plan_changed"},
    {ErrorCode::interrupted, "interrupted"},
    {ErrorCode::cancelled, "cancelled"},
    {ErrorCode::connection_inactive, "connection_inactive"},
    {ErrorCode::worker_lost, "worker_lost"},
    {ErrorCode::deadline_exceeded, "deadline_exceeded"},
    {ErrorCode::internal_error, "internal_error"},
    {ErrorCode::limit_exceeded, "limit_exceeded"},
    {ErrorCode::bad_config, "bad_config"},
    {ErrorCode::bad_cron, "bad_cron"},
    {ErrorCode::bad_database_url, "bad_database_url"},
    {ErrorCode::secret_unreadable, "secret_unreadable"},
    {ErrorCode::secret_key_invalid, "secret_key_invalid"},
    {ErrorCode::secret_key_unwritable, "secret_key_unwritable"},
    {ErrorCode::secret_key_missing, "secret_key_missing"},
    {ErrorCode::out_of_memory, "out_of_memory"},
    {ErrorCode::store_busy, "store_busy"},
    {ErrorCode::store_full, "store_full"},
    {ErrorCode::store_unavailable, "store_unavailable"},
    {ErrorCode::forbidden_role, "forbidden_role"},
    {ErrorCode::last_owner, "last_owner"},
    {ErrorCode::already_member, "already_member"},
    {ErrorCode::invitation_email_mismatch, "invitation_email_mismatch"},
}};

}  // namespace

std::string_view to_string(ErrorCode code) {
  for (const auto& [c, name] : kCodes)
    if (c == code) return name;
  return "internal_error";
}

std::optional<ErrorCode> parse_error_code(std::string_view text) {
  for (const auto& [c, name] : kCodes)
    if (name == text) return c;
  return std::nullopt;
}

bool is_upstream_failure(ErrorCode code) { return to_string(code).starts_with("upstream_"); }

}  // namespace tenantsync::core
