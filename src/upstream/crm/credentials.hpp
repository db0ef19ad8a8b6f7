#pragma once
// Where a CRM client gets its access token: a stored token, or an OAuth refresh token that is
// exchanged (and cached) before expiry; a Nango connection is nango_source.hpp's.
// A refusal that only the user can fix is core::ErrorCode::needs_reauth ("Reconnect your CRM: ...").
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error_code.hpp"
#include "core/result.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

struct AccessCredentials {
  std::string access_token;
  std::string instance_url;        ///< Salesforce instance (https://…my.salesforce.com); empty for HubSpot
  std::int64_t expires_at_ms = 0;  ///< 0: unknown or never
  std::string refresh_token;       ///< the latest one (OAuth); may have rotated
  std::string account_id;          ///< Nango connection_config.portalId (HubSpot) when known
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  /// Credentials to use now; `force_refresh` after the provider refused the access token.
  virtual Result<AccessCredentials> get(bool force_refresh) = 0;
  /// Whether new tokens were obtained since this source was built (the engine then saves them).
  virtual bool refreshed_since_load() const { return false; }
};

/// A stored token (a HubSpot private-app token, a pasted access token). It cannot be refreshed:
/// get(true) is core::ErrorCode::needs_reauth.
class StaticTokenSource final : public CredentialSource {
 public:
  explicit StaticTokenSource(std::string access_token, std::string instance_url = {});
  Result<AccessCredentials> get(bool force_refresh) override;

 private:
  AccessCredentials credentials_;
};

enum class OAuthProvider { hubspot, salesforce };

struct OAuthRefreshOptions {
  OAuthProvider provider = OAuthProvider::hubspot;
  /// Empty: https://api.hubapi.com (HubSpot) or https://login.salesforce.com (Salesforce; a sandbox
  /// uses https://test.salesforce.com).
  std::string base_url;
  /// Empty: /oauth/v1/token (HubSpot) or /services/oauth2/token (Salesforce).
  std::string token_path;
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  /// A stored access token still worth using (0 expiry: refresh on first use).
  std::string access_token;
  std::int64_t access_expires_at_ms = 0;
  std::string instance_url;  ///< Salesforce: the stored instance, replaced by the refresh answer
  std::chrono::milliseconds refresh_margin{5 * 60'000};  ///< refresh this long before expiry
  /// Salesforce sends no expiry; its session timeout is set per org (2 hours by default), and an
  /// earlier end shows as INVALID_SESSION_ID, which forces a refresh.
  std::chrono::milliseconds assumed_lifetime{2 * 3600'000};
  std::chrono::milliseconds request_timeout{30'000};
};

/// Exchanges an OAuth refresh token for access tokens and caches them until shortly before expiry.
class OAuthRefreshSource final : public CredentialSource {
 public:
  OAuthRefreshSource(HttpClient& http, const Clock& clock, OAuthRefreshOptions options);
  Result<AccessCredentials> get(bool force_refresh) override;
  bool refreshed_since_load() const override;
  /// The latest refresh token (the provider may rotate it; store it when it changed).
  std::string refresh_token() const;

 private:
  Result<AccessCredentials> refresh();

  HttpClient& http_;
  const Clock& clock_;
  OAuthRefreshOptions options_;
  mutable std::mutex mutex_;
  std::optional<AccessCredentials> cached_;
  bool refreshed_ = false;
};

}  // namespace tenantsync::upstream
