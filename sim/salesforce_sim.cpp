#include "salesforce_sim.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/time_format.hpp"
#include "salesforce_records.hpp"
#include "salesforce_soql.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim {

using nlohmann::json;
using salesforce::Record;
using salesforce::User;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr long long kDefaultBatch = 2000;
constexpr long long kMinBatch = 200;
constexpr std::int64_t kCursorIdleMs = 15 * 60 * 1000;  // Salesforce drops a cursor idle for 15 minutes
constexpr std::size_t kMaxCursorsPerOrg = 50;
constexpr double kMinVersion = 20.0;
constexpr double kMaxVersion = 67.0;

struct RefreshGrant {
  std::string client_id;  ///< empty: any client may use it
  std::string client_secret;
};

std::string base62(std::uint64_t value, std::size_t width) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out(width, '0');
  for (std::size_t i = width; i-- > 0 && value > 0; value /= 62) out[i] = kDigits[value % 62];
  return out;
}

/// Salesforce's error body: a JSON array of {message, errorCode}.
http::Response sf_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, json::array({{{"message", message}, {"errorCode", code}}}));
}

http::Response ordered_response(int status, const nlohmann::ordered_json& body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json;charset=UTF-8";
  response.body = body.dump();
  return response;
}

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

std::string instance_url(const http::Request& request) {
  const std::string host = header_value(request, "host");
  return "http://" + (host.empty() ? std::string("localhost") : host);
}

/// "v58.0" → "58.0" when it is a version the simulator serves.
std::optional<std::string> parse_version(const std::string& segment) {
  if (segment.size() < 4 || segment[0] != 'v' || segment.find('.') == std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(segment.c_str() + 1, &end);
  if (end != segment.c_str() + segment.size() || value < kMinVersion || value > kMaxVersion)
    return std::nullopt;
  return segment.substr(1);
}

std::optional<std::int64_t> time_field(const json& input, const char* name, bool& bad) {
  if (!input.contains(name)) return std::nullopt;
  const json& v = input[name];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string())
    if (const auto t = parse_iso8601(v.get<std::string>())) return to_epoch_ms(*t);
  bad = true;
  return std::nullopt;
}

/// Sets the string fields of `record` present in `input` (null clears them).
Status apply_fields(Record& record, const json& input) {
  struct Slot {
    const char* name;
    std::optional<std::string> Record::*member;
  };
  const Slot slots[] = {{"FirstName", &Record::first_name},
                        {"LastName", &Record::last_name},
                        {"Email", &Record::email},
                        {"Phone", &Record::phone},
                        {"MobilePhone", &Record::mobile_phone},
                        {"OwnerId", &Record::owner_id},
                        {"Status", &Record::status},
                        {"Description", &Record::description},
                        {"LastActivityDate", &Record::last_activity_date}};
  for (const auto& slot : slots) {
    if (!input.contains(slot.name)) continue;
    const json& v = input[slot.name];
    if (v.is_null()) {
      record.*slot.member = std::nullopt;
    } else if (v.is_string()) {
      record.*slot.member = v.get<std::string>();
    } else {
      return make_error("bad_request", std::string(slot.name) + " must be a string or null");
    }
  }
  if (!record.is_lead && input.contains("Status"))
    return make_error("bad_request", "Contacts have no Status");
  if (record.last_activity_date &&
      (record.last_activity_date->size() != 10 || !parse_iso8601(*record.last_activity_date)))
    return make_error("bad_request", "LastActivityDate is a date (YYYY-MM-DD)");
  if (input.contains("IsDeleted")) {
    if (!input["IsDeleted"].is_boolean()) return make_error("bad_request", "IsDeleted must be a boolean");
    record.is_deleted = input["IsDeleted"].get<bool>();
  }
  return {};
}

const char* const kFirstNames[] = {"Ada",     "Grace", "Alan",     "Edsger", "Barbara", "Donald",
                                   "Frances", "Ken",   "Margaret", "Dennis", "Radia",   "Linus"};
const char* const kLastNames[] = {"Lovelace", "Hopper",   "Turing",   "Dijkstra", "Liskov",  "Knuth",
                                  "Allen",    "Thompson", "Hamilton", "Ritchie",  "Perlman", "Torvalds"};
