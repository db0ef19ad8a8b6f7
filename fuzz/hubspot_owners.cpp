// HubSpot's owner pages and account details: owners have ids, or the body is a stable error; an
// account has a portal id, or the body is a stable error.
#include "fuzz_support.hpp"
#include "upstream/crm/hubspot_json.hpp"

using namespace tenantsync;
namespace hubspot = upstream::hubspot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  for (const bool archived : {false, true}) {
    auto page = hubspot::parse_owner_page(body, archived);
    if (!page.ok()) {
      fuzz::check_error(page.error());
      continue;
    }
    for (const auto& owner : page->owners) fuzz::check(!owner.id.empty(), "an owner without an id");
  }
  auto account = hubspot::parse_account(body);
  if (account.ok())
    fuzz::check(!account->id.empty(), "an account without a portal id");
  else
    fuzz::check_error(account.error());
  return 0;
}
