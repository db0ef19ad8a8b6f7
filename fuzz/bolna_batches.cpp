// Bolna's batch listing of one agent (GET /batches/{agent_id}/all): any body is a listing of
// bounded records, each linked to an agent, or a stable error.
#include "upstream/voice/bolna_records.hpp"
#include "voice_listing_checks.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto listing = upstream::bolna::parse_batches(fuzz::text_of(data, size), "agent-fuzz");
  if (!listing.ok()) {
    fuzz::check_error(listing.error());
    return 0;
  }
  fuzz::check_voice_listing(*listing);
  for (const auto& record : listing->records) fuzz::check(!record.agent_id.empty(), "a batch without an agent");
  return 0;
}
