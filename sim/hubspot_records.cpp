#include "hubspot_records.hpp"

#include <algorithm>
#include <cctype>

#include "core/time_format.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::hubspot {
namespace {

std::string iso(std::int64_t ms) { return format_iso8601(from_epoch_ms(ms)); }

bool is_numeric_property(const std::string& name) {
  return name == "hs_object_id" || name == "hubspot_owner_id";
}

const std::vector<std::string> kOperators = {
    "EQ",     "NEQ",           "LT", "LTE", "GT", "GTE", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "IN",
    "NOT_IN", "CONTAINS_TOKEN"};

bool lower_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether a comparison operator (EQ, NEQ, LT, LTE, GT, GTE) passes, given how the contact's value
// orders against the filter's (-1, 0, 1).
bool order_passes(const std::string& op, int order) {
  if (op == "EQ") return order == 0;
  if (op == "NEQ") return order != 0;
  if (op == "LT") return order < 0;
  if (op == "LTE") return order <= 0;
  if (op == "GT") return order > 0;
  return order >= 0;  // GTE
}

bool filter_passes(const Contact& contact, const Filter& filter) {
  if (filter.id_bound)
    return order_passes(filter.op, contact.id < *filter.id_bound ? -1 : contact.id > *filter.id_bound ? 1 : 0);
  const auto value = contact.get(filter.property);
  if (filter.op == "HAS_PROPERTY") return value.has_value();
  if (filter.op == "NOT_HAS_PROPERTY") return !value.has_value();
  if (filter.op == "IN" || filter.op == "NOT_IN") {
    const bool found = value && std::any_of(filter.values.begin(), filter.values.end(),
                                            [&](const std::string& v) { return lower_equal(v, *value); });
    return filter.op == "IN" ? found : !found;
  }
  if (filter.op == "CONTAINS_TOKEN") {
    if (!value) return false;
    std::string hay = *value, needle = filter.value;
    for (auto* s : {&hay, &needle})
      std::transform(s->begin(), s->end(), s->begin(), [](unsigned char c) { return std::tolower(c); });
    needle.erase(std::remove(needle.begin(), needle.end(), '*'), needle.end());
    return hay.find(needle) != std::string::npos;
  }
  if (!value) return filter.op == "NEQ";
  int order;
  if (!is_date_property(filter.property) && !is_numeric_property(filter.property) &&
      (filter.op == "EQ" || filter.op == "NEQ")) {
    order = lower_equal(*value, filter.value) ? 0 : 1;  // string equality is case-insensitive
  } else {
    order = compare_values(filter.property, value, filter.value);
  }
  return order_passes(filter.op, order);
}

}  // namespace

bool is_date_property(const std::string& name) {
  return name == "lastmodifieddate" || name == "createdate" || name == "notes_last_updated" ||
         name == "hs_lastmodifieddate" || name == "closedate";
}

std::optional<std::int64_t> parse_date_value(const std::string& value) {
  if (const auto ms = parse_integer(value)) return *ms;
  if (const auto t = parse_iso8601(value)) return to_epoch_ms(*t);
  return std::nullopt;
}

std::optional<std::string> Contact::get(const std::string& name) const {
  if (name == "hs_object_id") return std::to_string(id);
  if (name == "createdate") return iso(created_ms);
  if (name == "lastmodifieddate") return iso(updated_ms);
  for (const auto& [key, value] : properties)
    if (key == name) return value;
  return std::nullopt;
}

void Contact::set(const std::string& name, std::optional<std::string> value) {
  for (auto& r : rendered) r.key.clear();
  const auto it =
      std::find_if(properties.begin(), properties.end(), [&](const auto& p) { return p.first == name; });
  if (!value) {
    if (it != properties.end()) properties.erase(it);
  } else if (it != properties.end()) {
    it->second = std::move(*value);
  } else {
    properties.emplace_back(name, std::move(*value));
  }
}

const std::vector<std::string>& default_list_properties() {
  static const std::vector<std::string> kList = {"createdate",       "email",   "firstname", "hs_object_id",
                                                 "lastmodifieddate", "lastname"};
  return kList;
}

const std::vector<std::string>& default_search_properties() {
  static const std::vector<std::string> kList = {"createdate", "hs_object_id", "lastmodifieddate"};
  return kList;
}

json contact_json(const Contact& contact, const std::vector<std::string>& properties) {
  json props = json::object();
  for (const auto& name : properties) {
    const auto value = contact.get(name);
    props[name] = value ? json(*value) : json(nullptr);
  }
  json out = {{"id", std::to_string(contact.id)},
              {"properties", std::move(props)},
              {"createdAt", iso(contact.created_ms)},
              {"updatedAt", iso(contact.updated_ms)},
              {"archived", contact.archived}};
  if (contact.archived) out["archivedAt"] = iso(contact.archived_ms);
  return out;
}

