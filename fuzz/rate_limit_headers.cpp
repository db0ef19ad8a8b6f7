// Rate-limit headers: the input is a header block ("Name: value" lines) on HubSpot answers read
// by the real HubSpotClient (its budget, and the pacing gate it feeds, with a clock that sleeping
// moves), and each value as Salesforce's Sforce-Limit-Info. The budget is what the headers said
// or unknown; no wait is longer than a day, and no refusal lasts into the past.
#include <algorithm>
#include <cctype>

#include "clock_sleeper.hpp"
#include "fuzz_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/crm/hubspot_client.hpp"
#include "upstream/crm/salesforce_client.hpp"

using namespace tenantsync;
using namespace tenantsync::upstream;

namespace {

constexpr std::chrono::milliseconds kLongestWait = std::chrono::hours(24);

std::map<std::string, std::string> header_block(std::string_view text) {
  std::map<std::string, std::string> headers;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers[name] = std::string(value);
  }
  return headers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto headers = header_block(fuzz::text_of(data, size));

  FakeClock clock;
  fuzz::ClockSleeper sleeper(clock);
  FakeHttpClient http;
  // 200, 429, 200, 200: the gate is fed, a refusal is remembered, and the next calls wait their turn.
  int request = 0;
  http.set_handler([&](const HttpRequest&) -> Result<HttpResponse> {
    ++request;
    if (request == 2) return HttpResponse{429, headers, R"({"status":"error","policyName":"TEN_SECONDLY_ROLLING"})"};
    return HttpResponse{200, headers, R"({"portalId":4000001,"timeZone":"US/Eastern"})"};
  });
  StaticTokenSource token("fuzz-token");
  HubSpotClient client(http, token, clock, sleeper);
  for (int call = 0; call < 4; ++call) {
    const auto before = clock.now();
    auto account = client.get_account();
    fuzz::check(clock.now() - before <= kLongestWait, "a rate-limit header made the client wait over a day");
    if (!account.ok()) {
      fuzz::check_error(account.error());
      const RateLimitInfo limit = client.last_rate_limit();
      fuzz::check(limit.limited, "a 429 not remembered");
      fuzz::check(limit.retry_at_ms >= to_epoch_ms(clock.now()), "a refusal that ended in the past");
      fuzz::check(limit.retry_at_ms - to_epoch_ms(clock.now()) <= 2 * kLongestWait.count(),
                  "a refusal that lasts for days");
    }
  }

  for (const auto& [name, value] : headers) {
    RateBudget budget;
    if (parse_sforce_limit_info(value, budget)) {
      fuzz::check(budget.daily > 0, "a daily limit that is not positive");
      fuzz::check(budget.daily_remaining >= 0 && budget.daily_remaining <= budget.daily,
                  "a remaining budget outside the limit");
    }
  }
  return 0;
}
