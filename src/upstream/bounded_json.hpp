#pragma once
// nlohmann JSON from upstream bodies, bounded: documents nested deeper than core::kMaxJsonDepth
// are refused before parsing (dump(), copies and comparisons recurse).
#include <nlohmann/json.hpp>
#include <string_view>

namespace tenantsync::upstream {

/// The parsed body, or a discarded value (is_discarded()) when it is not JSON or nests too deep.
nlohmann::json parse_bounded_json(std::string_view body);

}  // namespace tenantsync::upstream
