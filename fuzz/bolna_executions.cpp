// A page of Bolna executions (GET /v2/agent/{agent_id}/executions): any body is a page of
// bounded records, each linked to an agent, with has_more, or a stable error.
#include "upstream/voice/bolna_records.hpp"
#include "voice_listing_checks.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto page = upstream::bolna::parse_execution_page(fuzz::text_of(data, size), "agent-fuzz");
  if (!page.ok()) {
    fuzz::check_error(page.error());
    return 0;
  }
  fuzz::check_voice_listing(page->listing);
  for (const auto& record : page->listing.records)
    fuzz::check(!record.agent_id.empty(), "an execution without an agent");
  return 0;
}
