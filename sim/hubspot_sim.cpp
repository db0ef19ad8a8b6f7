#include "hubspot_sim.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <set>

#include "core/time_format.hpp"
#include "hubspot_records.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim {

using hubspot::Contact;
using hubspot::Owner;
using nlohmann::json;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kBurstWindowMs = 10'000;
constexpr long long kSearchCap = 10'000;
constexpr std::size_t kSearchBodyLimit = 3'000;

struct RefreshGrant {
  std::string client_id;  ///< empty: any client may use it
  std::string client_secret;
};

}  // namespace

struct HubSpotSim::Portal {
  long long id = 0;
  std::string time_zone = "US/Eastern";
  std::vector<std::string> private_tokens;
  std::map<std::string, std::int64_t> access_tokens;  ///< token → expires at (ms)
  std::map<std::string, RefreshGrant> refresh_tokens;
  int access_token_ttl_s = 1800;
  int burst_max = 100;  ///< per rolling 10 s (free/starter private app)
  long long daily_max = 250'000;
  int search_per_second = 5;  ///< 0 disables the search limit
  std::deque<std::int64_t> burst_window;
  std::deque<std::int64_t> search_window;
  long long daily_used = 0;
  std::map<long long, Contact> contacts;
  std::set<std::pair<std::int64_t, long long>> by_modified;  ///< (updated_ms, id): incremental search order
  long long next_contact_id = 1001;
  std::vector<Owner> owners;
  std::uint64_t generate_calls = 0;

  json summary() const {
    long long archived = 0;
    for (const auto& [id, contact] : contacts) archived += contact.archived ? 1 : 0;
    long long archived_owners = 0;
    for (const auto& owner : owners) archived_owners += owner.archived ? 1 : 0;
    return {{"portal_id", id},
            {"time_zone", time_zone},
            {"tokens", private_tokens},
            {"access_tokens", access_tokens.size()},
            {"refresh_tokens",
             [&] {
               json list = json::array();
               for (const auto& [token, grant] : refresh_tokens) list.push_back(token);
               return list;
             }()},
            {"access_token_ttl_s", access_token_ttl_s},
            {"burst_max", burst_max},
            {"daily_max", daily_max},
            {"search_per_second", search_per_second},
            {"daily_used", daily_used},
            {"counts",
             {{"contacts", contacts.size() - static_cast<std::size_t>(archived)},
              {"archived_contacts", archived},
              {"owners", owners.size() - static_cast<std::size_t>(archived_owners)},
              {"archived_owners", archived_owners}}}};
  }

  void index(const Contact& c) { by_modified.insert({c.updated_ms, c.id}); }
  void unindex(const Contact& c) { by_modified.erase({c.updated_ms, c.id}); }
};

namespace {

http::Response control_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

http::Response control_error(const Error& error) {
  const int status = error.code == "not_found" ? 404 : error.code == "conflict" ? 409 : 400;
  return control_error(status, error.code, error.message);
}

http::Response method_not_allowed() {
  return control_error(405, "method_not_allowed", "method not allowed here");
}

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

std::optional<std::int64_t> time_field(const json& input, const char* name, bool& bad) {
  if (!input.contains(name)) return std::nullopt;
  const json& v = input[name];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    if (const auto t = parse_iso8601(v.get<std::string>())) return to_epoch_ms(*t);
  }
  bad = true;
  return std::nullopt;
}

const char* const kFirstNames[] = {"Ada",     "Grace", "Alan",     "Edsger", "Barbara", "Donald",
                                   "Frances", "Ken",   "Margaret", "Dennis", "Radia",   "Linus"};
const char* const kLastNames[] = {"Lovelace", "Hopper",   "Turing",   "Dijkstra", "Liskov",  "Knuth",
                                  "Allen",    "Thompson", "Hamilton", "Ritchie",  "Perlman", "Torvalds"};
const char* const kStages[] = {"subscriber",         "lead",        "marketingqualifiedlead",
                               "salesqualifiedlead", "opportunity", "customer"};
const char* const kLeadStatuses[] = {"NEW",       "OPEN",       "IN_PROGRESS", "ATTEMPTED_TO_CONTACT",
                                     "CONNECTED", "UNQUALIFIED"};

}  // namespace

HubSpotSim::HubSpotSim(const Clock& clock) : clock_(clock) {}
HubSpotSim::~HubSpotSim() = default;

std::int64_t HubSpotSim::now_ms() const { return to_epoch_ms(clock_.now()); }

void HubSpotSim::reset() {
  std::lock_guard lock(mutex_);
  portals_.clear();
  token_portal_.clear();
  refresh_portal_.clear();
  ids_ = IdGen{};
  next_portal_id_ = 40'000'001;
}

HubSpotSim::Portal* HubSpotSim::find_portal(long long id) {
  const auto it = portals_.find(id);
  return it == portals_.end() ? nullptr : it->second.get();
}

http::Response HubSpotSim::hubspot_error(int status, const std::string& category,
                                         const std::string& message) {
  return json_response(
      status,
      {{"status", "error"}, {"message", message}, {"correlationId", ids_.uuid()}, {"category", category}});
}

