#pragma once
// The production sync::Connectors: libcurl clients with retries (backoff, jitter, Retry-After),
// sharing one connection pool across runs. Wiring, so it lives in app/: it implements sync's
// interface with upstream's clients, and upstream must not depend on sync.
#include <memory>
#include <string>

#include "core/random_source.hpp"
#include "sync/connectors.hpp"
#include "upstream/http_client.hpp"
#include "upstream/retrying_http_client.hpp"
#include "upstream/sleeper.hpp"

namespace tenantsync::app {

struct HttpConnectorOptions {
  std::string bolna_url = "https://api.bolna.ai";  ///< TENANTSYNC_BOLNA_URL
  std::chrono::milliseconds request_timeout{30'000};
  int max_attempts = 5;
  /// Total time of a key or credentials check made on a person's request (one try, no retries).
  std::chrono::milliseconds check_budget{10'000};
  std::string hubspot_url = "https://api.hubapi.com";
  int hubspot_rate_reserve = 5;            ///< TENANTSYNC_HUBSPOT_RATE_RESERVE
  bool hubspot_search_from_the_top = true;  ///< TENANTSYNC_HUBSPOT_SEARCH_FROM_THE_TOP
  std::string salesforce_login_url = "https://login.salesforce.com";
  std::string nango_url = "https://api.nango.dev";
  std::string nango_secret_key;
  std::string hubspot_client_id, hubspot_client_secret;        ///< for refresh-token connections
  std::string salesforce_client_id, salesforce_client_secret;  ///< for refresh-token connections
  bool allow_private_upstreams = false;                        ///< TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS
};

class HttpConnectors final : public sync::Connectors {
 public:
  HttpConnectors(const Clock& clock, HttpConnectorOptions options);

  std::unique_ptr<upstream::VoiceClient> voice(const sync::VoiceEndpoint& endpoint,
                                               sync::WaitObserver on_wait) override;
  Result<std::unique_ptr<sync::CrmSession>> crm(const store::CrmConnection& connection,
                                                const std::string& credentials_json,
                                                sync::WaitObserver on_wait) override;
  std::unique_ptr<upstream::VoiceClient> voice_check(const sync::VoiceEndpoint& endpoint) override;
  Result<std::unique_ptr<sync::CrmSession>> crm_check(const store::CrmConnection& connection,
                                                      const std::string& credentials_json) override;
  std::string default_voice_base_url() const override { return options_.bolna_url; }
  upstream::NangoApi* nango() override { return nango_.get(); }
  const upstream::OutboundPolicy& outbound_policy() const override { return policy_; }

 private:
  const Clock& clock_;
  /// A CRM session over `http` with `retry`; crm() and crm_check() differ only in those.
  Result<std::unique_ptr<sync::CrmSession>> make_crm(const store::CrmConnection& connection,
                                                     const std::string& credentials_json,
                                                     std::unique_ptr<upstream::HttpClient> budget,
                                                     upstream::RetryOptions retry);

  HttpConnectorOptions options_;
  upstream::OutboundPolicy policy_;
  upstream::CurlHttpClient http_;
  upstream::ThreadSleeper sleeper_;
  core::SystemRandomSource random_;
  std::unique_ptr<upstream::HttpNangoApi> nango_;  ///< null without a Nango secret key
};

}  // namespace tenantsync::app
