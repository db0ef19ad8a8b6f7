// Bolna's phone numbers listing (GET /phone-numbers/all): any body is a listing of
// bounded records or a stable error, never a crash.
#include "upstream/voice/bolna_records.hpp"
#include "voice_listing_checks.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto listing = upstream::bolna::parse_phone_numbers(fuzz::text_of(data, size));
  if (!listing.ok()) {
    fuzz::check_error(listing.error());
    fuzz::check(listing.error().is(core::ErrorCode::upstream_malformed),
                "an unreadable listing that is not upstream_malformed");
    return 0;
  }
  fuzz::check_voice_listing(*listing);
  return 0;
}