std::optional<int> HubSpotSim::page_of(const http::Request& request) {
  const auto seg = split_path(request.path);
  const auto offset_page = [](long long offset, long long limit) {
    return static_cast<int>(
        std::min<long long>(offset / std::max(1LL, limit) + 1, std::numeric_limits<int>::max()));
  };
  if (seg.size() == 5 && seg[0] == "crm" && seg[3] == "contacts" && seg[4] == "search") {
    const auto body = parse_json_body(request);
    if (!body || !body->is_object()) return 1;
    long long offset = 0;
    if (body->contains("after")) {
      const json& a = (*body)["after"];
      offset = a.is_number_integer() ? a.get<long long>()
                                     : parse_integer(a.is_string() ? a.get<std::string>() : "").value_or(0);
    }
    const long long limit = body->contains("limit") && (*body)["limit"].is_number_integer()
                                ? (*body)["limit"].get<long long>()
                                : 10;
    return offset_page(offset, limit);
  }
  if (seg.size() == 3 && seg[0] == "crm" && seg[2] == "owners") {
    const long long offset = parse_integer(query_value(request, "after").value_or("0")).value_or(0);
    return offset_page(offset, parse_integer(query_value(request, "limit").value_or("100")).value_or(100));
  }
  if (seg.size() == 4 && seg[0] == "crm" && seg[3] == "contacts") {
    const auto after = query_value(request, "after");
    if (!after) return 1;
    const auto after_id = parse_integer(*after);
    if (!after_id) return std::nullopt;
    const long long limit = parse_integer(query_value(request, "limit").value_or("10")).value_or(10);
    // The cursor is an id; its page is how many listed contacts come before it.
    std::lock_guard lock(mutex_);
    const auto token = token_portal_.find(bearer_token(request));
    if (token == token_portal_.end()) return std::nullopt;
    const Portal& portal = *portals_.at(token->second);
    const bool archived = query_value(request, "archived").value_or("false") == "true";
    long long before = 0;
    for (auto it = portal.contacts.begin(); it != portal.contacts.end() && it->first < *after_id; ++it)
      before += it->second.archived == archived ? 1 : 0;
    return offset_page(before, limit);
  }
  return std::nullopt;
}

