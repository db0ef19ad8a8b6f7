#include "sync/http_connectors.hpp"

#include "upstream/voice/bolna_client.hpp"

namespace tenantsync::sync {
namespace {

// A BolnaClient with the retrying transport it reads through, owned together for one run.
class OwnedBolnaClient final : public upstream::VoiceClient {
 public:
  OwnedBolnaClient(upstream::HttpClient& http, upstream::Sleeper& sleeper, upstream::RandomSource& random,
                   const Clock& clock, upstream::RetryOptions retry, upstream::BolnaOptions options)
      : retrying_(http, sleeper, random, clock, std::move(retry)), client_(retrying_, std::move(options)) {}

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

 private:
  upstream::RetryingHttpClient retrying_;
  upstream::BolnaClient client_;
};

}  // namespace

HttpConnectors::HttpConnectors(const Clock& clock, HttpConnectorOptions options)
    : clock_(clock), options_(std::move(options)) {}

std::unique_ptr<upstream::VoiceClient> HttpConnectors::voice(const VoiceEndpoint& endpoint, WaitObserver on_wait) {
  upstream::RetryOptions retry;
  retry.max_attempts = options_.max_attempts;
  retry.on_wait = std::move(on_wait);
  upstream::BolnaOptions bolna;
  bolna.base_url = endpoint.base_url;
  bolna.api_key = endpoint.api_key;
  bolna.request_timeout = options_.request_timeout;
  return std::make_unique<OwnedBolnaClient>(http_, sleeper_, random_, clock_, std::move(retry), std::move(bolna));
}

}  // namespace tenantsync::sync
