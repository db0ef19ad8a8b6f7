#pragma once
// nlohmann JSON from upstream bodies, bounded: documents nested deeper than core::kMaxJsonDepth
// are refused before parsing (dump(), copies and comparisons recurse), and a record's raw copy is
// kept only up to a size, else its flattened fields stand in for it.
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tenantsync::upstream {

inline constexpr std::size_t kMaxRawRecordBytes = 64 * 1024;

/// The parsed body, or a discarded value (is_discarded()) when it is not JSON or nests too deep.
nlohmann::json parse_bounded_json(std::string_view body);

/// A record's compact JSON, or, when longer than `max_bytes`, its flattened fields with
/// "_raw_truncated_bytes" (so a mirror row never holds a huge upstream blob).
std::string bounded_raw_json(const nlohmann::json& record, const std::map<std::string, std::string>& fields,
                             std::size_t max_bytes = kMaxRawRecordBytes);

}  // namespace tenantsync::upstream