std::optional<http::Response> HubSpotSim::handle_api(const http::Request& request) {
  enum class Route { kAccount, kContacts, kSearch, kOwners, kTokenV1, kTokenV3 };
  const auto seg = split_path(request.path);
  const std::size_t n = seg.size();
  Route route;
  if (n == 3 && seg[0] == "account-info" && seg[1] == "v3" && seg[2] == "details")
    route = Route::kAccount;
  else if (n == 4 && seg[0] == "crm" && seg[1] == "v3" && seg[2] == "objects" && seg[3] == "contacts")
    route = Route::kContacts;
  else if (n == 5 && seg[0] == "crm" && seg[1] == "v3" && seg[2] == "objects" && seg[3] == "contacts" &&
           seg[4] == "search")
    route = Route::kSearch;
  else if (n == 3 && seg[0] == "crm" && seg[1] == "v3" && seg[2] == "owners")
    route = Route::kOwners;
  else if (n == 3 && seg[0] == "oauth" && seg[1] == "v1" && seg[2] == "token")
    route = Route::kTokenV1;
  else if (n == 3 && seg[0] == "oauth" && seg[1] == "v3" && seg[2] == "token")
    route = Route::kTokenV3;
  else
    return std::nullopt;

  std::lock_guard lock(mutex_);
  const bool wants_post = route == Route::kSearch || route == Route::kTokenV1 || route == Route::kTokenV3;
  if (request.method != (wants_post ? "POST" : "GET"))
    return hubspot_error(405, "VALIDATION_ERROR", "HTTP method not allowed on this endpoint");
  if (route == Route::kTokenV1 || route == Route::kTokenV3)
    return token_grant(request, route == Route::kTokenV3);

  const std::string token = bearer_token(request);
  const auto token_it = token_portal_.find(token);
  if (token_it == token_portal_.end())
    return hubspot_error(
        401, "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
        "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
  Portal& portal = *portals_.at(token_it->second);
  const std::int64_t now = now_ms();
  if (const auto expiry = portal.access_tokens.find(token);
      expiry != portal.access_tokens.end() && expiry->second <= now)
    return hubspot_error(401, "EXPIRED_AUTHENTICATION",
                         "The OAuth token used to make this call expired " +
                             std::to_string((now - expiry->second) / 1000) + " second(s) ago.");

  auto rate_limited = [&](const std::string& policy, const std::string& what) {
    return json_response(429, {{"status", "error"},
                               {"message", "You have reached your " + what + " limit."},
                               {"errorType", "RATE_LIMIT"},
                               {"correlationId", ids_.uuid()},
                               {"policyName", policy}});
  };
  if (portal.daily_used >= portal.daily_max) return rate_limited("DAILY", "daily");

  if (route == Route::kSearch) {
    // Search has its own per-second limit and sends no rate-limit headers.
    while (!portal.search_window.empty() && portal.search_window.front() <= now - 1000)
      portal.search_window.pop_front();
    if (portal.search_per_second > 0 &&
        static_cast<int>(portal.search_window.size()) >= portal.search_per_second)
      return rate_limited("SECONDLY", "secondly");
    portal.search_window.push_back(now);
    ++portal.daily_used;
    return search_contacts(portal, request);
  }

  while (!portal.burst_window.empty() && portal.burst_window.front() <= now - kBurstWindowMs)
    portal.burst_window.pop_front();
  http::Response response;
  if (portal.burst_max > 0 && static_cast<int>(portal.burst_window.size()) >= portal.burst_max) {
    response = rate_limited("TEN_SECONDLY_ROLLING", "ten_secondly_rolling");
  } else {
    portal.burst_window.push_back(now);
    ++portal.daily_used;
    switch (route) {
      case Route::kAccount:
        response = json_response(200, {{"portalId", portal.id},
                                       {"accountType", "STANDARD"},
                                       {"timeZone", portal.time_zone},
                                       {"companyCurrency", "USD"},
                                       {"additionalCurrencies", json::array()},
                                       {"utcOffset", "-05:00"},
                                       {"utcOffsetMilliseconds", -18'000'000},
                                       {"uiDomain", "app.hubspot.com"},
                                       {"dataHostingLocation", "na1"}});
        break;
      case Route::kContacts:
        response = list_contacts(portal, request);
        break;
      default:
        response = list_owners(portal, request);
        break;
    }
  }
  const long long burst_left =
      std::max<long long>(0, portal.burst_max - static_cast<long long>(portal.burst_window.size()));
  response.headers.emplace_back("X-HubSpot-RateLimit-Max", std::to_string(portal.burst_max));
  response.headers.emplace_back("X-HubSpot-RateLimit-Remaining", std::to_string(burst_left));
  response.headers.emplace_back("X-HubSpot-RateLimit-Interval-Milliseconds", std::to_string(kBurstWindowMs));
  response.headers.emplace_back("X-HubSpot-RateLimit-Daily", std::to_string(portal.daily_max));
  response.headers.emplace_back("X-HubSpot-RateLimit-Daily-Remaining",
                                std::to_string(std::max<long long>(0, portal.daily_max - portal.daily_used)));
  return response;
}

Result<std::pair<std::string, std::int64_t>> HubSpotSim::mint_access_token(long long portal_id,
                                                                           std::optional<int> ttl_s) {
  std::lock_guard lock(mutex_);
  Portal* portal = find_portal(portal_id);
  if (!portal) return make_error("not_found", "no HubSpot portal " + std::to_string(portal_id));
  const std::string access = "sim-at-" + ids_.hex(32);
  const std::int64_t expires_at = now_ms() + ttl_s.value_or(portal->access_token_ttl_s) * 1000LL;
  portal->access_tokens[access] = expires_at;
  token_portal_[access] = portal->id;
  return std::pair{access, expires_at};
}

bool HubSpotSim::access_token_valid(const std::string& token) {
  std::lock_guard lock(mutex_);
  const auto owner = token_portal_.find(token);
  if (owner == token_portal_.end()) return false;
  const Portal& portal = *portals_.at(owner->second);
  const auto expiry = portal.access_tokens.find(token);
  return expiry == portal.access_tokens.end() || expiry->second > now_ms();
}

http::Response HubSpotSim::token_grant(const http::Request& request, bool v3) {
  const auto form = http::parse_query(request.body);
  auto field = [&](const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  auto refuse = [&](const std::string& v1_status, const std::string& v3_error, const std::string& message) {
    if (v3) return json_response(400, {{"error", v3_error}, {"error_description", message}});
    return json_response(400, {{"status", v1_status}, {"message", message}, {"correlationId", ids_.uuid()}});
  };
  if (field("grant_type") != "refresh_token")
    return refuse("UNSUPPORTED_GRANT_TYPE", "unsupported_grant_type", "grant_type must be refresh_token");
  const std::string refresh = field("refresh_token");
  const auto owner = refresh_portal_.find(refresh);
  if (refresh.empty() || owner == refresh_portal_.end())
    return refuse("BAD_REFRESH_TOKEN", "invalid_grant", "missing or unknown refresh token");
  Portal& portal = *portals_.at(owner->second);
  const RefreshGrant& grant = portal.refresh_tokens.at(refresh);
  if (!grant.client_id.empty() && field("client_id") != grant.client_id)
    return refuse("BAD_CLIENT_ID", "invalid_client", "missing or invalid client_id");
  if (!grant.client_secret.empty() && field("client_secret") != grant.client_secret)
    return refuse("BAD_CLIENT_SECRET", "invalid_client", "missing or invalid client_secret");
  const std::string access = "sim-at-" + ids_.hex(32);
  portal.access_tokens[access] = now_ms() + portal.access_token_ttl_s * 1000LL;
  token_portal_[access] = portal.id;
  return json_response(200, {{"token_type", "bearer"},
                             {"refresh_token", refresh},
                             {"access_token", access},
                             {"expires_in", portal.access_token_ttl_s}});
}

http::Response HubSpotSim::list_contacts(Portal& portal, const http::Request& request) {
  long long limit = 10;
  if (const auto text = query_value(request, "limit")) {
    const auto value = parse_integer(*text);
    if (!value || *value < 1 || *value > 100)
      return hubspot_error(400, "VALIDATION_ERROR", "limit must be between 1 and 100");
    limit = *value;
  }
  long long after = std::numeric_limits<long long>::min();
  if (const auto text = query_value(request, "after")) {
    const auto value = parse_integer(*text);
    if (!value)
      return hubspot_error(400, "VALIDATION_ERROR", "after must be a cursor from paging.next.after");
    after = *value;
  }
  const bool archived = query_value(request, "archived").value_or("false") == "true";
  std::vector<std::string> properties = query_values(request, "properties");
  if (properties.empty()) properties = hubspot::default_list_properties();

  json results = json::array();
  auto it = portal.contacts.lower_bound(after);
  for (; it != portal.contacts.end() && static_cast<long long>(results.size()) < limit; ++it)
    if (it->second.archived == archived) results.push_back(hubspot::contact_json(it->second, properties));
  while (it != portal.contacts.end() && it->second.archived != archived) ++it;
  json body = {{"results", std::move(results)}};
  if (it != portal.contacts.end()) {
    const std::string next = std::to_string(it->first);
    body["paging"] = {
        {"next",
         {{"after", next}, {"link", "https://api.hubapi.com/crm/v3/objects/contacts?after=" + next}}}};
  }
  return json_response(200, body);
}

http::Response HubSpotSim::search_contacts(Portal& portal, const http::Request& request) {
  if (request.body.size() > kSearchBodyLimit)
    return hubspot_error(400, "VALIDATION_ERROR", "the search request body exceeds 3000 characters");
  const auto body = parse_json_body(request);
  if (!body || !body->is_object()) return hubspot_error(400, "VALIDATION_ERROR", "Invalid input JSON");
  long long limit = 10;
  if (body->contains("limit")) {
    const json& v = (*body)["limit"];
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 200)
      return hubspot_error(400, "VALIDATION_ERROR", "limit must be between 1 and 200");
    limit = v.get<long long>();
  }
  long long offset = 0;
  if (body->contains("after") && !(*body)["after"].is_null()) {
    const json& a = (*body)["after"];
    const auto value = a.is_number_integer() ? std::optional<long long>(a.get<long long>())
                                             : parse_integer(a.is_string() ? a.get<std::string>() : "x");
    if (!value || *value < 0) return hubspot_error(400, "VALIDATION_ERROR", "after must be a paging cursor");
    offset = *value;
  }
  if (offset >= kSearchCap)
    return hubspot_error(
        400, "VALIDATION_ERROR",
        "Search results are limited to 10,000 records; narrow the query instead of paging further");
  auto groups = hubspot::parse_filter_groups(body->value("filterGroups", json()));
  if (!groups) return hubspot_error(400, groups.error().code, groups.error().message);

  std::string sort_property = "hs_object_id";
  bool descending = false;
  if (body->contains("sorts") && (*body)["sorts"].is_array() && !(*body)["sorts"].empty()) {
    const json& sorts = (*body)["sorts"];
    if (sorts.size() > 1) return hubspot_error(400, "VALIDATION_ERROR", "only one sort is supported");
    if (sorts[0].is_string()) {
      std::string s = sorts[0].get<std::string>();
      descending = !s.empty() && s[0] == '-';
      sort_property = descending ? s.substr(1) : s;
    } else if (sorts[0].is_object() && sorts[0].contains("propertyName")) {
      sort_property = sorts[0]["propertyName"].get<std::string>();
      descending = sorts[0].value("direction", std::string("ASCENDING")) == "DESCENDING";
    } else {
      return hubspot_error(400, "VALIDATION_ERROR", "a sort is {propertyName, direction}");
    }
  }
  std::vector<std::string> properties = hubspot::default_search_properties();
  if (body->contains("properties") && (*body)["properties"].is_array())
    for (const auto& p : (*body)["properties"])
      if (p.is_string() &&
          std::find(properties.begin(), properties.end(), p.get<std::string>()) == properties.end())
        properties.push_back(p.get<std::string>());

  // Matching contacts in sort order; the lastmodifieddate and id orders come from indexes.
  std::vector<const Contact*> ordered;
  auto consider = [&](const Contact& c) {
    if (!c.archived && hubspot::matches(c, *groups)) ordered.push_back(&c);
  };
  if (sort_property == "lastmodifieddate") {
    for (const auto& [key, id] : portal.by_modified) consider(portal.contacts.at(id));
  } else {
    for (const auto& [id, contact] : portal.contacts) consider(contact);
    if (sort_property != "hs_object_id")
      std::stable_sort(ordered.begin(), ordered.end(), [&](const Contact* a, const Contact* b) {
        const int c = hubspot::compare_values(sort_property, a->get(sort_property), b->get(sort_property));
        return c != 0 ? c < 0 : a->id < b->id;
      });
  }
  if (descending) std::reverse(ordered.begin(), ordered.end());

  const long long total = static_cast<long long>(ordered.size());
  json results = json::array();
  for (long long i = offset; i < total && i < offset + limit; ++i)
    results.push_back(hubspot::contact_json(*ordered[static_cast<std::size_t>(i)], properties));
  json out = {{"total", total}, {"results", std::move(results)}};
  if (offset + limit < total) out["paging"] = {{"next", {{"after", std::to_string(offset + limit)}}}};
  return json_response(200, out);
}

http::Response HubSpotSim::list_owners(Portal& portal, const http::Request& request) {
  long long limit = 100;
  if (const auto text = query_value(request, "limit")) {
    const auto value = parse_integer(*text);
    if (!value || *value < 1 || *value > 500)
      return hubspot_error(400, "VALIDATION_ERROR", "limit must be between 1 and 500");
    limit = *value;
  }
  long long offset = 0;
  if (const auto text = query_value(request, "after")) {
    const auto value = parse_integer(*text);
    if (!value || *value < 0) return hubspot_error(400, "VALIDATION_ERROR", "after must be a paging cursor");
    offset = *value;
  }
  const bool archived = query_value(request, "archived").value_or("false") == "true";
  std::vector<const Owner*> matching;
  for (const auto& owner : portal.owners)
    if (owner.archived == archived) matching.push_back(&owner);
  json results = json::array();
  for (long long i = offset; i < static_cast<long long>(matching.size()) && i < offset + limit; ++i)
    results.push_back(hubspot::owner_json(*matching[static_cast<std::size_t>(i)]));
  json out = {{"results", std::move(results)}};
  if (offset + limit < static_cast<long long>(matching.size())) {
    const std::string next = std::to_string(offset + limit);
    out["paging"] = {
        {"next", {{"after", next}, {"link", "https://api.hubapi.com/crm/v3/owners?after=" + next}}}};
  }
  return json_response(200, out);
}

Result<json> HubSpotSim::create_portal(const json& spec) {
  std::lock_guard lock(mutex_);
  return create_portal_locked(spec);
}

Result<json> HubSpotSim::create_portal_locked(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "a portal is a JSON object");
  auto portal = std::make_unique<Portal>();
  if (spec.contains("portal_id")) {
    if (!spec["portal_id"].is_number_integer())
      return make_error("bad_request", "portal_id must be an integer");
    portal->id = spec["portal_id"].get<long long>();
  } else {
    while (portals_.count(next_portal_id_)) ++next_portal_id_;
    portal->id = next_portal_id_++;
  }
  if (portals_.count(portal->id))
    return make_error("conflict", "portal " + std::to_string(portal->id) + " exists");
  portal->time_zone = spec.value("time_zone", portal->time_zone);
  portal->access_token_ttl_s = spec.value("access_token_ttl_s", portal->access_token_ttl_s);
  portal->burst_max = spec.value("burst_max", portal->burst_max);
  portal->daily_max = spec.value("daily_max", portal->daily_max);
  portal->search_per_second = spec.value("search_per_second", portal->search_per_second);
  std::vector<std::string> tokens;
  if (spec.contains("tokens")) {
    if (!spec["tokens"].is_array()) return make_error("bad_request", "tokens is an array of strings");
    for (const auto& t : spec["tokens"]) {
      if (!t.is_string() || t.get<std::string>().empty())
        return make_error("bad_request", "tokens are non-empty strings");
      if (token_portal_.count(t.get<std::string>()))
        return make_error("conflict", "a token is already in use");
      tokens.push_back(t.get<std::string>());
    }
  }
  std::map<std::string, RefreshGrant> refresh;
  if (spec.contains("refresh_tokens")) {
    if (!spec["refresh_tokens"].is_array()) return make_error("bad_request", "refresh_tokens is an array");
    for (const auto& r : spec["refresh_tokens"]) {
      const json grant = r.is_string() ? json{{"refresh_token", r}} : r;
      if (!grant.is_object() || !grant.contains("refresh_token") || !grant["refresh_token"].is_string())
        return make_error("bad_request",
                          "a refresh token is a string or {refresh_token, client_id?, client_secret?}");
      const std::string token = grant["refresh_token"].get<std::string>();
      if (refresh_portal_.count(token)) return make_error("conflict", "a refresh token is already in use");
      refresh[token] = {grant.value("client_id", std::string()), grant.value("client_secret", std::string())};
    }
  }
  for (const auto& t : tokens) token_portal_[t] = portal->id;
  for (const auto& [t, grant] : refresh) refresh_portal_[t] = portal->id;
  portal->private_tokens = std::move(tokens);
  portal->refresh_tokens = std::move(refresh);
  json summary = portal->summary();
  portals_[portal->id] = std::move(portal);
  return summary;
}

