#pragma once
// The invariants of a parsed Bolna listing, shared by the per-resource targets: every record kept
// has a bounded id, name and links, a raw copy and fields that are JSON, and the content hash of
// what it holds; warnings are capped.
#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "upstream/voice/bolna_records.hpp"

namespace tenantsync::fuzz {

inline void check_voice_listing(const upstream::VoiceListing& listing) {
  namespace bolna = upstream::bolna;
  check(listing.warnings.size() <= bolna::kMaxWarnings + 1, "more warnings than the cap");
  for (const auto& record : listing.records) {
    check(!record.upstream_id.empty(), "a record without an id");
    check(record.upstream_id.size() <= bolna::kMaxIdBytes, "an id over its bound");
    check(record.agent_id.size() <= bolna::kMaxIdBytes, "an agent id over its bound");
    check(record.batch_id.size() <= bolna::kMaxIdBytes, "a batch id over its bound");
    check(record.name.size() <= bolna::kMaxNameBytes, "a name over its bound");
    check(record.status.size() <= bolna::kMaxFieldBytes, "a status over its bound");
    check(record.content_hash.size() == 16 && lower_hex(record.content_hash), "a hash that is not 16 hex digits");
    check(record.content_hash == bolna::content_hash(record), "a hash that is not the record's");
    const auto fields = nlohmann::json::parse(record.fields_json, nullptr, false);
    check(fields.is_object(), "fields that are not a JSON object");
    const auto raw = nlohmann::json::parse(record.raw_json, nullptr, false);
    check(!raw.is_discarded(), "a raw copy that is not JSON");
    if (record.raw_json.size() > bolna::kMaxRawBytes)
      check(raw.is_object() && raw.contains("_raw_truncated_bytes"), "a huge raw copy kept whole");
  }
}

}  // namespace tenantsync::fuzz
