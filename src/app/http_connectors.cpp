#include "app/http_connectors.hpp"

#include "upstream/budget_http_client.hpp"
#include "upstream/crm/credentials.hpp"
#include "upstream/crm/hubspot_client.hpp"
#include "upstream/crm/nango_source.hpp"
#include "upstream/crm/salesforce_client.hpp"
#include "upstream/crm/stored_credentials.hpp"
#include "upstream/retrying_http_client.hpp"
#include "upstream/voice/bolna_client.hpp"

namespace tenantsync::app {
namespace {

// A BolnaClient with the retrying transport it reads through, owned together for one run.
class OwnedBolnaClient final : public upstream::VoiceClient {
 public:
  OwnedBolnaClient(upstream::HttpClient& http, upstream::Sleeper& sleeper, core::RandomSource& random,
                   const Clock& clock, upstream::RetryOptions retry, upstream::BolnaOptions options,
                   std::unique_ptr<upstream::HttpClient> budget = nullptr)
      : budget_(std::move(budget)),
        retrying_(budget_ ? *budget_ : http, sleeper, random, clock, std::move(retry)),
        client_(retrying_, std::move(options)) {}

  Result<upstream::VoiceAccount> get_account() override { return client_.get_account(); }
  Result<upstream::VoiceListing> list_agents() override { return client_.list_agents(); }
  Result<upstream::VoiceListing> list_phone_numbers() override { return client_.list_phone_numbers(); }
  Result<upstream::VoiceListing> list_batches(const std::string& agent_id) override {
    return client_.list_batches(agent_id);
  }
  Status list_executions(const std::string& agent_id, TimePoint from, TimePoint to,
                         const upstream::PageCallback& on_page) override {
    return client_.list_executions(agent_id, from, to, on_page);
  }
  Result<upstream::ExecutionDetail> get_execution(const std::string& execution_id) override {
    return client_.get_execution(execution_id);
  }
  Status set_agent_webhook(const std::string& agent_id, const std::optional<std::string>& url) override {
    return client_.set_agent_webhook(agent_id, url);
  }

 private:
  std::unique_ptr<upstream::HttpClient> budget_;  ///< a check's budget over the shared transport, if any
  upstream::RetryingHttpClient retrying_;
  upstream::BolnaClient client_;
};

// A CRM client, its credential source and the retrying transport they share, for one run.
class OwnedCrmSession final : public sync::CrmSession {
 public:
  OwnedCrmSession(upstream::HttpClient& http, upstream::Sleeper& sleeper, core::RandomSource& random,
                  const Clock& clock, upstream::RetryOptions retry,
                  std::unique_ptr<upstream::HttpClient> budget)
      : budget_(std::move(budget)),
        retrying_(budget_ ? *budget_ : http, sleeper, random, clock, std::move(retry)) {}

  upstream::CrmClient& client() override { return *client_; }
  std::string updated_credentials_json() const override {
    if (oauth_ == nullptr || !oauth_->refreshed_since_load()) return {};
    auto now = oauth_->get(false);
    upstream::StoredCredentials out;
    out.refresh_token = oauth_->refresh_token();
    if (now.ok()) {
      out.access_token = now->access_token;
      out.expires_at_ms = now->expires_at_ms;
      out.instance_url = now->instance_url;
    }
    return upstream::to_json(out);
  }
  std::int64_t rate_limited_until_ms() const override {
    const auto info = client_->last_rate_limit();
    return info.limited ? info.retry_at_ms : 0;
  }

