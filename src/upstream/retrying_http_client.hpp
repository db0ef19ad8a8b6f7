#pragma once
// A decorator that retries idempotent requests on transient failures: network errors,
// timeouts, 429, 500, 502, 503, 504 and 423 (HubSpot "locked", at least 2 s apart), with
// exponential backoff and full jitter, honouring Retry-After up to a cap.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "upstream/backoff_policy.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  /// Blocks the calling thread for `duration`.
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

class ThreadSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override;
};

struct RetryOptions {
  int max_attempts = 5;  ///< total sends, the first included
  BackoffPolicy backoff{};
  std::chrono::milliseconds max_retry_after{120'000};  ///< a longer Retry-After is cut to this
  std::chrono::milliseconds locked_min_wait{2'000};    ///< least wait after a 423
  /// Called before each wait with the time the next attempt starts and why
  /// (e.g. "rate-limited (HTTP 429)"); lets a run show "rate-limited until T".
  std::function<void(TimePoint until, const std::string& reason)> on_wait;
};

/// Parses a Retry-After value: delta seconds or an HTTP-date (RFC 9110 IMF-fixdate);
/// nullopt when malformed. A date in the past gives zero.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, TimePoint now);

class RetryingHttpClient final : public HttpClient {
 public:
  RetryingHttpClient(HttpClient& inner, Sleeper& sleeper, RandomSource& random, const Clock& clock,
                     RetryOptions options = {});

  /// Sends, retrying as described above; returns the last response or error.
  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  Sleeper& sleeper_;
  RandomSource& random_;
  const Clock& clock_;
  RetryOptions options_;
};

}  // namespace tenantsync::upstream
