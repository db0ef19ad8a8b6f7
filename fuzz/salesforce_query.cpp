// Salesforce query results (SOQL query and queryAll pages), read by the real SalesforceClient
// from a fake transport that answers the input for the first three requests and an empty last
// page afterwards: every listing ends with pages of contacts that have ids and checkpoints the
// client can resume from, or with a stable error; it never asks forever.
#include "fuzz_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/crm/salesforce_client.hpp"

using namespace tenantsync;
using namespace tenantsync::upstream;

namespace {

constexpr int kFuzzedAnswers = 3;
constexpr int kMaxRequests = 50;

void check_page(const CrmPage& page) {
  for (const auto& contact : page.contacts) fuzz::check(!contact.crm_id.empty(), "a contact without an Id");
  const std::string& after = page.checkpoint.after;
  fuzz::check(after.empty() || after.rfind("Lead|/services/data/", 0) == 0 || after == "Contact|" ||
                  after.rfind("Contact|/services/data/", 0) == 0,
              "a checkpoint the client cannot resume from");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  FakeClock clock;
  FakeHttpClient http;
  int requests = 0;
  http.set_handler([&](const HttpRequest&) -> Result<HttpResponse> {
    ++requests;
    fuzz::check(requests <= kMaxRequests, "the client kept asking");
    if (requests <= kFuzzedAnswers) return HttpResponse{200, {}, body};
    return HttpResponse{200, {}, R"({"totalSize":0,"done":true,"records":[]})"};
  });
  StaticTokenSource token("fuzz-token", "https://fuzz.my.salesforce.com");
  SalesforceClient client(http, token, clock);

  auto listed = client.list_contacts(false, "", [](CrmPage&& page) -> Status {
    check_page(page);
    return {};
  });
  if (!listed.ok()) fuzz::check_error(listed.error());

  requests = 0;
  const std::int64_t since = to_epoch_ms(clock.now()) - 86'400'000;
  auto changed = client.list_changed_contacts(since, [&](CrmPage&& page) -> Status {
    check_page(page);
    fuzz::check(page.checkpoint.modified_after_ms >= since, "a change checkpoint that moved back");
    return {};
  });
  if (!changed.ok()) fuzz::check_error(changed.error());

  requests = 0;
  auto account = client.get_account();
  if (account.ok())
    fuzz::check(!account->id.empty(), "an organization without an Id");
  else
    fuzz::check_error(account.error());
  return 0;
}
