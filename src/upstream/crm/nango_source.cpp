#include "upstream/crm/nango_source.hpp"

namespace tenantsync::upstream {

NangoSource::NangoSource(HttpClient& http, NangoOptions options)
    : api_(http, NangoApiOptions{.base_url = options.base_url,
                                 .secret_key = options.secret_key,
                                 .request_timeout = options.request_timeout}),
      options_(std::move(options)) {}

Result<AccessCredentials> NangoSource::get(bool force_refresh) {
  auto connection = api_.get_connection(options_.connection_id, options_.provider_config_key, force_refresh);
  if (!connection.ok()) return connection.error();
  // Checked on every fetch, not only when connecting: tags can be edited at Nango afterwards.
  if (!nango_connection_names(*connection, options_.end_user))
    return make_error(core::ErrorCode::needs_reauth,
                      "Reconnect your CRM: this Nango connection is not bound to this account.");
  if (connection->credentials.access_token.empty())
    return make_error(core::ErrorCode::needs_reauth,
                      "Reconnect your CRM: the Nango connection holds no access token.");
  return std::move(connection->credentials);
}

}  // namespace tenantsync::upstream
