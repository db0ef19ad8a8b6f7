#pragma once
// Credentials from a Nango connection, fetched right before each use (Nango refreshes expired
// tokens during that call), and only while the connection still names the tenant it was
// connected for: a connection whose tags name someone else is a reconnect, never a token.
#include <chrono>
#include <string>

#include "upstream/crm/credentials.hpp"
#include "upstream/crm/nango_api.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

struct NangoOptions {
  std::string base_url = "https://api.nango.dev";
  std::string secret_key;
  std::string connection_id;
  std::string provider_config_key;  ///< the integration, e.g. "hubspot" or "salesforce"
  std::string end_user;             ///< nango_end_user(the tenant): whom the connection must name
  std::chrono::milliseconds request_timeout{30'000};
};

/// Reads the connection's credentials from Nango on every get().
class NangoSource final : public CredentialSource {
 public:
  NangoSource(HttpClient& http, NangoOptions options);
  Result<AccessCredentials> get(bool force_refresh) override;

 private:
  HttpNangoApi api_;
  NangoOptions options_;
};

}  // namespace tenantsync::upstream
