// Nango's connect-session answers (POST /connect/sessions) with a success and error statuses: a
// session with a token, or a stable error.
#include "fuzz_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/crm/nango_api.hpp"

using namespace tenantsync;
using namespace tenantsync::upstream;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  for (const int status : {201, 400, 401, 429, 500}) {
    FakeHttpClient http;
    http.set_handler([&](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{status, {}, body}; });
    HttpNangoApi nango(http, NangoApiOptions{"https://api.nango.dev", "fuzz-secret", std::chrono::seconds(5)});
    auto session = nango.create_connect_session(NangoSessionRequest{"42", {"hubspot"}});
    if (!session.ok()) {
      fuzz::check_error(session.error());
      fuzz::check(session.error().message.size() <= 4096, "an error message that quotes too much");
      continue;
    }
    fuzz::check(status == 201, "an error status read as a session");
    fuzz::check(!session->token.empty(), "a session without a token");
  }
  return 0;
}