const std::string& contact_text(const Contact& contact, const std::vector<std::string>& properties,
                                const std::string& key, std::size_t slot) {
  RenderedContact& r = contact.rendered.at(slot);
  if (r.key != key || r.updated_ms != contact.updated_ms || r.archived != contact.archived ||
      r.archived_ms != contact.archived_ms) {
    r.text = contact_json(contact, properties).dump();
    r.key = key;
    r.updated_ms = contact.updated_ms;
    r.archived = contact.archived;
    r.archived_ms = contact.archived_ms;
  }
  return r.text;
}

json contact_full_json(const Contact& contact) {
  std::vector<std::string> names = default_search_properties();
  for (const auto& [name, value] : contact.properties) names.push_back(name);
  return contact_json(contact, names);
}

json owner_json(const Owner& owner) {
  return {{"id", owner.id},
          {"email", owner.email},
          {"firstName", owner.first_name},
          {"lastName", owner.last_name},
          {"userId", owner.user_id},
          {"type", "PERSON"},
          {"createdAt", iso(owner.created_ms)},
          {"updatedAt", iso(owner.updated_ms)},
          {"archived", owner.archived}};
}

int compare_values(const std::string& property, const std::optional<std::string>& a,
                   const std::optional<std::string>& b) {
  if (!a || !b) return a ? 1 : b ? -1 : 0;  // nulls first
  if (is_date_property(property)) {
    const auto x = parse_date_value(*a), y = parse_date_value(*b);
    if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  }
  if (is_numeric_property(property)) {
    const auto x = parse_integer(*a), y = parse_integer(*b);
    if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  }
  const int c = a->compare(*b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

Result<std::vector<std::vector<Filter>>> parse_filter_groups(const json& groups) {
  std::vector<std::vector<Filter>> out;
  if (groups.is_null()) return out;
  if (!groups.is_array()) return make_error("VALIDATION_ERROR", "filterGroups must be an array");
  if (groups.size() > 5) return make_error("VALIDATION_ERROR", "at most 5 filterGroups are allowed");
  for (const auto& group : groups) {
    if (!group.is_object() || !group.contains("filters") || !group["filters"].is_array())
      return make_error("VALIDATION_ERROR", "each filterGroup needs a filters array");
    if (group["filters"].size() > 6)
      return make_error("VALIDATION_ERROR", "at most 6 filters per group are allowed");
    std::vector<Filter> filters;
    for (const auto& f : group["filters"]) {
      if (!f.is_object() || !f.contains("propertyName") || !f["propertyName"].is_string())
        return make_error("VALIDATION_ERROR", "each filter needs a propertyName");
      Filter filter;
      filter.property = f["propertyName"].get<std::string>();
      filter.op = f.value("operator", std::string("EQ"));
      if (std::find(kOperators.begin(), kOperators.end(), filter.op) == kOperators.end())
        return make_error("VALIDATION_ERROR", "unknown filter operator " + filter.op);
      if (f.contains("value")) {
        const json& v = f["value"];
        filter.value = v.is_string() ? v.get<std::string>() : v.dump();
      }
      if (f.contains("values") && f["values"].is_array())
        for (const auto& v : f["values"])
          filter.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      const bool needs_value = filter.op != "HAS_PROPERTY" && filter.op != "NOT_HAS_PROPERTY" &&
                               filter.op != "IN" && filter.op != "NOT_IN";
      if (needs_value && !f.contains("value"))
        return make_error("VALIDATION_ERROR", "filter on " + filter.property + " needs a value");
      if (needs_value && is_date_property(filter.property) && !parse_date_value(filter.value))
        return make_error("VALIDATION_ERROR", filter.value + " is not a valid date for " + filter.property);
      if (needs_value && filter.property == "hs_object_id" && filter.op != "CONTAINS_TOKEN")
        filter.id_bound = parse_integer(filter.value);
      filters.push_back(std::move(filter));
    }
    out.push_back(std::move(filters));
  }
  return out;
}

bool matches(const Contact& contact, const std::vector<std::vector<Filter>>& groups) {
  if (groups.empty()) return true;
  return std::any_of(groups.begin(), groups.end(), [&](const std::vector<Filter>& group) {
    return std::all_of(group.begin(), group.end(),
                       [&](const Filter& f) { return filter_passes(contact, f); });
  });
}

}  // namespace tenantsync::sim::hubspot