const char* const kLeadStatuses[] = {"Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                                     "Closed - Not Converted"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

struct SalesforceSim::Cursor {
  std::string locator;
  bool leads = true;
  std::vector<std::string> fields;
  std::vector<std::string> ids;  ///< the result, fixed when the query ran
  long long batch = kDefaultBatch;
  std::int64_t last_used_ms = 0;
};

struct SalesforceSim::Org {
  std::string id;
  long long number = 0;  ///< mixed into record ids so they are unique across orgs
  std::string name;
  std::string api_user_id;                            ///< the user the tokens belong to
  std::map<std::string, std::int64_t> access_tokens;  ///< token → expires at (ms)
  std::map<std::string, RefreshGrant> refresh_tokens;
  int access_token_ttl_s = 7200;
  long long api_limit = 100'000;
  long long api_usage = 0;
  salesforce::Users users;
  std::map<std::string, Record> leads;
  std::map<std::string, Record> contacts;
  std::map<std::string, Cursor> cursors;
  std::uint64_t next_record = 1;
  std::uint64_t next_cursor = 1;
  std::uint64_t generate_calls = 0;

  std::map<std::string, Record>& records(bool lead) { return lead ? leads : contacts; }

  json summary() const {
    auto count = [](const std::map<std::string, Record>& records, bool deleted) {
      return std::count_if(records.begin(), records.end(),
                           [&](const auto& entry) { return entry.second.is_deleted == deleted; });
    };
    json refresh = json::array();
    for (const auto& [token, grant] : refresh_tokens) refresh.push_back(token);
    return {{"org_id", id},
            {"name", name},
            {"user_id", api_user_id},
            {"access_tokens", access_tokens.size()},
            {"refresh_tokens", refresh},
            {"access_token_ttl_s", access_token_ttl_s},
            {"api_limit", api_limit},
            {"api_usage", api_usage},
            {"open_cursors", cursors.size()},
            {"counts",
             {{"leads", count(leads, false)},
              {"deleted_leads", count(leads, true)},
              {"contacts", count(contacts, false)},
              {"deleted_contacts", count(contacts, true)},
              {"users", users.size()}}}};
  }
};

SalesforceSim::SalesforceSim(const Clock& clock) : clock_(clock) {}
SalesforceSim::~SalesforceSim() = default;

std::int64_t SalesforceSim::now_ms() const { return to_epoch_ms(clock_.now()); }

void SalesforceSim::reset() {
  std::lock_guard lock(mutex_);
  orgs_.clear();
  token_org_.clear();
  refresh_org_.clear();
  ids_ = IdGen{};
  next_org_ = 1;
}

SalesforceSim::Org* SalesforceSim::find_org(const std::string& id) {
  const auto it = orgs_.find(id);
  return it == orgs_.end() ? nullptr : it->second.get();
}

std::string SalesforceSim::new_id(Org& org, const char* prefix) {
  return salesforce::id18(std::string(prefix) + base62(static_cast<std::uint64_t>(org.number), 2) +
                          base62(org.next_record++, 10));
}

SalesforceToken SalesforceSim::mint_locked(Org& org, int ttl_s) {
  // Real access tokens start with the 15-character org id and a '!'.
  SalesforceToken token{org.id.substr(0, 15) + "!AQ" + ids_.hex(40), now_ms() + ttl_s * 1000LL, org.id,
                        org.api_user_id};
  org.access_tokens[token.access_token] = token.expires_at_ms;
  token_org_[token.access_token] = org.id;
  return token;
}

Result<SalesforceToken> SalesforceSim::mint_access_token(const std::string& org_id,
                                                         std::optional<int> ttl_s) {
  std::lock_guard lock(mutex_);
  Org* org = find_org(org_id);
  if (!org) return make_error("not_found", "no Salesforce org " + org_id);
  return mint_locked(*org, ttl_s.value_or(org->access_token_ttl_s));
}

bool SalesforceSim::access_token_valid(const std::string& token) {
  std::lock_guard lock(mutex_);
  const auto owner = token_org_.find(token);
  if (owner == token_org_.end()) return false;
  const Org& org = *orgs_.at(owner->second);
  const auto expiry = org.access_tokens.find(token);
  return expiry != org.access_tokens.end() && expiry->second > now_ms();
}

std::optional<int> SalesforceSim::page_of(const http::Request& request) {
  const auto seg = split_path(request.path);
  if (seg.size() < 4 || seg[0] != "services" || seg[1] != "data" ||
      (seg[3] != "query" && seg[3] != "queryAll"))
    return std::nullopt;
  if (seg.size() == 4) return 1;
  const auto dash = seg[4].rfind('-');
  if (dash == std::string::npos) return std::nullopt;
  const auto offset = parse_integer(std::string_view(seg[4]).substr(dash + 1));
  if (!offset) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (const auto& [id, org] : orgs_) {
    const auto cursor = org->cursors.find(seg[4].substr(0, dash));
    if (cursor != org->cursors.end())
      return static_cast<int>(std::min<long long>(*offset / cursor->second.batch + 1, 1'000'000));
  }
  return std::nullopt;
}

std::optional<http::Response> SalesforceSim::handle_api(const http::Request& request) {
  const auto seg = split_path(request.path);
  const std::size_t n = seg.size();
  const bool identity = n == 3 && seg[0] == "id";
  if (!identity && (n < 2 || seg[0] != "services")) return std::nullopt;

  std::lock_guard lock(mutex_);
  if (n == 2 && seg[1] == "data") {
    if (request.method != "GET") return sf_error(405, "METHOD_NOT_ALLOWED", "HTTP Method not allowed");
    json versions = json::array();
    for (int v = 58; v <= static_cast<int>(kMaxVersion); ++v) {
      static const char* const kSeasons[] = {"Summer", "Winter", "Spring"};
      const int season_year = 23 + (v - 58 + 2) / 3;  // v58 is Summer '23, then three releases a year
      versions.push_back({{"label", std::string(kSeasons[(v - 58) % 3]) + " '" + std::to_string(season_year)},
                          {"url", "/services/data/v" + std::to_string(v) + ".0"},
                          {"version", std::to_string(v) + ".0"}});
    }
    return json_response(200, versions);
  }
  if (n == 3 && seg[1] == "oauth2" && seg[2] == "token") {
    if (request.method != "POST") return sf_error(405, "METHOD_NOT_ALLOWED", "HTTP Method not allowed");
    return token_grant(request);
  }
  const bool userinfo = n == 3 && seg[1] == "oauth2" && seg[2] == "userinfo";
  std::optional<std::string> version;
  if (!identity && !userinfo) {
    if (n < 3 || seg[1] != "data") return std::nullopt;
    version = parse_version(seg[2]);
    if (!version) return sf_error(404, "NOT_FOUND", "The requested resource does not exist");
  }

  std::string token = bearer_token(request);
  if (token.empty()) {
    const std::string auth = header_value(request, "authorization");
    if (auth.rfind("OAuth ", 0) == 0) token = auth.substr(6);
  }
  const auto owner = token_org_.find(token);
  const std::int64_t now = now_ms();
  if (owner == token_org_.end()) return sf_error(401, "INVALID_SESSION_ID", "Session expired or invalid");
  Org& org = *orgs_.at(owner->second);
  if (const auto expiry = org.access_tokens.find(token);
      expiry == org.access_tokens.end() || expiry->second <= now)
    return sf_error(401, "INVALID_SESSION_ID", "Session expired or invalid");

  http::Response response;
  if (org.api_usage >= org.api_limit) {
    response = sf_error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
  } else if (request.method != "GET") {
    response = sf_error(405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + request.method + "' not allowed. Allowed are GET");
  } else {
    ++org.api_usage;
    const std::string base = instance_url(request);
    if (identity || userinfo) {
      const User& user = org.users.at(org.api_user_id);
      response = json_response(200, {{"sub", base + "/id/" + org.id + "/" + user.id},
                                     {"user_id", user.id},
                                     {"organization_id", org.id},
                                     {"preferred_username", user.email},
                                     {"name", user.name},
                                     {"email", user.email},
                                     {"zoneinfo", "America/Los_Angeles"},
                                     {"active", true},
                                     {"urls",
                                      {{"rest", base + "/services/data/v{version}/"},
                                       {"query", base + "/services/data/v{version}/query/"}}}});
    } else if (n == 3) {
      const std::string root = "/services/data/v" + *version;
      response = json_response(200, {{"sobjects", root + "/sobjects"},
                                     {"query", root + "/query"},
                                     {"queryAll", root + "/queryAll"},
                                     {"limits", root + "/limits"}});
    } else if (n == 4 && seg[3] == "limits") {
      response = json_response(
          200,
          {{"DailyApiRequests", {{"Max", org.api_limit}, {"Remaining", org.api_limit - org.api_usage}}}});
    } else if (n == 4 && (seg[3] == "query" || seg[3] == "queryAll")) {
      response = run_query(org, request, *version, seg[3] == "queryAll");
    } else if (n == 5 && (seg[3] == "query" || seg[3] == "queryAll")) {
      response = next_batch(org, request, *version, seg[4]);
    } else {
      response = sf_error(404, "NOT_FOUND", "The requested resource does not exist");
    }
  }
  response.headers.emplace_back("Sforce-Limit-Info", "api-usage=" + std::to_string(org.api_usage) + "/" +
                                                         std::to_string(org.api_limit));
  return response;
}

http::Response SalesforceSim::token_grant(const http::Request& request) {
  const auto form = http::parse_query(request.body);
  auto field = [&](const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  auto refuse = [](const std::string& error, const std::string& description) {
    return json_response(400, {{"error", error}, {"error_description", description}});
  };
  if (field("grant_type") != "refresh_token")
    return refuse("unsupported_grant_type", "grant type not supported");
  const std::string refresh = field("refresh_token");
  const auto owner = refresh_org_.find(refresh);
  if (refresh.empty() || owner == refresh_org_.end())
    return refuse("invalid_grant", "expired access/refresh token");
  Org& org = *orgs_.at(owner->second);
  const RefreshGrant& grant = org.refresh_tokens.at(refresh);
  if (!grant.client_id.empty() && field("client_id") != grant.client_id)
    return refuse("invalid_client_id", "client identifier invalid");
  if (!grant.client_secret.empty() && field("client_secret") != grant.client_secret)
    return refuse("invalid_client", "invalid client credentials");
  const SalesforceToken token = mint_locked(org, org.access_token_ttl_s);
  const std::string base = instance_url(request);
  return json_response(200, {{"access_token", token.access_token},
                             {"signature", ids_.hex(43)},
                             {"scope", "refresh_token api"},
                             {"instance_url", base},
                             {"id", base + "/id/" + org.id + "/" + org.api_user_id},
                             {"token_type", "Bearer"},
                             {"issued_at", std::to_string(now_ms())}});
}

http::Response SalesforceSim::run_query(Org& org, const http::Request& request, const std::string& version,
                                        bool all) {
  const auto text = query_value(request, "q");
  if (!text || text->empty()) return sf_error(400, "MALFORMED_QUERY", "A query string has to be specified");
  auto query = salesforce::parse_soql(*text);
  if (!query) return sf_error(400, query.error().code, query.error().message);

  if (query->object == "Organization") {
    nlohmann::ordered_json record;
    record["attributes"] = {{"type", "Organization"},
                            {"url", "/services/data/v" + version + "/sobjects/Organization/" + org.id}};
    // Every simulated org keeps its clock in UTC, as the simulator does.
    for (const auto& field : query->fields)
      record[field] = field == "Id" ? org.id : field == "TimeZoneSidKey" ? std::string("GMT") : org.name;
    nlohmann::ordered_json records = nlohmann::ordered_json::array();
    if (query->limit.value_or(1) > 0) records.push_back(record);
    return ordered_response(200, {{"totalSize", records.size()}, {"done", true}, {"records", records}});
  }

  const bool leads = query->object == "Lead";
  std::vector<const Record*> rows;
  for (const auto& [id, record] : org.records(leads))
    if ((all || !record.is_deleted) && salesforce::matches(record, *query, org.users))
      rows.push_back(&record);
  if (!query->order.empty())
    std::stable_sort(rows.begin(), rows.end(), [&](const Record* a, const Record* b) {
      return salesforce::ordered_before(*a, *b, *query, org.users);
    });
  if (query->limit && static_cast<long long>(rows.size()) > *query->limit)
    rows.resize(static_cast<std::size_t>(*query->limit));

  long long batch = kDefaultBatch;
  const std::string options = header_value(request, "sforce-query-options");
  if (const auto at = options.find("batchSize="); at != std::string::npos) {
    const std::string rest = options.substr(at + 10);
    const auto value = parse_integer(rest.substr(0, rest.find_first_of(", ;")));
    if (!value) return sf_error(400, "INVALID_HEADER_TYPE", "batchSize must be an integer");
    batch = std::clamp(*value, kMinBatch, kDefaultBatch);  // Salesforce treats the size as a hint
  }

  // Drop idle cursors, then the least recently used beyond the cap (Salesforce deletes the oldest).
  const std::int64_t now = now_ms();
  std::erase_if(org.cursors,
                [&](const auto& entry) { return entry.second.last_used_ms <= now - kCursorIdleMs; });
  while (org.cursors.size() >= kMaxCursorsPerOrg)
    org.cursors.erase(std::min_element(
        org.cursors.begin(), org.cursors.end(),
        [](const auto& a, const auto& b) { return a.second.last_used_ms < b.second.last_used_ms; }));
  Cursor cursor;
  cursor.locator = salesforce::id18("01g" + base62(static_cast<std::uint64_t>(org.number), 2) +
                                    base62(org.next_cursor++, 10));
  cursor.leads = leads;
  cursor.fields = query->fields;
  cursor.batch = batch;
  cursor.last_used_ms = now;
  cursor.ids.reserve(rows.size());
  for (const Record* row : rows) cursor.ids.push_back(row->id);
  if (static_cast<long long>(rows.size()) <= batch) return page_response(org, cursor, 0, batch, version);
  Cursor& stored = org.cursors[cursor.locator] = std::move(cursor);
  return page_response(org, stored, 0, batch, version);
}

http::Response SalesforceSim::next_batch(Org& org, const http::Request& request, const std::string& version,
                                         const std::string& locator) {
  const auto dash = locator.rfind('-');
  const auto offset = dash == std::string::npos ? std::nullopt : parse_integer(locator.substr(dash + 1));
  const auto it = offset ? org.cursors.find(locator.substr(0, dash)) : org.cursors.end();
  const std::int64_t now = now_ms();
  if (it == org.cursors.end() || it->second.last_used_ms <= now - kCursorIdleMs || *offset < 0 ||
      *offset > static_cast<long long>(it->second.ids.size())) {
    if (it != org.cursors.end() && it->second.last_used_ms <= now - kCursorIdleMs) org.cursors.erase(it);
    return sf_error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
  }
  it->second.last_used_ms = now;
  long long batch = it->second.batch;
  const std::string options = header_value(request, "sforce-query-options");
  if (const auto at = options.find("batchSize="); at != std::string::npos)
    if (const auto value = parse_integer(options.substr(at + 10, options.find_first_of(", ;", at) - at - 10)))
      batch = std::clamp(*value, kMinBatch, kDefaultBatch);
  return page_response(org, it->second, *offset, batch, version);
}

http::Response SalesforceSim::page_response(Org& org, Cursor& cursor, long long offset, long long batch,
                                            const std::string& version) {
  const auto& records = org.records(cursor.leads);
  const long long total = static_cast<long long>(cursor.ids.size());
  const long long end = std::min(total, offset + batch);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (long long i = offset; i < end; ++i) {
    // A record purged through the control API since the query ran is skipped.
    const auto it = records.find(cursor.ids[static_cast<std::size_t>(i)]);
    if (it != records.end())
      rows.push_back(salesforce::record_json(it->second, cursor.fields, org.users, version));
  }
  nlohmann::ordered_json body;
  body["totalSize"] = total;
  body["done"] = end >= total;
  if (end < total)
    body["nextRecordsUrl"] =
        "/services/data/v" + version + "/query/" + cursor.locator + "-" + std::to_string(end);
  body["records"] = std::move(rows);
  return ordered_response(200, body);
}

Result<json> SalesforceSim::create_org(const json& spec) {
  std::lock_guard lock(mutex_);
  return create_org_locked(spec);
}

Result<json> SalesforceSim::create_org_locked(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "an org is a JSON object");
  auto org = std::make_unique<Org>();
  org->number = next_org_++;
  org->id = spec.value("org_id", salesforce::id18("00D" + base62(static_cast<std::uint64_t>(org->number), 2) +
                                                  base62(static_cast<std::uint64_t>(org->number), 10)));
  if (org->id.size() != 18 || org->id.rfind("00D", 0) != 0)
    return make_error("bad_request", "org_id is 18 characters starting with 00D");
  if (orgs_.count(org->id)) return make_error("conflict", "org " + org->id + " exists");
  org->name = spec.value("name", "Simulated Org " + std::to_string(org->number));
  org->access_token_ttl_s = spec.value("access_token_ttl_s", org->access_token_ttl_s);
  org->api_limit = spec.value("api_limit", org->api_limit);
  org->api_usage = spec.value("api_usage", 0LL);
  if (org->access_token_ttl_s < 1 || org->api_limit < 0)
    return make_error("bad_request", "access_token_ttl_s must be positive and api_limit not negative");
  std::vector<std::pair<std::string, RefreshGrant>> grants;
  for (const auto& item : spec.value("refresh_tokens", json::array())) {
    const std::string token = item.is_string() ? item.get<std::string>() : item.value("refresh_token", "");
    if (token.empty()) return make_error("bad_request", "a refresh token needs refresh_token");
    if (refresh_org_.count(token)) return make_error("conflict", "refresh token " + token + " is in use");
    grants.push_back({token, item.is_object()
                                 ? RefreshGrant{item.value("client_id", ""), item.value("client_secret", "")}
                                 : RefreshGrant{}});
  }
  User api_user{new_id(*org, "005"), "Integration User", "integration@" + lower(org->id) + ".example"};
  org->api_user_id = api_user.id;
  org->users.emplace(api_user.id, api_user);
  for (auto& [token, grant] : grants) {
    refresh_org_[token] = org->id;
    org->refresh_tokens[token] = grant;
  }
  const json summary = org->summary();
  orgs_.emplace(org->id, std::move(org));
  return summary;
}

Result<json> SalesforceSim::generate(const std::string& org_id, const SalesforceGenerateSpec& spec) {
  std::lock_guard lock(mutex_);
  Org* org = find_org(org_id);
  if (!org) return make_error("not_found", "no Salesforce org " + org_id);
  return generate_locked(*org, spec);
}

Result<json> SalesforceSim::generate_locked(Org& org, const SalesforceGenerateSpec& spec) {
  if (spec.leads < 0 || spec.contacts < 0 || spec.owners < 0 || spec.days < 1)
    return make_error("bad_request", "counts must not be negative and days must be at least 1");
  IdGen rng(spec.seed ^ fnv1a(org.id) ^ (org.generate_calls++ * 0x9e3779b97f4a7c15ULL));
  const std::int64_t now = now_ms();
  const std::int64_t span = spec.days * kDayMs;
  for (int i = 0; i < spec.owners; ++i) {
    const std::string first = kFirstNames[rng.below(std::size(kFirstNames))];
    const std::string last = kLastNames[rng.below(std::size(kLastNames))];
    User user{new_id(org, "005"), first + " " + last,
              lower(first + "." + last + std::to_string(org.users.size() + 1) + "@sales.example")};
    org.users.emplace(user.id, user);
  }
  std::vector<std::string> owners;
  for (const auto& [id, user] : org.users)
    if (id != org.api_user_id || org.users.size() == 1) owners.push_back(id);
  auto make = [&](bool lead) {
    Record r;
    r.is_lead = lead;
    r.id = new_id(org, lead ? "00Q" : "003");
    r.created_ms = now - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span)));
    r.modstamp_ms = r.created_ms +
                    static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(now - r.created_ms + 1)));
    r.first_name = kFirstNames[rng.below(std::size(kFirstNames))];
    r.last_name = kLastNames[rng.below(std::size(kLastNames))];
    r.email = lower(*r.first_name + "." + *r.last_name + "." + r.id.substr(10, 5) + "@example.com");
    const std::string digits =
        std::to_string(2'000'000'000LL + static_cast<long long>(rng.below(7'000'000'000ULL)));
    switch (rng.below(5)) {  // phones in the formats CRMs really hold; some records have none
      case 0:
        r.phone = "+1" + digits;
        break;
      case 1:
        r.phone = "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6);
        break;
      case 2:
        r.phone = digits.substr(0, 3) + "-" + digits.substr(3, 3) + "-" + digits.substr(6);
        break;
      case 3:
        r.mobile_phone = "+1 " + digits;
        break;
      default:
        break;
    }
    if (lead) r.status = kLeadStatuses[rng.below(std::size(kLeadStatuses))];
    r.owner_id = owners[rng.below(owners.size())];
    if (rng.below(4) == 0) r.description = "Asked for a call back about pricing";
    if (rng.below(3) == 0) r.last_activity_date = format_iso8601(from_epoch_ms(r.modstamp_ms)).substr(0, 10);
    org.records(lead).emplace(r.id, r);
  };
  for (int i = 0; i < spec.leads; ++i) make(true);
  for (int i = 0; i < spec.contacts; ++i) make(false);
  return json{{"leads", spec.leads}, {"contacts", spec.contacts}, {"owners", spec.owners}};
}

