// HubSpot's contact pages (list and search) and its error bodies: a page holds contacts with ids
// and bounded properties, or is a stable error; an error body of any status is a stable error.
#include "fuzz_support.hpp"
#include "upstream/crm/hubspot_json.hpp"

using namespace tenantsync;
namespace hubspot = upstream::hubspot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(fuzz::text_of(data, size));
  auto page = hubspot::parse_contact_page(body, "notes_fuzz");
  if (page.ok()) {
    for (const auto& contact : page->contacts) {
      fuzz::check(!contact.crm_id.empty(), "a contact without an id");
      const auto& f = contact.fields;
      for (const std::string* value : {&f.first_name, &f.last_name, &f.email, &f.phone, &f.mobile_phone,
                                       &f.owner_id, &f.status, &f.stage, &f.description})
        fuzz::check(value->size() <= 64 * 1024, "a property over 64 KiB");
    }
  } else {
    fuzz::check_error(page.error());
    fuzz::check(page.error().is(core::ErrorCode::upstream_malformed), "an unreadable page that is not malformed");
  }
  for (const int status : {400, 401, 403, 404, 429, 500}) {
    const Error error = hubspot::status_error(status, body, "/crm/v3/objects/contacts");
    fuzz::check_error(error);
  }
  hubspot::rate_limit_policy(body);
  return 0;
}
