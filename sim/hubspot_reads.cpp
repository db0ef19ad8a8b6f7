// The HubSpot reads: the contacts list (id cursors), contact search (filters, one sort, the
// 10,000-result cap) and the owners list, each for the portal of the caller's token.
#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "hubspot_state.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::hubspot {

namespace {

constexpr long long kSearchCap = 10'000;
constexpr std::size_t kSearchBodyLimit = 3'000;

// Comma-separated values of every occurrence of a query parameter ("properties=a,b&properties=c").
std::vector<std::string> query_values(const http::Request& request, const std::string& name) {
  std::vector<std::string> out;
  const auto [first, last] = request.query.equal_range(name);
  for (auto it = first; it != last; ++it) {
    std::size_t start = 0;
    const std::string& v = it->second;
    while (start <= v.size()) {
      const auto comma = v.find(',', start);
      const auto piece = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!piece.empty()) out.push_back(piece);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out.append(name).push_back(',');
  return out;
}

// A page's body pasted from the contacts' ready text: the same bytes json::dump gives for
// {"paging":…, "results":[…], "total":…} (keys in nlohmann's sorted order).
http::Response page_response(const std::vector<const std::string*>& results, const json* paging,
                             const long long* total) {
  std::size_t size = 64;
  for (const auto* text : results) size += text->size() + 1;
  std::string body;
  body.reserve(size);
  body.push_back('{');
  if (paging) body.append("\"paging\":").append(paging->dump()).push_back(',');
  body.append("\"results\":[");
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i) body.push_back(',');
    body.append(*results[i]);
  }
  body.push_back(']');
  if (total) body.append(",\"total\":").append(std::to_string(*total));
  body.push_back('}');
  http::Response response;
  response.status = 200;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

// The id range [first, last] the filters allow, when they are only hs_object_id comparisons in
// at most one group; nullopt otherwise.
std::optional<std::pair<long long, long long>> id_range(const std::vector<std::vector<Filter>>& groups) {
  constexpr long long kMin = std::numeric_limits<long long>::min();
  constexpr long long kMax = std::numeric_limits<long long>::max();
  long long first = kMin, last = kMax;
  if (groups.size() > 1) return std::nullopt;
  for (const std::vector<Filter>& group : groups)
    for (const Filter& f : group) {
      if (!f.id_bound) return std::nullopt;
      const long long b = *f.id_bound;
      if (f.op == "LT" && b != kMin) last = std::min(last, b - 1);
      else if (f.op == "LTE") last = std::min(last, b);
      else if (f.op == "GT" && b != kMax) first = std::max(first, b + 1);
      else if (f.op == "GTE") first = std::max(first, b);
      else if (f.op == "EQ") first = std::max(first, b), last = std::min(last, b);
      else return std::nullopt;  // NEQ, or a bound past the ends: the general path
    }
  return std::make_pair(first, last);
}

constexpr std::size_t kListSlot = 0;
constexpr std::size_t kSearchSlot = 1;

}  // namespace

http::Response api_contacts(State& state, Call& call) {
  const Portal& portal = *call.portal;
  const http::Request& request = call.request;
  constexpr long long kMin = std::numeric_limits<long long>::min();
  constexpr long long kMax = std::numeric_limits<long long>::max();
  const auto limit = int_param(request, "limit", 10, 1, 100);
  if (!limit) return state.error(400, "VALIDATION_ERROR", "limit must be between 1 and 100");
  const auto after = int_param(request, "after", kMin, kMin, kMax);
  if (!after) return state.error(400, "VALIDATION_ERROR", "after must be a cursor from paging.next.after");
  const bool archived = request.query_param("archived").value_or("false") == "true";
  std::vector<std::string> properties = query_values(request, "properties");
  if (properties.empty()) properties = default_list_properties();

  const std::string key = join_names(properties);
  std::vector<const std::string*> results;
  auto it = portal.contacts.lower_bound(*after);
  for (; it != portal.contacts.end() && static_cast<long long>(results.size()) < *limit; ++it)
    if (it->second.archived == archived)
      results.push_back(&contact_text(it->second, properties, key, kListSlot));
  while (it != portal.contacts.end() && it->second.archived != archived) ++it;
  if (it == portal.contacts.end()) return page_response(results, nullptr, nullptr);
  const std::string next = std::to_string(it->first);
  const json paging = {
      {"next", {{"after", next}, {"link", "https://api.hubapi.com/crm/v3/objects/contacts?after=" + next}}}};
  return page_response(results, &paging, nullptr);
}