Result<json> SalesforceSim::add_record(Org& org, bool lead, const json& input) {
  if (!input.is_object()) return make_error("bad_request", "a record is a JSON object");
  Record record;
  record.is_lead = lead;
  record.id = input.contains("Id") && input["Id"].is_string() ? input["Id"].get<std::string>()
                                                              : new_id(org, lead ? "00Q" : "003");
  if (org.records(lead).count(record.id)) return make_error("conflict", "record " + record.id + " exists");
  if (lead) record.status = "Open - Not Contacted";
  if (auto applied = apply_fields(record, input); !applied) return applied.error();
  if (!record.last_name) record.last_name = "Unknown";
  if (record.owner_id && !org.users.count(*record.owner_id))
    return make_error("bad_request", "OwnerId " + *record.owner_id + " is not a user of the org");
  if (!record.owner_id) record.owner_id = org.api_user_id;
  bool bad = false;
  const std::int64_t now = now_ms();
  record.created_ms = time_field(input, "CreatedDate", bad).value_or(now);
  record.modstamp_ms = time_field(input, "SystemModstamp", bad).value_or(std::max(now, record.created_ms));
  if (bad) return make_error("bad_request", "CreatedDate and SystemModstamp are ISO-8601 or epoch ms");
  auto [it, inserted] = org.records(lead).emplace(record.id, std::move(record));
  return salesforce::record_control_json(it->second, org.users);
}

