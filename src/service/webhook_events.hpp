#pragma once
// The change types of the feed and the patterns webhooks subscribe with: a type
// ("lead.created"), every type of a kind ("lead.*"), or every type ("*").
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tenantsync::service {

/// Every change type the feed writes, in a stable order (docs/api.md lists them).
const std::vector<std::string>& change_types();

/// Checks and normalizes a list of patterns (duplicates dropped; "*" alone when present).
/// validation_failed names `field` and the unknown pattern; an empty list is refused too.
Result<std::vector<std::string>> parse_event_patterns(const std::vector<std::string>& patterns,
                                                      std::string_view field);
/// Whether a change of `type` matches any of `patterns`.
bool matches_any(const std::vector<std::string>& patterns, std::string_view type);

/// Patterns as stored ("lead.*,run.finished") and back.
std::string join_patterns(const std::vector<std::string>& patterns);
std::vector<std::string> split_patterns(std::string_view stored);

}  // namespace tenantsync::service