http::Response api_search(State& state, Call& call) {
  const Portal& portal = *call.portal;
  const http::Request& request = call.request;
  if (request.body.size() > kSearchBodyLimit)
    return state.error(400, "VALIDATION_ERROR", "the search request body exceeds 3000 characters");
  const auto body = parse_json_body(request);
  if (!body || !body->is_object()) return state.error(400, "VALIDATION_ERROR", "Invalid input JSON");
  long long limit = 10;
  if (body->contains("limit")) {
    const json& v = (*body)["limit"];
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 200)
      return state.error(400, "VALIDATION_ERROR", "limit must be between 1 and 200");
    limit = v.get<long long>();
  }
  long long offset = 0;
  if (body->contains("after") && !(*body)["after"].is_null()) {
    const json& a = (*body)["after"];
    const auto value = a.is_number_integer() ? std::optional<long long>(a.get<long long>())
                                             : parse_integer(a.is_string() ? a.get<std::string>() : "x");
    if (!value || *value < 0) return state.error(400, "VALIDATION_ERROR", "after must be a paging cursor");
    offset = *value;
  }
  if (offset >= kSearchCap)
    return state.error(
        400, "VALIDATION_ERROR",
        "Search results are limited to 10,000 records; narrow the query instead of paging further");
  auto groups = parse_filter_groups(body->value("filterGroups", json()));
  if (!groups) return state.error(400, groups.error().code, groups.error().message);

  std::string sort_property = "hs_object_id";
  bool descending = false;
  if (body->contains("sorts") && (*body)["sorts"].is_array() && !(*body)["sorts"].empty()) {
    const json& sorts = (*body)["sorts"];
    if (sorts.size() > 1) return state.error(400, "VALIDATION_ERROR", "only one sort is supported");
    if (sorts[0].is_string()) {
      std::string s = sorts[0].get<std::string>();
      descending = !s.empty() && s[0] == '-';
      sort_property = descending ? s.substr(1) : s;
    } else if (sorts[0].is_object() && sorts[0].contains("propertyName")) {
      sort_property = sorts[0]["propertyName"].get<std::string>();
      descending = sorts[0].value("direction", std::string("ASCENDING")) == "DESCENDING";
    } else {
      return state.error(400, "VALIDATION_ERROR", "a sort is {propertyName, direction}");
    }
  }
  std::vector<std::string> properties = default_search_properties();
  if (body->contains("properties") && (*body)["properties"].is_array())
    for (const auto& p : (*body)["properties"])
      if (p.is_string() &&
          std::find(properties.begin(), properties.end(), p.get<std::string>()) == properties.end())
        properties.push_back(p.get<std::string>());

  const std::string key = join_names(properties);
  std::vector<const std::string*> results;
  long long total = 0;
  const auto range = sort_property == "hs_object_id" ? id_range(*groups) : std::nullopt;
  if (range) {
    // An id range in id order: the live ids, kept sorted until the contacts change, give the
    // count and the page at once.
    Portal::LiveIds& live = call.portal->live_ids;
    if (live.version != state.contacts_version) {
      live.ids.clear();
      for (const auto& [id, contact] : portal.contacts)
        if (!contact.archived) live.ids.push_back(id);
      live.version = state.contacts_version;
    }
    const auto first = std::lower_bound(live.ids.begin(), live.ids.end(), range->first);
    const auto last = std::upper_bound(first, live.ids.end(), range->second);
    total = last - first;
    for (long long i = offset; i < total && i < offset + limit; ++i) {
      const long long id = descending ? *(last - 1 - i) : *(first + i);
      results.push_back(&contact_text(portal.contacts.at(id), properties, key, kSearchSlot));
    }
  } else if (sort_property == "hs_object_id") {
    // The id order is the map's: walk it in the asked direction, keeping only the page's rows.
    auto consider = [&](const Contact& c) {
      if (c.archived || !matches(c, *groups)) return;
      if (total >= offset && total < offset + limit)
        results.push_back(&contact_text(c, properties, key, kSearchSlot));
      ++total;
    };
    if (descending)
      for (auto it = portal.contacts.rbegin(); it != portal.contacts.rend(); ++it) consider(it->second);
    else
      for (const auto& [id, contact] : portal.contacts) consider(contact);
  } else {
    // Matching contacts in sort order; the lastmodifieddate order comes from an index.
    std::vector<const Contact*> ordered;
    auto consider = [&](const Contact& c) {
      if (!c.archived && matches(c, *groups)) ordered.push_back(&c);
    };
    if (sort_property == "lastmodifieddate") {
      for (const auto& [key_, id] : portal.by_modified) consider(portal.contacts.at(id));
    } else {
      for (const auto& [id, contact] : portal.contacts) consider(contact);
      std::stable_sort(ordered.begin(), ordered.end(), [&](const Contact* a, const Contact* b) {
        const int c = compare_values(sort_property, a->get(sort_property), b->get(sort_property));
        return c != 0 ? c < 0 : a->id < b->id;
      });
    }
    if (descending) std::reverse(ordered.begin(), ordered.end());
    total = static_cast<long long>(ordered.size());
    for (long long i = offset; i < total && i < offset + limit; ++i)
      results.push_back(&contact_text(*ordered[static_cast<std::size_t>(i)], properties, key, kSearchSlot));
  }
  if (offset + limit >= total) return page_response(results, nullptr, &total);
  const json paging = {{"next", {{"after", std::to_string(offset + limit)}}}};
  return page_response(results, &paging, &total);
}

http::Response api_owners(State& state, Call& call) {
  const Portal& portal = *call.portal;
  const http::Request& request = call.request;
  const auto limit_param = int_param(request, "limit", 100, 1, 500);
  if (!limit_param) return state.error(400, "VALIDATION_ERROR", "limit must be between 1 and 500");
  const auto after = int_param(request, "after", 0, 0, std::numeric_limits<long long>::max());
  if (!after) return state.error(400, "VALIDATION_ERROR", "after must be a paging cursor");
  const long long limit = *limit_param;
  const long long offset = *after;
  const bool archived = request.query_param("archived").value_or("false") == "true";
  std::vector<const Owner*> matching;
  for (const auto& owner : portal.owners)
    if (owner.archived == archived) matching.push_back(&owner);
  json results = json::array();
  for (long long i = offset; i < static_cast<long long>(matching.size()) && i < offset + limit; ++i)
    results.push_back(owner_json(*matching[static_cast<std::size_t>(i)]));
  json out = {{"results", std::move(results)}};
  if (offset + limit < static_cast<long long>(matching.size())) {
    const std::string next = std::to_string(offset + limit);
    out["paging"] = {
        {"next", {{"after", next}, {"link", "https://api.hubapi.com/crm/v3/owners?after=" + next}}}};
  }
  return json_response(200, out);
}

}  // namespace tenantsync::sim::hubspot
