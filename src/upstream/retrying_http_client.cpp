#include "upstream/retrying_http_client.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/retry_after.hpp"

namespace tenantsync::upstream {
namespace {

bool is_retryable_status(int status) {
  return status == 423 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::string describe(const Result<HttpResponse>& outcome) {
  if (!outcome.ok())
    return outcome.error().code == core::ErrorCode::upstream_timeout ? "timed out" : "network error";
  const int status = outcome->status;
  if (status == 429) return "rate-limited (HTTP 429)";
  if (status == 423) return "locked (HTTP 423)";
  return fmt::format("upstream error (HTTP {})", status);
}

}  // namespace

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, Sleeper& sleeper, core::RandomSource& random,
                                       const Clock& clock, RetryOptions options)
    : inner_(inner), sleeper_(sleeper), random_(random), clock_(clock), options_(std::move(options)) {}

Result<HttpResponse> RetryingHttpClient::send(const HttpRequest& request) {
  const bool may_retry = request.is_idempotent();
  const int max_attempts = std::max(options_.max_attempts, 1);
  core::JitteredExponentialBackOff backoff(options_.backoff, random_);
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> outcome = inner_.send(request);
    if (!may_retry || attempt >= max_attempts) return outcome;
    const bool transient = outcome.ok() ? is_retryable_status(outcome->status)
                                        : (outcome.error().code == core::ErrorCode::upstream_timeout ||
                                           outcome.error().code == core::ErrorCode::upstream_unreachable);
    if (!transient) return outcome;

    auto wait = backoff.next_back_off();
    if (outcome.ok()) {
      if (const std::string* header = outcome->header("retry-after")) {
        if (auto asked = core::parse_retry_after(*header, clock_.now(), options_.max_retry_after))
          wait = *asked;
      }
      if (outcome->status == 423) wait = std::max(wait, options_.locked_min_wait);
    }
    if (options_.on_wait) options_.on_wait(clock_.now() + wait, describe(outcome));
    sleeper_.sleep_for(wait);
  }
}

}  // namespace tenantsync::upstream