Result<json> HubSpotSim::add_contact(Portal& portal, const json& input) {
  if (!input.is_object()) return make_error("bad_request", "a contact is a JSON object");
  Contact contact;
  if (input.contains("id")) {
    const json& id = input["id"];
    const auto value = id.is_number_integer() ? std::optional<long long>(id.get<long long>())
                                              : parse_integer(id.is_string() ? id.get<std::string>() : "x");
    if (!value || *value < 1) return make_error("bad_request", "a contact id is a positive integer");
    contact.id = *value;
  } else {
    contact.id = portal.next_contact_id;
  }
  if (portal.contacts.count(contact.id))
    return make_error("conflict", "contact " + std::to_string(contact.id) + " exists");
  bool bad = false;
  contact.created_ms = time_field(input, "createdAt", bad).value_or(now_ms());
  contact.updated_ms = time_field(input, "updatedAt", bad).value_or(contact.created_ms);
  if (bad) return make_error("bad_request", "createdAt and updatedAt are ISO-8601 strings or epoch ms");
  contact.archived = input.value("archived", false);
  if (contact.archived) contact.archived_ms = contact.updated_ms;
  if (input.contains("properties")) {
    if (!input["properties"].is_object()) return make_error("bad_request", "properties is an object");
    for (const auto& [name, value] : input["properties"].items()) {
      if (name == "hs_object_id" || name == "createdate" || name == "lastmodifieddate") continue;
      if (value.is_null()) continue;
      contact.set(name, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  portal.next_contact_id = std::max(portal.next_contact_id, contact.id + 1);
  portal.index(contact);
  json rendered = hubspot::contact_json(contact, [&] {
    std::vector<std::string> names = hubspot::default_search_properties();
    for (const auto& [name, value] : contact.properties) names.push_back(name);
    return names;
  }());
  portal.contacts.emplace(contact.id, std::move(contact));
  return rendered;
}

Status HubSpotSim::patch_contact(Portal& portal, long long id, const json& patch) {
  if (!patch.is_object()) return make_error("bad_request", "a PATCH body is a JSON object");
  auto it = portal.contacts.find(id);
  if (it == portal.contacts.end()) return make_error("not_found", "no contact " + std::to_string(id));
  Contact& contact = it->second;
  bool bad = false;
  const auto updated = time_field(patch, "updatedAt", bad);
  if (bad) return make_error("bad_request", "updatedAt is an ISO-8601 string or epoch ms");
  if (patch.contains("properties") && !patch["properties"].is_object())
    return make_error("bad_request", "properties is an object");
  portal.unindex(contact);
  if (patch.contains("properties"))
    for (const auto& [name, value] : patch["properties"].items()) {
      if (name == "hs_object_id" || name == "createdate" || name == "lastmodifieddate") continue;
      contact.set(name, value.is_null() ? std::nullopt
                                        : std::optional<std::string>(
                                              value.is_string() ? value.get<std::string>() : value.dump()));
    }
  contact.updated_ms = updated.value_or(now_ms());
  if (patch.contains("archived") && patch["archived"].is_boolean()) {
    contact.archived = patch["archived"].get<bool>();
    contact.archived_ms = contact.archived ? contact.updated_ms : 0;
  }
  portal.index(contact);
  return {};
}

Result<json> HubSpotSim::generate(long long portal_id, const HubSpotGenerateSpec& spec) {
  std::lock_guard lock(mutex_);
  Portal* portal = find_portal(portal_id);
  if (!portal) return make_error("not_found", "no portal " + std::to_string(portal_id));
  return generate_locked(*portal, spec);
}

Result<json> HubSpotSim::generate_locked(Portal& portal, const HubSpotGenerateSpec& spec) {
  if (spec.contacts < 0 || spec.owners < 0 || spec.days < 1)
    return make_error("bad_request", "contacts and owners are >= 0, days >= 1");
  IdGen rng(spec.seed ^ static_cast<std::uint64_t>(portal.id) * 0x100000001b3ULL ^
            (portal.generate_calls++ * 0x9e3779b97f4a7c15ULL));
  const std::int64_t now = now_ms();
  const std::int64_t span = spec.days * kDayMs;
  for (int i = 0; i < spec.owners; ++i) {
    Owner owner;
    owner.id = std::to_string(10'000'000 + rng.below(90'000'000));
    owner.first_name = kFirstNames[rng.below(std::size(kFirstNames))];
    owner.last_name = kLastNames[rng.below(std::size(kLastNames))];
    owner.email = owner.first_name + "." + owner.last_name + std::to_string(portal.owners.size() + 1) +
                  "@sales.example";
    std::transform(owner.email.begin(), owner.email.end(), owner.email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    owner.user_id = static_cast<long long>(1'000'000 + rng.below(9'000'000));
    owner.created_ms = owner.updated_ms = now - span;
    portal.owners.push_back(owner);
  }
  std::vector<std::string> owner_ids;
  for (const auto& owner : portal.owners)
    if (!owner.archived) owner_ids.push_back(owner.id);
  for (int i = 0; i < spec.contacts; ++i) {
    Contact c;
    c.id = portal.next_contact_id++;
    c.created_ms = now - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span)));
    c.updated_ms = c.created_ms +
                   static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(now - c.created_ms + 1)));
    const std::string first = kFirstNames[rng.below(std::size(kFirstNames))];
    const std::string last = kLastNames[rng.below(std::size(kLastNames))];
    c.set("firstname", first);
    c.set("lastname", last);
    std::string email = first + "." + last + "." + std::to_string(c.id) + "@example.com";
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    c.set("email", email);
    // Phones in the formats CRMs really hold; some contacts have none.
    const std::string digits =
        std::to_string(2'000'000'000LL + static_cast<long long>(rng.below(7'000'000'000ULL)));
    switch (rng.below(5)) {
      case 0:
        c.set("phone", "+1" + digits);
        break;
      case 1:
        c.set("phone", "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6));
        break;
      case 2:
        c.set("phone", digits.substr(0, 3) + "." + digits.substr(3, 3) + "." + digits.substr(6));
        break;
      case 3:
        c.set("mobilephone", "+1 " + digits);
        break;
      default:
        break;
    }
    c.set("lifecyclestage", kStages[rng.below(std::size(kStages))]);
    c.set("hs_lead_status", kLeadStatuses[rng.below(std::size(kLeadStatuses))]);
    if (!owner_ids.empty()) c.set("hubspot_owner_id", owner_ids[rng.below(owner_ids.size())]);
    if (rng.below(3) == 0) c.set("notes_last_updated", format_iso8601(from_epoch_ms(c.updated_ms)));
    portal.index(c);
    portal.contacts.emplace(c.id, std::move(c));
  }
  return json{{"contacts", spec.contacts}, {"owners", spec.owners}};
}

