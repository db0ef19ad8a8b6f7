#pragma once
// The vocabulary of the voice-platform mirror: which resources are mirrored, what one
// upstream record looks like once read, and what the planner needs to know of a local row.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"

namespace tenantsync::core {

/// The voice-platform resources mirrored per tenant.
enum class Resource { agents, phone_numbers, campaigns, executions };

/// Every resource, in the order a sync reads them.
inline constexpr std::array<Resource, 4> kAllResources = {Resource::agents, Resource::phone_numbers,
                                                          Resource::campaigns, Resource::executions};

/// The resources' names, indexed by the enum's values: also the table names.
inline constexpr std::array<std::string_view, 4> kResourceNames = {"agents", "phone_numbers", "campaigns",
                                                                   "executions"};

/// "agents", "phone_numbers", "campaigns", "executions".
constexpr std::string_view to_string(Resource resource) {
  const auto index = static_cast<std::size_t>(resource);
  return index < kResourceNames.size() ? kResourceNames[index] : "unknown";
}

/// Words for people: "agents", "phone numbers", "campaigns", "executions".
constexpr std::string_view display_name(Resource resource) {
  return resource == Resource::phone_numbers ? std::string_view("phone numbers") : to_string(resource);
}

/// The inverse of to_string; nullopt for anything else (exact, case-sensitive).
constexpr std::optional<Resource> parse_resource(std::string_view text) {
  for (Resource r : kAllResources)
    if (to_string(r) == text) return r;
  return std::nullopt;
}

/// One record as read from the upstream listing, already flattened by the connector.
struct UpstreamRecord {
  std::string upstream_id;
  std::string name;  ///< agent name, phone number, batch file name, …
  std::string status;
  std::string agent_id;  ///< owning agent (phone numbers, campaigns, executions); may be empty
  std::string batch_id;  ///< executions of a campaign; may be empty
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::string fields_json;   ///< the normalized fields the product shows
  std::string raw_json;      ///< the record as the upstream sent it
  std::string content_hash;  ///< hash of fields_json; equal hashes mean "nothing to update"
};

/// What the planner needs of one local mirror row (active or archived).
struct LocalRecord {
  MirrorRowId id{0};
  std::string upstream_id;
  std::string upstream_account_id;  ///< empty for rows written before accounts were tracked
  std::string content_hash;
  std::string name;
  bool archived = false;
  std::string archive_reason;  ///< "removed_upstream" | "account_switched" when archived
};

}  // namespace tenantsync::core