  std::unique_ptr<upstream::HttpClient> budget_;  ///< a check's budget over the shared transport, if any
  upstream::RetryingHttpClient retrying_;
  std::unique_ptr<upstream::CredentialSource> credentials_;
  upstream::OAuthRefreshSource* oauth_ = nullptr;  ///< credentials_, when it refreshes
  std::unique_ptr<upstream::CrmClient> client_;
};

// A check answers a person who is waiting: one try, and the whole exchange within the budget.
upstream::RetryOptions check_retry() {
  upstream::RetryOptions retry;
  retry.max_attempts = 1;
  return retry;
}

}  // namespace

Result<std::unique_ptr<sync::CrmSession>> HttpConnectors::crm(const store::CrmConnection& connection,
                                                              const std::string& credentials_json,
                                                              sync::WaitObserver on_wait) {
  upstream::RetryOptions retry;
  retry.max_attempts = options_.max_attempts;
  retry.on_wait = std::move(on_wait);
  return make_crm(connection, credentials_json, nullptr, std::move(retry));
}

Result<std::unique_ptr<sync::CrmSession>> HttpConnectors::crm_check(const store::CrmConnection& connection,
                                                                    const std::string& credentials_json) {
  return make_crm(
      connection, credentials_json,
      std::make_unique<upstream::BudgetHttpClient>(http_, options_.check_budget, options_.request_timeout),
      check_retry());
}

std::unique_ptr<upstream::VoiceClient> HttpConnectors::voice_check(const sync::VoiceEndpoint& endpoint) {
  upstream::BolnaOptions bolna;
  bolna.base_url = endpoint.base_url;
  bolna.api_key = endpoint.api_key;
  bolna.request_timeout = options_.request_timeout;
  return std::make_unique<OwnedBolnaClient>(
      http_, sleeper_, random_, clock_, check_retry(), std::move(bolna),
      std::make_unique<upstream::BudgetHttpClient>(http_, options_.check_budget, options_.request_timeout));
}

Result<std::unique_ptr<sync::CrmSession>> HttpConnectors::make_crm(
    const store::CrmConnection& connection, const std::string& credentials_json,
    std::unique_ptr<upstream::HttpClient> budget, upstream::RetryOptions retry) {
  const bool hubspot = connection.provider == core::CrmProvider::hubspot;
  auto stored = upstream::parse_stored_credentials(credentials_json);
  if (!stored.ok()) return stored.error();
  const std::string instance_url =
      !connection.instance_url.empty() ? connection.instance_url : stored->instance_url;

  auto session = std::make_unique<OwnedCrmSession>(http_, sleeper_, random_, clock_, std::move(retry),
                                                   std::move(budget));

  if (connection.auth_kind == core::CrmAuthKind::nango) {
    if (options_.nango_secret_key.empty())
      return make_error(core::ErrorCode::validation_failed,
                        "Nango is not configured on this server (TENANTSYNC_NANGO_SECRET_KEY).");
    session->credentials_ = std::make_unique<upstream::NangoSource>(
        session->retrying_, upstream::NangoOptions{.base_url = options_.nango_url,
                                                   .secret_key = options_.nango_secret_key,
                                                   .connection_id = connection.nango_connection_id,
                                                   .provider_config_key = connection.provider_config_key,
                                                   .end_user = upstream::nango_end_user(connection.tenant_id),
                                                   .request_timeout = options_.request_timeout});
  } else if (!stored->refresh_token.empty()) {
    upstream::OAuthRefreshOptions oauth;
    oauth.provider = hubspot ? upstream::OAuthProvider::hubspot : upstream::OAuthProvider::salesforce;
    oauth.base_url = hubspot ? options_.hubspot_url : options_.salesforce_login_url;
    oauth.client_id = hubspot ? options_.hubspot_client_id : options_.salesforce_client_id;
    oauth.client_secret = hubspot ? options_.hubspot_client_secret : options_.salesforce_client_secret;
    oauth.refresh_token = stored->refresh_token;
    oauth.access_token = stored->access_token;
    oauth.access_expires_at_ms = stored->expires_at_ms;
    oauth.instance_url = instance_url;
    oauth.request_timeout = options_.request_timeout;
    auto source =
        std::make_unique<upstream::OAuthRefreshSource>(session->retrying_, clock_, std::move(oauth));
    session->oauth_ = source.get();
    session->credentials_ = std::move(source);
  } else if (!stored->access_token.empty()) {
    session->credentials_ = std::make_unique<upstream::StaticTokenSource>(stored->access_token, instance_url);
  } else {
    return make_error(core::ErrorCode::needs_reauth,
                      "The CRM connection has no credentials. Reconnect your CRM.");
  }

  if (hubspot) {
    upstream::HubSpotOptions options;
    options.base_url = options_.hubspot_url;
    options.rate_reserve = options_.hubspot_rate_reserve;
    options.search_from_the_top = options_.hubspot_search_from_the_top;
    options.request_timeout = options_.request_timeout;
    session->client_ = std::make_unique<upstream::HubSpotClient>(session->retrying_, *session->credentials_,
                                                                 clock_, sleeper_, std::move(options));
  } else {
    upstream::SalesforceOptions options;
    options.instance_url = instance_url;
    options.request_timeout = options_.request_timeout;
    options.outbound = policy_;
    session->client_ = std::make_unique<upstream::SalesforceClient>(
        session->retrying_, *session->credentials_, clock_, std::move(options));
  }
  return std::unique_ptr<sync::CrmSession>(std::move(session));
}

// A person waits on the Nango calls of connecting (a connect session, the ownership check), so
// they get a shorter budget than a run's calls.
constexpr std::chrono::milliseconds kNangoInteractiveTimeout{10'000};

HttpConnectors::HttpConnectors(const Clock& clock, HttpConnectorOptions options)
    : clock_(clock),
      options_(std::move(options)),
      policy_{.allow_private = options_.allow_private_upstreams,
              .salesforce_login_url = options_.salesforce_login_url},
      http_(upstream::CurlOptions{.allow_private_upstreams = options_.allow_private_upstreams}) {
  if (!options_.nango_secret_key.empty())
    nango_ = std::make_unique<upstream::HttpNangoApi>(
        http_, upstream::NangoApiOptions{
                   .base_url = options_.nango_url,
                   .secret_key = options_.nango_secret_key,
                   .request_timeout = std::min(options_.request_timeout, kNangoInteractiveTimeout)});
}

std::unique_ptr<upstream::VoiceClient> HttpConnectors::voice(const sync::VoiceEndpoint& endpoint,
                                                             sync::WaitObserver on_wait) {
  upstream::RetryOptions retry;
  retry.max_attempts = options_.max_attempts;
  retry.on_wait = std::move(on_wait);
  upstream::BolnaOptions bolna;
  bolna.base_url = endpoint.base_url;
  bolna.api_key = endpoint.api_key;
  bolna.request_timeout = options_.request_timeout;
  return std::make_unique<OwnedBolnaClient>(http_, sleeper_, random_, clock_, std::move(retry),
                                            std::move(bolna));
}

}  // namespace tenantsync::app
