#include "upstream/retrying_http_client.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <thread>

#include <fmt/format.h>

namespace tenantsync::upstream {
namespace {

bool is_retryable_status(int status) {
  return status == 423 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  const char* first = text.data() + pos;
  auto [ptr, ec] = std::from_chars(first, first + len, out);
  return ec == std::errc() && ptr == first + len;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" → epoch ms.
std::optional<std::int64_t> parse_imf_fixdate(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!read_int(text, 5, 2, day) || !read_int(text, 12, 4, year) || !read_int(text, 17, 2, hour) ||
      !read_int(text, 20, 2, minute) || !read_int(text, 23, 2, second))
    return std::nullopt;
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month_it == kMonths.end() || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const auto month = static_cast<unsigned>(month_it - kMonths.begin() + 1);
  const std::int64_t days = days_from_civil(year, month, static_cast<unsigned>(day));
  return (days * 86400 + hour * 3600 + minute * 60 + second) * 1000;
}

std::string describe(const Result<HttpResponse>& outcome) {
  if (!outcome.ok()) return outcome.error().code == kErrTimeout ? "timed out" : "network error";
  const int status = outcome->status;
  if (status == 429) return "rate-limited (HTTP 429)";
  if (status == 423) return "locked (HTTP 423)";
  return fmt::format("upstream error (HTTP {})", status);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, TimePoint now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || ptr != value.data() + value.size()) {
      // Too many digits for an int64: treat it as "very long", the cap applies.
      return std::chrono::milliseconds(INT64_MAX / 2);
    }
    if (seconds > INT64_MAX / 2000) return std::chrono::milliseconds(INT64_MAX / 2);
    return std::chrono::milliseconds(seconds * 1000);
  }
  const auto when = parse_imf_fixdate(value);
  if (!when) return std::nullopt;
  return std::chrono::milliseconds(std::max<std::int64_t>(*when - to_epoch_ms(now), 0));
}

void ThreadSleeper::sleep_for(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, Sleeper& sleeper, RandomSource& random,
                                       const Clock& clock, RetryOptions options)
    : inner_(inner), sleeper_(sleeper), random_(random), clock_(clock), options_(std::move(options)) {}

Result<HttpResponse> RetryingHttpClient::send(const HttpRequest& request) {
  const bool may_retry = request.is_idempotent();
  const int max_attempts = std::max(options_.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> outcome = inner_.send(request);
    if (!may_retry || attempt >= max_attempts) return outcome;
    const bool transient = outcome.ok() ? is_retryable_status(outcome->status)
                                        : (outcome.error().code == kErrTimeout ||
                                           outcome.error().code == kErrUnreachable);
    if (!transient) return outcome;

    auto wait = options_.backoff.delay(attempt - 1, random_);
    if (outcome.ok()) {
      if (const std::string* header = outcome->header("retry-after")) {
        if (auto asked = parse_retry_after(*header, clock_.now()))
          wait = std::min(*asked, options_.max_retry_after);
      }
      if (outcome->status == 423) wait = std::max(wait, options_.locked_min_wait);
    }
    if (options_.on_wait) options_.on_wait(clock_.now() + wait, describe(outcome));
    sleeper_.sleep_for(wait);
  }
}

}  // namespace tenantsync::upstream
