// Salesforce's error bodies ([{message, errorCode}], or an OAuth object), answered with each
// status the client tells apart: every one is a stable error with a message, and a refusal for
// the org's API limit is remembered as a rate limit that ends in the future.
#include "fuzz_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/crm/salesforce_client.hpp"

using namespace tenantsync;
using namespace tenantsync::upstream;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  for (const int status : {400, 401, 403, 404, 500, 503}) {
    FakeClock clock;
    FakeHttpClient http;
    http.set_handler([&](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{status, {}, body}; });
    StaticTokenSource token("fuzz-token", "https://fuzz.my.salesforce.com");
    SalesforceClient client(http, token, clock);
    auto account = client.get_account();
    fuzz::check(!account.ok(), "an error status read as an answer");
    fuzz::check_error(account.error());
    fuzz::check(account.error().message.size() <= 4096, "an error message that quotes too much");
    const RateLimitInfo limit = client.last_rate_limit();
    if (limit.limited) {
      fuzz::check(account.error().is(core::ErrorCode::rate_limited), "a rate limit that is not rate_limited");
      fuzz::check(limit.retry_at_ms > to_epoch_ms(clock.now()), "a rate limit that has ended already");
    }
  }
  return 0;
}