Status SalesforceSim::patch_record(Org& org, bool lead, const std::string& id, const json& patch) {
  if (!patch.is_object()) return make_error("bad_request", "a patch is a JSON object");
  auto& records = org.records(lead);
  const auto it = records.find(id);
  if (it == records.end()) return make_error("not_found", "no record " + id);
  Record updated = it->second;
  if (auto applied = apply_fields(updated, patch); !applied) return applied;
  if (updated.owner_id && !org.users.count(*updated.owner_id))
    return make_error("bad_request", "OwnerId " + *updated.owner_id + " is not a user of the org");
  bool bad = false;
  updated.created_ms = time_field(patch, "CreatedDate", bad).value_or(updated.created_ms);
  updated.modstamp_ms = time_field(patch, "SystemModstamp", bad).value_or(now_ms());
  if (bad) return make_error("bad_request", "CreatedDate and SystemModstamp are ISO-8601 or epoch ms");
  it->second = std::move(updated);
  return {};
}

http::Response SalesforceSim::handle_control(const http::Request& request,
                                             const std::vector<std::string>& segments) {
  std::lock_guard lock(mutex_);
  if (segments.empty() || segments[0] != "orgs")
    return control_error(404, "not_found", "no such control endpoint");
  if (segments.size() == 1) {
    if (request.method == "GET") {
      json list = json::array();
      for (const auto& [id, org] : orgs_) list.push_back(org->summary());
      return json_response(200, list);
    }
    if (request.method != "POST") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto created = create_org_locked(*body);
    if (!created) return control_error(created.error());
    return json_response(201, *created);
  }
  Org* org = find_org(segments[1]);
  if (!org) return control_error(404, "not_found", "no org " + segments[1]);
  if (segments.size() == 2 && request.method == "DELETE") {
    for (const auto& [token, expiry] : org->access_tokens) token_org_.erase(token);
    for (const auto& [token, grant] : org->refresh_tokens) refresh_org_.erase(token);
    const std::string id = org->id;
    orgs_.erase(id);
    return json_response(200, {{"deleted", id}});
  }
  return control_org(request, *org, std::vector<std::string>(segments.begin() + 2, segments.end()));
}