http::Response HubSpotSim::handle_control(const http::Request& request,
                                          const std::vector<std::string>& segments) {
  std::lock_guard lock(mutex_);
  const std::string& method = request.method;
  if (segments.empty() || segments[0] != "portals")
    return control_error(404, "not_found", "no such control endpoint");
  if (segments.size() == 1) {
    if (method == "GET") {
      json list = json::array();
      for (const auto& [id, portal] : portals_) list.push_back(portal->summary());
      return json_response(200, list);
    }
    if (method != "POST") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto created = create_portal_locked(*body);
    if (!created) return control_error(created.error());
    return json_response(201, *created);
  }
  const auto portal_id = parse_integer(segments[1]);
  Portal* portal = portal_id ? find_portal(*portal_id) : nullptr;
  if (!portal) return control_error(404, "not_found", "no portal " + segments[1]);
  if (segments.size() == 2 && method == "DELETE") {
    for (const auto& t : portal->private_tokens) token_portal_.erase(t);
    for (const auto& [t, expiry] : portal->access_tokens) token_portal_.erase(t);
    for (const auto& [t, grant] : portal->refresh_tokens) refresh_portal_.erase(t);
    portals_.erase(*portal_id);
    return json_response(200, {{"deleted", *portal_id}});
  }
  return control_portal(request, *portal, std::vector<std::string>(segments.begin() + 2, segments.end()));
}

