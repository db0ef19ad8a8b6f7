#pragma once
// A decorator that retries idempotent requests on transient failures: network errors,
// timeouts, 429, 500, 502, 503, 504 and 423 (HubSpot "locked", at least 2 s apart), waiting
// as core/backoff.hpp says (exponential, full jitter) or as the server's Retry-After says, up
// to a cap (core/retry_after.hpp has the rule).
#include <chrono>
#include <functional>
#include <string>

#include "core/backoff.hpp"
#include "core/clock.hpp"
#include "core/random_source.hpp"
#include "upstream/http_client.hpp"
#include "upstream/sleeper.hpp"

namespace tenantsync::upstream {

struct RetryOptions {
  int max_attempts = 5;  ///< total sends, the first included
  core::BackoffPolicy backoff{};
  /// The retry policy's maximum wait: a longer Retry-After (however long) is cut to this.
  std::chrono::milliseconds max_retry_after{120'000};
  std::chrono::milliseconds locked_min_wait{2'000};  ///< least wait after a 423
  /// Called before each wait with the time the next attempt starts and why
  /// (e.g. "rate-limited (HTTP 429)"); lets a run show "rate-limited until T".
  std::function<void(TimePoint until, const std::string& reason)> on_wait;
};

class RetryingHttpClient final : public HttpClient {
 public:
  RetryingHttpClient(HttpClient& inner, Sleeper& sleeper, core::RandomSource& random, const Clock& clock,
                     RetryOptions options = {});

  /// Sends, retrying as described above; returns the last response or error.
  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  Sleeper& sleeper_;
  core::RandomSource& random_;
  const Clock& clock_;
  RetryOptions options_;
};

}  // namespace tenantsync::upstream