http::Response SalesforceSim::control_org(const http::Request& request, Org& org,
                                          const std::vector<std::string>& rest) {
  const std::string& method = request.method;
  const std::size_t n = rest.size();
  const auto body = parse_json_body(request);
  const bool object_body = body && body->is_object();
  const auto not_object = [] { return control_error(400, "bad_request", "the body must be a JSON object"); };

  if (n == 0) {
    if (method == "GET") return json_response(200, org.summary());
    if (method != "PATCH") return method_not_allowed();
    if (!object_body) return not_object();
    org.name = body->value("name", org.name);
    org.access_token_ttl_s = body->value("access_token_ttl_s", org.access_token_ttl_s);
    org.api_limit = body->value("api_limit", org.api_limit);
    org.api_usage = body->value("api_usage", org.api_usage);
    if (body->value("reset_usage", false)) org.api_usage = 0;
    return json_response(200, org.summary());
  }

  if (rest[0] == "refresh_tokens") {
    if (n == 1 && method == "POST") {
      if (!object_body) return not_object();
      const std::string token = body->value("refresh_token", "");
      if (token.empty()) return control_error(400, "bad_request", "refresh_token is required");
      if (refresh_org_.count(token))
        return control_error(409, "conflict", "the refresh token is already in use");
      org.refresh_tokens[token] = {body->value("client_id", ""), body->value("client_secret", "")};
      refresh_org_[token] = org.id;
      return json_response(201, org.summary());
    }
    if (n == 2 && method == "DELETE") {
      if (!org.refresh_tokens.erase(rest[1])) return control_error(404, "not_found", "no such refresh token");
      refresh_org_.erase(rest[1]);
      return json_response(200, {{"revoked", rest[1]}});
    }
    return method_not_allowed();
  }

  if (rest[0] == "access_tokens") {
    if (n == 1 && method == "POST") {
      const json spec = object_body ? *body : json::object();
      const int ttl = spec.value("expires_in", org.access_token_ttl_s);
      SalesforceToken token = mint_locked(org, ttl);
      if (spec.contains("access_token")) {
        const std::string wanted = spec["access_token"].get<std::string>();
        org.access_tokens.erase(token.access_token);
        token_org_.erase(token.access_token);
        if (token_org_.count(wanted)) return control_error(409, "conflict", "the token is already in use");
        token.access_token = wanted;
        org.access_tokens[wanted] = token.expires_at_ms;
        token_org_[wanted] = org.id;
      }
      return json_response(201, {{"access_token", token.access_token},
                                 {"expires_in", ttl},
                                 {"instance_url", instance_url(request)}});
    }
    if (n == 2 && rest[1] == "expire" && method == "POST") {
      const std::int64_t now = now_ms();
      for (auto& [token, expiry] : org.access_tokens) expiry = std::min(expiry, now);
      return json_response(200, {{"expired", org.access_tokens.size()}});
    }
    return method_not_allowed();
  }

  if (rest[0] == "users") {
    if (n != 1) return control_error(404, "not_found", "no such control endpoint");
    if (method == "GET") {
      json list = json::array();
      for (const auto& [id, user] : org.users)
        list.push_back({{"Id", id}, {"Name", user.name}, {"Email", user.email}});
      return json_response(200, list);
    }
    if (method != "POST") return method_not_allowed();
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    const json items = body->is_array() ? *body : json::array({*body});
    json created = json::array();
    for (const auto& item : items) {
      if (!item.is_object()) return control_error(400, "bad_request", "a user is a JSON object");
      User user{item.value("Id", new_id(org, "005")), item.value("Name", std::string("Sales Rep")), ""};
      user.email = item.value("Email", lower(user.id) + "@sales.example");
      if (org.users.count(user.id)) return control_error(409, "conflict", "user " + user.id + " exists");
      org.users.emplace(user.id, user);
      created.push_back({{"Id", user.id}, {"Name", user.name}, {"Email", user.email}});
    }
    return json_response(201, body->is_array() ? created : created[0]);
  }

  if (rest[0] == "generate" && n == 1) {
    if (method != "POST") return method_not_allowed();
    if (!object_body) return not_object();
    SalesforceGenerateSpec spec;
    spec.leads = body->value("leads", 0);
    spec.contacts = body->value("contacts", 0);
    spec.owners = body->value("owners", 0);
    spec.days = body->value("days", 30);
    spec.seed = body->value("seed", std::uint64_t{1});
    if (spec.leads + static_cast<long long>(spec.contacts) > 2'000'000 || spec.owners > 10'000)
      return control_error(400, "bad_request", "at most 2,000,000 records and 10,000 owners per call");
    auto generated = generate_locked(org, spec);
    if (!generated) return control_error(generated.error());
    return json_response(201, *generated);
  }

  if (rest[0] == "leads" || rest[0] == "contacts")
    return control_records(request, org, rest[0] == "leads", rest);
  return control_error(404, "not_found", "no such control endpoint");
}

http::Response SalesforceSim::control_records(const http::Request& request, Org& org, bool leads,
                                              const std::vector<std::string>& rest) {
  const std::string& method = request.method;
  auto& records = org.records(leads);
  const auto body = parse_json_body(request);
  if (rest.size() == 1) {
    if (method == "GET") {
      json list = json::array();
      for (const auto& [id, record] : records)
        list.push_back(salesforce::record_control_json(record, org.users));
      return json_response(200, list);
    }
    if (method == "DELETE") {  // purge: gone even from queryAll
      records.clear();
      return json_response(200, {{"deleted", "all"}});
    }
    if (method != "POST") return method_not_allowed();
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    const json items = body->is_array() ? *body : json::array({*body});
    json created = json::array();
    for (const auto& item : items) {
      auto added = add_record(org, leads, item);
      if (!added) return control_error(added.error());
      created.push_back(*added);
    }
    return json_response(201, body->is_array() ? created : created[0]);
  }
  const auto it = records.find(rest[1]);
  if (rest.size() != 2 || it == records.end()) return control_error(404, "not_found", "no record " + rest[1]);
  if (method == "GET") return json_response(200, salesforce::record_control_json(it->second, org.users));
  if (method == "DELETE") {
    if (query_value(request, "purge").value_or("") == "true") {
      records.erase(it);
      return json_response(200, {{"purged", rest[1]}});
    }
    // As in Salesforce, a deleted record goes to the recycle bin: IsDeleted, seen only by queryAll.
    it->second.is_deleted = true;
    it->second.modstamp_ms = now_ms();
    return json_response(200, salesforce::record_control_json(it->second, org.users));
  }
  if (method != "PATCH") return method_not_allowed();
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (auto patched = patch_record(org, leads, rest[1], *body); !patched)
    return control_error(patched.error());
  return json_response(200, salesforce::record_control_json(it->second, org.users));
}

}  // namespace tenantsync::sim
