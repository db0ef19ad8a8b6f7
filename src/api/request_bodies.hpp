#pragma once
// The JSON bodies of the API's routes, read into the values the use cases take: pure functions of
// the body text (no store, no session), so each is unit-tested and fuzzed on its own. A body that
// is not a JSON object is ApiError 400 (malformed_json); a field of the wrong type or out of its
// bounds is 422 (validation_failed) naming the field. Nothing else is thrown.
#include <optional>
#include <string>
#include <string_view>

#include "service/agent_webhooks.hpp"
#include "service/crm_service.hpp"
#include "service/lead_service.hpp"
#include "core/role.hpp"
#include "service/settings_service.hpp"

namespace tenantsync::api {

/// Password bounds: sign-up asks for at least kMinPassword, sign-in for at least one byte (an
/// account made under an older rule must still sign in); a longer one never reaches the hash.
inline constexpr std::size_t kMinPassword = 8;
inline constexpr std::size_t kMaxPassword = 1024;
inline constexpr std::size_t kMaxTenantName = 200;

struct SignupBody {
  std::string tenant_name;  ///< 1..kMaxTenantName bytes
  std::string email;        ///< normalized, looks like an e-mail address
  std::string password;     ///< kMinPassword..kMaxPassword bytes
};
struct LoginBody {
  std::string email;     ///< normalized, looks like an e-mail address
  std::string password;  ///< 1..kMaxPassword bytes
};
struct VoiceSyncBody {
  bool dry_run = false;
  std::optional<std::string> confirm_plan;
};

/// POST /api/auth/signup: {tenant_name, email, password}.
SignupBody parse_signup_body(std::string_view body);
/// POST /api/auth/login: {email, password}.
LoginBody parse_login_body(std::string_view body);
/// PUT /api/tenant/settings: {voice_api_key?, voice_base_url?, default_region?}.
service::SettingsChange parse_settings_body(std::string_view body);
/// POST /api/leads: {name?, email?, phone?} (absent: empty; the use case validates them).
service::ManualLead parse_manual_lead_body(std::string_view body);
/// POST /api/crm/connect: {provider, instance_url?, and one of nango_connection_id (with
/// provider_config_key?), access_token, refresh_token}; the first non-empty one wins, and every
/// credential field given must be credential text.
service::ConnectCrm parse_connect_crm_body(std::string_view body);
/// POST /api/crm/connect-session: {provider, provider_config_key?} (empty: the default).
service::ConnectSessionRequest parse_connect_session_body(std::string_view body);
/// POST /api/tenant/sync: {dry_run?, confirm_plan?}; an empty body is {}.
VoiceSyncBody parse_voice_sync_body(std::string_view body);
/// POST /api/tenant/call-webhook/agents: {enabled, replace_others?}.
service::AgentWebhookChange parse_agent_webhooks_body(std::string_view body);
/// POST /api/sync/runs/{id}/confirm: {plan_id?}; an empty body is {}.
std::optional<std::string> parse_confirm_body(std::string_view body);

// --- the team (team_routes.cpp) ---
struct InvitationBody {
  std::string email;  ///< normalized, looks like an e-mail address
  core::Role role = core::Role::viewer;
};
/// POST /api/team/invitations: {email, role}.
InvitationBody parse_invitation_body(std::string_view body);
/// PATCH /api/team/members/{id}: {role}.
core::Role parse_role_body(std::string_view body);
/// POST /api/team/invitations/{token}/accept: the password of a new account (kMinPassword..
/// kMaxPassword bytes), or nullopt when the body has none ({} or empty): a signed-in person accepts
/// with their login.
std::optional<std::string> parse_accept_body(std::string_view body);
/// POST /api/auth/switch: {tenant_id}, a positive integer.
TenantId parse_switch_body(std::string_view body);
/// DELETE /api/tenant: {password} of 1..kMaxPassword bytes (min_length 1).
std::string parse_password_body(std::string_view body, std::size_t min_length);

}  // namespace tenantsync::api
