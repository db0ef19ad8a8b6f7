// OAuth token answers of a refresh (HubSpot and Salesforce) with a success and error statuses:
// fresh credentials with a token that expires in the future, or a stable error.
#include "fuzz_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/crm/credentials.hpp"

using namespace tenantsync;
using namespace tenantsync::upstream;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  for (const OAuthProvider provider : {OAuthProvider::hubspot, OAuthProvider::salesforce}) {
    for (const int status : {200, 400, 401, 429, 500}) {
      FakeClock clock;
      FakeHttpClient http;
      http.set_handler([&](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{status, {}, body}; });
      OAuthRefreshOptions options;
      options.provider = provider;
      options.client_id = "fuzz-client";
      options.client_secret = "fuzz-secret";
      options.refresh_token = "fuzz-refresh";
      OAuthRefreshSource source(http, clock, options);
      auto credentials = source.get(false);
      if (!credentials.ok()) {
        fuzz::check_error(credentials.error());
        fuzz::check(credentials.error().message.size() <= 4096, "an error message that quotes too much");
        continue;
      }
      fuzz::check(status == 200, "an error status read as tokens");
      fuzz::check(!credentials->access_token.empty(), "credentials without an access token");
      fuzz::check(credentials->expires_at_ms > to_epoch_ms(clock.now()), "a fresh token that has expired");
      fuzz::check(!credentials->refresh_token.empty(), "the refresh token lost");
    }
  }
  return 0;
}
