// Nango's connection answers (GET /connections/{id}) with each status the client tells apart: a
// connection, or a stable error; a connection never names two different tenants.
#include "fuzz_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/crm/nango_api.hpp"

using namespace tenantsync;
using namespace tenantsync::upstream;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  for (const int status : {200, 400, 401, 404, 424, 500}) {
    FakeHttpClient http;
    http.set_handler([&](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{status, {}, body}; });
    HttpNangoApi nango(http, NangoApiOptions{"https://api.nango.dev", "fuzz-secret", std::chrono::seconds(5)});
    auto connection = nango.get_connection("conn-1", "hubspot", false);
    if (!connection.ok()) {
      fuzz::check_error(connection.error());
      fuzz::check(connection.error().message.size() <= 4096, "an error message that quotes too much");
      continue;
    }
    fuzz::check(status == 200, "an error status read as a connection");
    fuzz::check(!(nango_connection_names(*connection, "42") && nango_connection_names(*connection, "43")),
                "a connection that names two tenants");
  }
  return 0;
}
