#pragma once
// Record shapes of the simulated Bolna API: defaults for new records, execution values kept
// compactly (benchmarks hold 100,000+ of them) and their full and trimmed JSON renderings.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim_result.hpp"

namespace tenantsync::sim::bolna {

using nlohmann::json;

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

/// One call record; fields the simulator filters or renders are typed, the rest kept verbatim.
struct Execution {
  std::string id;
  std::string agent_id;
  std::string batch_id;  ///< empty when the call is not part of a batch
  std::string status = "completed";
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  double conversation_duration = 0;
  double total_cost = 0;
  std::string transcript;
  std::string to_number;
  std::string from_number;
  std::string provider = "twilio";
  std::string call_type = "outbound";
  std::string recording_url;
  json extra;            ///< other top-level fields (null when none)
  json telephony_extra;  ///< other telephony_data fields (null when none)
};

/// Applies the fields of `input` (a create body or a PATCH) on top of `base`.
Result<Execution> apply_execution_fields(const json& input, Execution base);
/// The GET /executions/{id} shape.
json execution_full(const Execution& execution);
/// A row of the executions list: trimmed like the live API, or the full record.
json execution_row(const Execution& execution, bool trimmed);

json default_agent(const std::string& id, const std::string& now_iso);
json default_phone_number(const std::string& id, const std::string& number, std::int64_t now_ms);
json default_batch(const std::string& id, const std::string& now_iso);

/// "17th Dec, 2024": the human-readable date the live API uses for renewal_at.
std::string humanized_date(std::int64_t epoch_ms);

/// Finds a record by its id field in a list.
std::vector<json>::iterator find_record(std::vector<json>& list, const char* id_field, const std::string& id);
/// Adds `input` over `defaults` to `list`; ids must be unique. Errors: bad_request, conflict.
Result<json> add_record(std::vector<json>& list, const char* id_field, json defaults, const json& input);
/// Applies a PATCH (top-level fields; null removes) and bumps updated_at unless given.
Result<json> patch_record(json& record, const char* id_field, const json& patch, const std::string& now_iso);

}  // namespace tenantsync::sim::bolna
