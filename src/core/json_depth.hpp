#pragma once
// How deeply a JSON text nests, found by a flat scan (no recursion, no allocation). nlohmann's
// parser and destructor are iterative, but its dump(), copies and comparisons recurse, so a
// document nested 100k deep from an upstream or a request body would overflow the stack later;
// such documents are refused before they are parsed.
#include <cstddef>
#include <string_view>

namespace tenantsync::core {

/// Nesting deeper than this is refused for every JSON the server reads from outside.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Whether no array or object in `text` nests deeper than `max_depth` (brackets inside strings
/// do not count). Says nothing about whether `text` is valid JSON.
bool json_depth_within(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

}  // namespace tenantsync::core
