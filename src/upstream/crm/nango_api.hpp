#pragma once
// Nango's API as tenantsync uses it: a connect session whose tags name the tenant (Nango copies
// them onto the connection the person creates in Connect UI), and a connection read with its
// credentials and tags. Tags are the only link Nango keeps between a connection and a tenant, so
// nango_connection_names is the rule that decides whose a connection is.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "upstream/crm/credentials.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

/// A connection as GET /connections/{id} answers it.
struct NangoConnection {
  std::string connection_id;
  std::string provider_config_key;
  std::string provider;
  std::map<std::string, std::string> tags;  ///< keys lower-case, as Nango normalizes them
  std::string end_user_id;                  ///< the deprecated end_user.id; empty when none
  std::string end_user_organization_id;     ///< the deprecated end_user.organization.id; empty when none
  AccessCredentials credentials;            ///< access_token empty when Nango holds none
};

/// The end user id, organization id and tag value tenantsync gives Nango for a tenant: its id.
std::string nango_end_user(TenantId tenant);

/// Whether the connection is `end_user`'s: every field that can name an owner (the tags
/// end_user_id and organization_id, end_user.id, end_user.organization.id) that is present names
/// it, and at least one is present. An untagged connection is nobody's.
bool nango_connection_names(const NangoConnection& connection, std::string_view end_user);

/// What a connect session is for: one end user (a tenant) and the integrations it may connect.
struct NangoSessionRequest {
  std::string end_user;                           ///< nango_end_user(tenant)
  std::vector<std::string> allowed_integrations;  ///< provider config keys; empty: all
};

/// A connect session as Nango answers it.
struct NangoConnectSession {
  std::string token;         ///< for Connect UI (@nangohq/frontend)
  std::string connect_link;  ///< Connect UI's URL with the token
  std::int64_t expires_at_ms = 0;
};

class NangoApi {
 public:
  virtual ~NangoApi() = default;
  /// POST /connect/sessions with end_user, organization and tags naming the end user.
  virtual Result<NangoConnectSession> create_connect_session(const NangoSessionRequest& request) = 0;
  /// GET /connections/{id}?provider_config_key=…; Nango refreshes an expiring token during it.
  /// needs_reauth when Nango has no such connection or cannot refresh it (404, 424, a 400 about
  /// the connection); key_rejected when it refuses the secret key; upstream_* otherwise.
  virtual Result<NangoConnection> get_connection(const std::string& connection_id,
                                                 const std::string& provider_config_key,
                                                 bool force_refresh) = 0;
  /// The API's base URL, which Connect UI in the browser calls too.
  virtual const std::string& base_url() const = 0;
};

struct NangoApiOptions {
  std::string base_url = "https://api.nango.dev";
  std::string secret_key;
  std::chrono::milliseconds request_timeout{30'000};
};

/// NangoApi over HTTP, one request per call (no retries: creating a session is not idempotent).
class HttpNangoApi final : public NangoApi {
 public:
  HttpNangoApi(HttpClient& http, NangoApiOptions options);
  Result<NangoConnectSession> create_connect_session(const NangoSessionRequest& request) override;
  Result<NangoConnection> get_connection(const std::string& connection_id,
                                         const std::string& provider_config_key, bool force_refresh) override;
  const std::string& base_url() const override { return options_.base_url; }

 private:
  HttpClient& http_;
  NangoApiOptions options_;
};

}  // namespace tenantsync::upstream