http::Response HubSpotSim::control_portal(const http::Request& request, Portal& portal,
                                          const std::vector<std::string>& rest) {
  const std::string& method = request.method;
  const std::size_t n = rest.size();
  const auto body = parse_json_body(request);
  auto need_object = [&]() -> std::optional<http::Response> {
    if (!body || !body->is_object())
      return control_error(400, "bad_request", "the body must be a JSON object");
    return std::nullopt;
  };

  if (n == 0) {
    if (method == "GET") return json_response(200, portal.summary());
    if (method != "PATCH") return method_not_allowed();
    if (auto bad = need_object()) return *bad;
    portal.time_zone = body->value("time_zone", portal.time_zone);
    portal.access_token_ttl_s = body->value("access_token_ttl_s", portal.access_token_ttl_s);
    portal.burst_max = body->value("burst_max", portal.burst_max);
    portal.daily_max = body->value("daily_max", portal.daily_max);
    portal.search_per_second = body->value("search_per_second", portal.search_per_second);
    if (body->value("reset_usage", false)) {
      portal.daily_used = 0;
      portal.burst_window.clear();
      portal.search_window.clear();
    }
    return json_response(200, portal.summary());
  }

  if (rest[0] == "tokens") {
    if (n == 1 && method == "POST") {
      if (auto bad = need_object()) return *bad;
      const std::string token = body->value("token", std::string());
      if (token.empty()) return control_error(400, "bad_request", "token is required");
      if (token_portal_.count(token)) return control_error(409, "conflict", "the token is already in use");
      portal.private_tokens.push_back(token);
      token_portal_[token] = portal.id;
      return json_response(201, portal.summary());
    }
    if (n == 2 && method == "DELETE") {
      const auto it = token_portal_.find(rest[1]);
      if (it == token_portal_.end() || it->second != portal.id)
        return control_error(404, "not_found", "no such token");
      token_portal_.erase(it);
      std::erase(portal.private_tokens, rest[1]);
      portal.access_tokens.erase(rest[1]);
      return json_response(200, {{"revoked", rest[1]}});
    }
    return method_not_allowed();
  }

  if (rest[0] == "refresh_tokens") {
    if (n == 1 && method == "POST") {
      if (auto bad = need_object()) return *bad;
      const std::string token = body->value("refresh_token", std::string());
      if (token.empty()) return control_error(400, "bad_request", "refresh_token is required");
      if (refresh_portal_.count(token))
        return control_error(409, "conflict", "the refresh token is already in use");
      portal.refresh_tokens[token] = {body->value("client_id", std::string()),
                                      body->value("client_secret", std::string())};
      refresh_portal_[token] = portal.id;
      return json_response(201, portal.summary());
    }
    if (n == 2 && method == "DELETE") {
      if (!portal.refresh_tokens.erase(rest[1]))
        return control_error(404, "not_found", "no such refresh token");
      refresh_portal_.erase(rest[1]);
      return json_response(200, {{"revoked", rest[1]}});
    }
    return method_not_allowed();
  }

  if (rest[0] == "access_tokens") {
    // POST mints a token directly; POST .../expire ends every access token of the portal now.
    if (n == 1 && method == "POST") {
      const json spec = body && body->is_object() ? *body : json::object();
      const std::string token = spec.value("access_token", "sim-at-" + ids_.hex(32));
      if (token_portal_.count(token)) return control_error(409, "conflict", "the token is already in use");
      const int ttl = spec.value("expires_in", portal.access_token_ttl_s);
      portal.access_tokens[token] = now_ms() + ttl * 1000LL;
      token_portal_[token] = portal.id;
      return json_response(201, {{"access_token", token}, {"expires_in", ttl}});
    }
    if (n == 2 && rest[1] == "expire" && method == "POST") {
      const std::int64_t now = now_ms();
      for (auto& [token, expiry] : portal.access_tokens) expiry = std::min(expiry, now);
      return json_response(200, {{"expired", portal.access_tokens.size()}});
    }
    return method_not_allowed();
  }

  if (rest[0] == "owners") {
    if (n == 1) {
      if (method == "GET") {
        json list = json::array();
        for (const auto& owner : portal.owners) list.push_back(hubspot::owner_json(owner));
        return json_response(200, list);
      }
      if (method != "POST") return method_not_allowed();
      if (!body) return control_error(400, "bad_request", "the body must be JSON");
      const json items = body->is_array() ? *body : json::array({*body});
      json created = json::array();
      for (const auto& item : items) {
        if (!item.is_object()) return control_error(400, "bad_request", "an owner is a JSON object");
        Owner owner;
        owner.id = item.contains("id")
                       ? (item["id"].is_string() ? item["id"].get<std::string>() : item["id"].dump())
                       : std::to_string(10'000'000 + ids_.below(90'000'000));
        if (std::any_of(portal.owners.begin(), portal.owners.end(),
                        [&](const Owner& o) { return o.id == owner.id; }))
          return control_error(409, "conflict", "owner " + owner.id + " exists");
        owner.email = item.value("email", "owner" + owner.id + "@sales.example");
        owner.first_name = item.value("firstName", std::string("Owner"));
        owner.last_name = item.value("lastName", owner.id);
        owner.user_id = item.value("userId", 1'000'000LL + static_cast<long long>(ids_.below(9'000'000)));
        owner.archived = item.value("archived", false);
        owner.created_ms = owner.updated_ms = now_ms();
        portal.owners.push_back(owner);
        created.push_back(hubspot::owner_json(owner));
      }
      return json_response(201, body->is_array() ? created : created[0]);
    }
    const auto it = std::find_if(portal.owners.begin(), portal.owners.end(),
                                 [&](const Owner& o) { return o.id == rest[1]; });
    if (n != 2 || it == portal.owners.end()) return control_error(404, "not_found", "no owner " + rest[1]);
    if (method == "DELETE") {
      it->archived = true;  // HubSpot archives owners; old contacts keep pointing at them
      it->updated_ms = now_ms();
      return json_response(200, hubspot::owner_json(*it));
    }
    if (method != "PATCH") return method_not_allowed();
    if (auto bad = need_object()) return *bad;
    it->email = body->value("email", it->email);
    it->first_name = body->value("firstName", it->first_name);
    it->last_name = body->value("lastName", it->last_name);
    it->archived = body->value("archived", it->archived);
    it->updated_ms = now_ms();
    return json_response(200, hubspot::owner_json(*it));
  }

  if (rest[0] != "contacts") return control_error(404, "not_found", "no such control endpoint");
  if (n == 1) {
    if (method == "GET") {
      json list = json::array();
      for (const auto& [id, contact] : portal.contacts) {
        std::vector<std::string> names = hubspot::default_search_properties();
        for (const auto& [name, value] : contact.properties) names.push_back(name);
        list.push_back(hubspot::contact_json(contact, names));
      }
      return json_response(200, list);
    }
    if (method == "DELETE") {  // purge: gone from lists, search and the archive
      portal.contacts.clear();
      portal.by_modified.clear();
      return json_response(200, {{"deleted", "all"}});
    }
    if (method != "POST") return method_not_allowed();
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    if (!body->is_array()) {
      auto added = add_contact(portal, *body);
      if (!added) return control_error(added.error());
      return json_response(201, *added);
    }
    json created = json::array();
    for (const auto& item : *body) {
      auto added = add_contact(portal, item);
      if (!added) return control_error(added.error());
      created.push_back(*added);
    }
    return json_response(201, created);
  }
  if (n == 2 && rest[1] == "generate") {
    if (method != "POST") return method_not_allowed();
    if (auto bad = need_object()) return *bad;
    HubSpotGenerateSpec spec;
    spec.contacts = body->value("contacts", 0);
    spec.owners = body->value("owners", 0);
    spec.days = body->value("days", 30);
    spec.seed = body->value("seed", std::uint64_t{1});
    if (spec.contacts > 2'000'000 || spec.owners > 10'000)
      return control_error(400, "bad_request", "at most 2,000,000 contacts and 10,000 owners per call");
    auto generated = generate_locked(portal, spec);
    if (!generated) return control_error(generated.error());
    return json_response(201, *generated);
  }
  const auto id = parse_integer(rest[1]);
  auto it = id ? portal.contacts.find(*id) : portal.contacts.end();
  if (n != 2 || it == portal.contacts.end()) return control_error(404, "not_found", "no contact " + rest[1]);
  if (method == "GET") {
    std::vector<std::string> names = hubspot::default_search_properties();
    for (const auto& [name, value] : it->second.properties) names.push_back(name);
    return json_response(200, hubspot::contact_json(it->second, names));
  }
  if (method == "DELETE") {
    if (query_value(request, "purge").value_or("") == "true") {
      portal.unindex(it->second);
      portal.contacts.erase(it);
      return json_response(200, {{"purged", rest[1]}});
    }
    // As in HubSpot, a deleted contact is archived: listed only with archived=true, never searched.
    it->second.archived = true;
    it->second.archived_ms = now_ms();
    return json_response(200, {{"archived", rest[1]}});
  }
  if (method != "PATCH") return method_not_allowed();
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (auto patched = patch_contact(portal, *id, *body); !patched) return control_error(patched.error());
  std::vector<std::string> names = hubspot::default_search_properties();
  for (const auto& [name, value] : it->second.properties) names.push_back(name);
  return json_response(200, hubspot::contact_json(it->second, names));
}

}  // namespace tenantsync::sim
