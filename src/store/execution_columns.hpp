#pragma once
// What the call log filters, matches and aggregates executions by, read out of an execution's
// normalized fields (upstream/voice/bolna_records) when the mirror writes the row: its numbers
// in E.164 (a lead's calls are the executions whose from or to number is the lead's), its
// duration and its cost. Pure, so it is unit-tested alone.
#include <optional>
#include <string>
#include <string_view>

namespace tenantsync::store {

struct ExecutionColumns {
  std::string from_e164;  ///< empty when the number is missing or not a phone number
  std::string to_e164;
  std::optional<double> duration_s;
  std::optional<double> cost;
};

/// The columns of an execution whose fields JSON is `fields_json`; numbers without a country
/// code are read as numbers of `region` (the tenant's default region).
ExecutionColumns execution_columns(std::string_view fields_json, std::string_view region);

/// A number as the call log stores it: E.164 when libphonenumber accepts it (read in `region`
/// when it has no country code), else the text itself when it is already "+" and 7 to 15
/// digits (what the voice platform sent, kept so it still matches itself), else empty.
std::string call_number_e164(std::string_view number, std::string_view region);

}  // namespace tenantsync::store
