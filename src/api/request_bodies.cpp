#include "api/request_bodies.hpp"

#include "api/json.hpp"
#include "core/credential_text.hpp"
#include "core/email.hpp"
#include "core/run_types.hpp"

namespace tenantsync::api {
namespace {

// The longest e-mail field read at all: a little over the 254 bytes an address may have, so
// surrounding spaces still pass; anything longer is refused before it is copied or normalized.
constexpr std::size_t kMaxEmailField = 320;

// Lengths are checked before any other work: a megabyte e-mail or password must not reach the
// normalizer, a throttle key or the (deliberately slow) password hash.
std::string valid_email(const Json& body) {
  const auto& raw = require_string(body, "email");
  if (raw.size() > kMaxEmailField) {
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The field \"email\" must be an e-mail address of at most 254 characters.");
  }
  const auto email = core::normalize_email(raw);
  if (!core::looks_like_email(email)) {
    throw ApiError(422, core::ErrorCode::validation_failed, "The field \"email\" must be an e-mail address.");
  }
  return email;
}

std::string valid_password(const Json& body, std::size_t min_length) {
  auto password = require_string(body, "password");
  if (password.size() < min_length || password.size() > kMaxPassword) {
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The field \"password\" must be " + std::to_string(min_length) + " to " +
                       std::to_string(kMaxPassword) + " characters.");
  }
  return password;
}

// An optional credential field (a token, a Nango id or key): 422 naming the field when it holds
// anything a token cannot (CR/LF, other control characters, spaces), even when another field wins.
std::optional<std::string> credential_field(const Json& body, const char* field) {
  auto value = optional_string(body, field);
  if (value && !value->empty() && !core::is_credential_text(*value))
    throw_error(make_error(core::ErrorCode::validation_failed, core::credential_text_refusal(field)));
  return value;
}

core::Role valid_role(const Json& body) {
  const auto role = core::parse_role(require_string(body, "role"));
  if (!role) {
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The field \"role\" must be one of owner, admin, member, viewer.");
  }
  return *role;
}

}  // namespace

SignupBody parse_signup_body(std::string_view text) {
  const Json body = parse_object_body(text);
  SignupBody out;
  out.tenant_name = require_string(body, "tenant_name");
  if (out.tenant_name.empty() || out.tenant_name.size() > kMaxTenantName) {
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The field \"tenant_name\" must be 1 to 200 characters.");
  }
  out.email = valid_email(body);
  out.password = valid_password(body, kMinPassword);
  return out;
}

LoginBody parse_login_body(std::string_view text) {
  const Json body = parse_object_body(text);
  LoginBody out;
  out.email = valid_email(body);
  out.password = valid_password(body, 1);
  return out;
}

service::SettingsChange parse_settings_body(std::string_view text) {
  const Json body = parse_object_body(text);
  return service::SettingsChange{optional_string(body, "voice_api_key"),
                                 optional_string(body, "voice_base_url"),
                                 optional_string(body, "default_region")};
}

service::ManualLead parse_manual_lead_body(std::string_view text) {
  const Json body = parse_object_body(text);
  return service::ManualLead{optional_string(body, "name").value_or(""),
                             optional_string(body, "email").value_or(""),
                             optional_string(body, "phone").value_or("")};
}

service::ConnectCrm parse_connect_crm_body(std::string_view text) {
  const Json body = parse_object_body(text);
  service::ConnectCrm request;
  request.provider = core::parse_crm_provider(require_string(body, "provider"));
  request.instance_url = optional_string(body, "instance_url").value_or("");
  // The credentials: the first of a Nango connection, an access token, a refresh token.
  const auto nango = credential_field(body, "nango_connection_id");
  const auto config_key = credential_field(body, "provider_config_key");
  const auto token = credential_field(body, "access_token");
  const auto refresh = credential_field(body, "refresh_token");
  if (nango && !nango->empty()) {
    request.auth_kind = core::CrmAuthKind::nango;
    request.secret = *nango;
    request.provider_config_key = config_key;
  } else if (token && !token->empty()) {
    request.auth_kind = core::CrmAuthKind::access_token;
    request.secret = *token;
  } else if (refresh && !refresh->empty()) {
    request.auth_kind = core::CrmAuthKind::refresh_token;
    request.secret = *refresh;
  }
  return request;
}

service::ConnectSessionRequest parse_connect_session_body(std::string_view text) {
  const Json body = parse_object_body(text);
  service::ConnectSessionRequest request;
  request.provider = core::parse_crm_provider(require_string(body, "provider"));
  request.provider_config_key = credential_field(body, "provider_config_key");
  if (request.provider_config_key && request.provider_config_key->empty())
    request.provider_config_key.reset();
  return request;
}

VoiceSyncBody parse_voice_sync_body(std::string_view text) {
  const Json body = parse_object_body(text);
  return VoiceSyncBody{optional_bool(body, "dry_run").value_or(false), optional_string(body, "confirm_plan")};
}

service::AgentWebhookChange parse_agent_webhooks_body(std::string_view text) {
  const Json body = parse_object_body(text);
  const auto enabled = optional_bool(body, "enabled");
  if (!enabled)
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The field \"enabled\" is required: true sends calls here, false stops it.");
  return service::AgentWebhookChange{*enabled, optional_bool(body, "replace_others").value_or(false)};
}

std::optional<std::string> parse_confirm_body(std::string_view text) {
  return optional_string(parse_object_body(text), "plan_id");
}

InvitationBody parse_invitation_body(std::string_view text) {
  const Json body = parse_object_body(text);
  return InvitationBody{valid_email(body), valid_role(body)};
}

core::Role parse_role_body(std::string_view text) { return valid_role(parse_object_body(text)); }

std::optional<std::string> parse_accept_body(std::string_view text) {
  const Json body = parse_object_body(text);
  const auto password = body.find("password");
  if (password == body.end() || password->is_null()) return std::nullopt;
  return valid_password(body, kMinPassword);
}

TenantId parse_switch_body(std::string_view text) {
  const Json body = parse_object_body(text);
  const auto id = body.find("tenant_id");
  if (id == body.end() || !id->is_number_integer() || id->get<std::int64_t>() < 1) {
    throw ApiError(422, core::ErrorCode::validation_failed, "The field \"tenant_id\" must be a tenant's id.");
  }
  return TenantId{id->get<std::int64_t>()};
}

std::string parse_password_body(std::string_view text, std::size_t min_length) {
  return valid_password(parse_object_body(text), min_length);
}

}  // namespace tenantsync::api
