#pragma once
// HubSpot record shapes for the simulator: contacts and owners, their JSON, and the search
// filter semantics (operators over string, number and date properties).
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim_result.hpp"

namespace tenantsync::sim::hubspot {

using nlohmann::json;

/// A contact's JSON text as last rendered for one property list, kept so that a page of a
/// listing is pasted together from ready text (benchmarks read 100,000 contacts; rendering each
/// one anew per request cost the simulator more CPU than the product spent on it).
struct RenderedContact {
  std::string key;  ///< the property list it was rendered for; empty: nothing rendered
  std::int64_t updated_ms = 0;
  bool archived = false;
  std::int64_t archived_ms = 0;
  std::string text;
};

/// A contact; properties kept as a small flat list (benchmarks hold 100,000+ contacts).
struct Contact {
  long long id = 0;
  std::vector<std::pair<std::string, std::string>> properties;  ///< absent means null
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  bool archived = false;
  std::int64_t archived_ms = 0;

  /// A property's value, including the derived createdate, lastmodifieddate and hs_object_id.
  std::optional<std::string> get(const std::string& name) const;
  /// Sets (or, with nullopt, removes) a stored property.
  void set(const std::string& name, std::optional<std::string> value);

  /// Renderings for the list (0) and search (1) readers; a rendering is stale when its key or
  /// the contact's times or archived flag differ, and `set` drops both.
  mutable std::array<RenderedContact, 2> rendered;
};

struct Owner {
  std::string id;
  std::string email;
  std::string first_name;
  std::string last_name;
  long long user_id = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  bool archived = false;
};

/// The properties a list or search returns when none are asked for.
const std::vector<std::string>& default_list_properties();
const std::vector<std::string>& default_search_properties();

/// {id, properties:{...}, createdAt, updatedAt, archived[, archivedAt]} with the asked properties.
json contact_json(const Contact& contact, const std::vector<std::string>& properties);
/// contact_json(contact, properties).dump(), from the contact's rendering in `slot` when it is
/// current for `key` (the property list joined), else rendered now and kept.
const std::string& contact_text(const Contact& contact, const std::vector<std::string>& properties,
                                const std::string& key, std::size_t slot);
/// The control API's view of a contact: the default search properties and every stored one.
json contact_full_json(const Contact& contact);
json owner_json(const Owner& owner);

/// One search filter: {propertyName, operator, value | values}.
struct Filter {
  std::string property;
  std::string op;
  std::string value;
  std::vector<std::string> values;
  /// An hs_object_id comparison's number, parsed once: ids compare by value, without their text
  /// (a read from the top asks for the ids below a bound, over every contact, 5 times a second).
  std::optional<long long> id_bound;
};

/// Parses and validates a search body's filterGroups (≤ 5 groups, ≤ 6 filters each).
Result<std::vector<std::vector<Filter>>> parse_filter_groups(const json& groups);
/// True when the contact passes the filter (groups are ORed, filters inside a group ANDed).
bool matches(const Contact& contact, const std::vector<std::vector<Filter>>& groups);
/// Orders two property values the way search sorts them (dates and numbers numerically).
int compare_values(const std::string& property, const std::optional<std::string>& a,
                   const std::optional<std::string>& b);
/// Epoch ms of a date property value written as epoch ms or ISO-8601.
std::optional<std::int64_t> parse_date_value(const std::string& value);
bool is_date_property(const std::string& name);

}  // namespace tenantsync::sim::hubspot
