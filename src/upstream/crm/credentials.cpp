#include "upstream/crm/credentials.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/time_format.hpp"
#include "upstream/bounded_json.hpp"
#include "upstream/crm/answer_text.hpp"

namespace tenantsync::upstream {
namespace {

using Json = nlohmann::json;

// A token lifetime over a year is no real provider's: it is read as a year, so the expiry stays a
// time that fits (expires_in 9e15 seconds overflowed 64-bit milliseconds; fuzz/oauth_token checks it).
constexpr std::int64_t kMaxLifetimeSeconds = 365LL * 24 * 3600;

Error needs_reauth(const std::string& reason) {
  return make_error(core::ErrorCode::needs_reauth,
                    fmt::format("Reconnect your CRM: {}.", trim_reason(reason)));
}

const char* provider_name(OAuthProvider provider) {
  return provider == OAuthProvider::hubspot ? "HubSpot" : "Salesforce";
}

// Token endpoints answer {error, error_description} (OAuth 2, HubSpot v3, Salesforce) or
// {status, message} (HubSpot v1).
Error refresh_error(OAuthProvider provider, int status, const std::string& body) {
  const Json root = parse_bounded_json(body);
  const std::string error = text_at(root, "error");
  const std::string v1_status = text_at(root, "status");
  std::string reason = text_at(root, "error_description");
  if (reason.empty()) reason = text_at(root, "message");
  if (reason.empty()) reason = error.empty() ? v1_status : error;
  if (reason.empty()) reason = fmt::format("HTTP {}", status);
  const char* name = provider_name(provider);
  if (status == 401 || error == "invalid_grant" || v1_status == "BAD_REFRESH_TOKEN")
    return needs_reauth(fmt::format("{} refused the refresh token ({})", name, trim_reason(reason)));
  if (error == "invalid_client" || v1_status == "BAD_CLIENT_ID" || v1_status == "BAD_CLIENT_SECRET")
    return make_error(core::ErrorCode::key_rejected,
                      fmt::format("{} refused this server's OAuth client id or secret ({}). Check "
                                  "the CRM app settings of the server.",
                                  name, trim_reason(reason)));
  if (status == 429)
    return make_error(core::ErrorCode::rate_limited,
                      fmt::format("{} is rate-limiting token refreshes. Try again in a few minutes.", name));
  return make_error(core::ErrorCode::upstream_error,
                    fmt::format("{} answered {} to a token refresh ({}). Try again later.", name, status,
                                trim_reason(reason)));
}

}  // namespace

StaticTokenSource::StaticTokenSource(std::string access_token, std::string instance_url) {
  credentials_.access_token = std::move(access_token);
  credentials_.instance_url = std::move(instance_url);
}

Result<AccessCredentials> StaticTokenSource::get(bool force_refresh) {
  if (force_refresh)
    return needs_reauth("the CRM refused the stored access token, and a stored token cannot be refreshed");
  if (credentials_.access_token.empty()) return needs_reauth("no access token is stored for this connection");
  return credentials_;
}

OAuthRefreshSource::OAuthRefreshSource(HttpClient& http, const Clock& clock, OAuthRefreshOptions options)
    : http_(http), clock_(clock), options_(std::move(options)) {
  const bool hubspot = options_.provider == OAuthProvider::hubspot;
  if (options_.base_url.empty())
    options_.base_url = hubspot ? "https://api.hubapi.com" : "https://login.salesforce.com";
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  if (options_.token_path.empty())
    options_.token_path = hubspot ? "/oauth/v1/token" : "/services/oauth2/token";
  if (!options_.access_token.empty() && options_.access_expires_at_ms > 0)
    cached_ = AccessCredentials{options_.access_token,
                                options_.instance_url,
                                options_.access_expires_at_ms,
                                options_.refresh_token,
                                {}};
}

bool OAuthRefreshSource::refreshed_since_load() const {
  std::lock_guard lock(mutex_);
  return refreshed_;
}

std::string OAuthRefreshSource::refresh_token() const {
  std::lock_guard lock(mutex_);
  return options_.refresh_token;
}

Result<AccessCredentials> OAuthRefreshSource::get(bool force_refresh) {
  std::lock_guard lock(mutex_);
  const std::int64_t now_ms = to_epoch_ms(clock_.now());
  if (!force_refresh && cached_ && now_ms < cached_->expires_at_ms - options_.refresh_margin.count())
    return *cached_;
  return refresh();
}

Result<AccessCredentials> OAuthRefreshSource::refresh() {
  if (options_.refresh_token.empty()) return needs_reauth("no refresh token is stored for this connection");
  HttpRequest request;
  request.method = "POST";
  request.url = options_.base_url + options_.token_path;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = "grant_type=refresh_token&client_id=" + url_encode(options_.client_id) +
                 "&client_secret=" + url_encode(options_.client_secret) +
                 "&refresh_token=" + url_encode(options_.refresh_token);
  request.timeout = options_.request_timeout;
  // Not retried by a retrying transport: a provider that rotates refresh tokens may already have
  // spent the old one when the answer was lost.
  request.idempotent = false;
  auto response = http_.send(request);
  if (!response.ok()) return response.error();
  if (response->status < 200 || response->status >= 300)
    return refresh_error(options_.provider, response->status, response->body);
  const Json root = parse_bounded_json(response->body);
  const std::string access = text_at(root, "access_token");
  if (access.empty())
    return make_error(core::ErrorCode::upstream_malformed,
                      fmt::format("{} answered a token refresh without an access token. Try again "
                                  "later.",
                                  provider_name(options_.provider)));
  AccessCredentials fresh;
  fresh.access_token = access;
  const std::int64_t now_ms = to_epoch_ms(clock_.now());
  std::int64_t lifetime_ms = options_.assumed_lifetime.count();
  if (auto it = root.find("expires_in");
      it != root.end() && it->is_number_integer() && it->get<std::int64_t>() > 0)
    lifetime_ms = std::min(it->get<std::int64_t>(), kMaxLifetimeSeconds) * 1000;
  fresh.expires_at_ms = now_ms + lifetime_ms;
  if (const std::string instance = text_at(root, "instance_url"); !instance.empty())
    options_.instance_url = instance;
  fresh.instance_url = options_.instance_url;
  if (const std::string rotated = text_at(root, "refresh_token"); !rotated.empty())
    options_.refresh_token = rotated;
  fresh.refresh_token = options_.refresh_token;
  cached_ = fresh;
  refreshed_ = true;
  return fresh;
}

}  // namespace tenantsync::upstream
