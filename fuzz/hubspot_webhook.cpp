// HubSpot webhook bodies (POST /hooks/hubspot, after the signature): an error of the two codes
// it may give, or at most 100 contact events, each with digits-only ids and a contact.* kind.
#include "fuzz_support.hpp"
#include "sync/hubspot_events_json.hpp"

using namespace tenantsync;

namespace {

bool digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = sync::parse_hubspot_webhook(fuzz::text_of(data, size));
  if (!parsed.ok()) {
    fuzz::check_error(parsed.error());
    fuzz::check(parsed.error().is(core::ErrorCode::malformed_json) ||
                    parsed.error().is(core::ErrorCode::payload_too_large),
                "an error other than malformed_json or payload_too_large");
    return 0;
  }
  fuzz::check(parsed->events.size() <= sync::kMaxHubspotEventsPerBody, "more than 100 events");
  for (const auto& e : parsed->events) {
    fuzz::check(digits(e.portal_id) && digits(e.event.event_id) && digits(e.event.object_id), "an id not all digits");
    fuzz::check(e.event.kind.rfind("contact.", 0) == 0, "an event that is not a contact event");
  }
  return 0;
}
