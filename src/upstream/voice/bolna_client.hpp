#pragma once
// The Bolna REST API (and white-labels of it at another base URL) as a VoiceClient.
// Retries belong to the HttpClient it is given (a RetryingHttpClient in production);
// this class maps what finally came back to stable error codes.
#include <chrono>
#include <optional>
#include <string>

#include "upstream/http_client.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::upstream {

struct BolnaOptions {
  std::string base_url = "https://api.bolna.ai";
  std::string api_key;
  std::chrono::milliseconds request_timeout{30'000};
  int page_size = 50;                                   ///< executions; Bolna allows at most 50
  std::chrono::milliseconds window{7 * 24 * 3'600'000};  ///< the live API refuses wider from/to ranges
  int max_pages_per_window = 10'000;                    ///< guards against a has_more that never ends
};

class BolnaClient final : public VoiceClient {
 public:
  BolnaClient(HttpClient& http, BolnaOptions options);

  Result<VoiceAccount> get_account() override;
  Result<VoiceListing> list_agents() override;
  Result<VoiceListing> list_phone_numbers() override;
  Result<VoiceListing> list_batches(const std::string& agent_id) override;
  Status list_executions(const std::string& agent_id, TimePoint from, TimePoint to,
                         const PageCallback& on_page) override;
  Result<ExecutionDetail> get_execution(const std::string& execution_id) override;
  /// PATCH /v2/agent/{id} {"agent_config": {"webhook_url": url or null}}.
  Status set_agent_webhook(const std::string& agent_id, const std::optional<std::string>& url) override;

 private:
  /// GETs `path_and_query`; a 2xx body, or the error the status stands for.
  Result<std::string> get(const std::string& path_and_query);
  /// Sends one request to `path_and_query`; a 2xx body, or the error the status stands for.
  Result<std::string> exchange(HttpRequest request, const std::string& path_and_query);

  HttpClient& http_;
  BolnaOptions options_;
  /// Set when base_url is not a base URL (upstream/base_url.hpp): then every call fails with it,
  /// since an appended path could land anywhere.
  std::optional<Error> bad_base_url_;
};

}  // namespace tenantsync::upstream
