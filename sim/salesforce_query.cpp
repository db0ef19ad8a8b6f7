// Salesforce queries: SOQL through query and queryAll, results in batches behind cursors that
// expire when idle (nextRecordsUrl), as the REST API pages them.
#include <algorithm>

#include "salesforce_soql.hpp"
#include "salesforce_state.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::salesforce {

namespace {

constexpr long long kMinBatch = 200;
constexpr std::int64_t kCursorIdleMs = 15 * 60 * 1000;  // Salesforce drops a cursor idle for 15 minutes
constexpr std::size_t kMaxCursorsPerOrg = 50;

http::Response ordered_response(int status, const nlohmann::ordered_json& body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json;charset=UTF-8";
  response.body = body.dump();
  return response;
}

http::Response page_response(Org& org, Cursor& cursor, long long offset, long long batch,
                             const std::string& version) {
  const auto& records = org.records(cursor.leads);
  const long long total = static_cast<long long>(cursor.ids.size());
  const long long end = std::min(total, offset + batch);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (long long i = offset; i < end; ++i) {
    // A record purged through the control API since the query ran is skipped.
    const auto it = records.find(cursor.ids[static_cast<std::size_t>(i)]);
    if (it != records.end()) rows.push_back(record_json(it->second, cursor.fields, org.users, version));
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

http::Response run_query(State& state, Org& org, const http::Request& request, const std::string& version,
                         bool all) {
  const auto text = request.query_param("q");
  if (!text || text->empty())
    return error_response(400, "MALFORMED_QUERY", "A query string has to be specified");
  auto query = parse_soql(*text);
  if (!query) return error_response(400, query.error().code, query.error().message);

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
    if ((all || !record.is_deleted) && matches(record, *query, org.users)) rows.push_back(&record);
  if (!query->order.empty())
    std::stable_sort(rows.begin(), rows.end(), [&](const Record* a, const Record* b) {
      return ordered_before(*a, *b, *query, org.users);
    });
  if (query->limit && static_cast<long long>(rows.size()) > *query->limit)
    rows.resize(static_cast<std::size_t>(*query->limit));

  long long batch = kDefaultBatch;
  const std::string options(request.header("sforce-query-options"));
  if (const auto at = options.find("batchSize="); at != std::string::npos) {
    const std::string rest = options.substr(at + 10);
    const auto value = parse_integer(rest.substr(0, rest.find_first_of(", ;")));
    if (!value) return error_response(400, "INVALID_HEADER_TYPE", "batchSize must be an integer");
    batch = std::clamp(*value, kMinBatch, kDefaultBatch);  // Salesforce treats the size as a hint
  }

  // Drop idle cursors, then the least recently used beyond the cap (Salesforce deletes the oldest).
  const std::int64_t now = state.now_ms();
  std::erase_if(org.cursors,
                [&](const auto& entry) { return entry.second.last_used_ms <= now - kCursorIdleMs; });
  while (org.cursors.size() >= kMaxCursorsPerOrg)
    org.cursors.erase(std::min_element(
        org.cursors.begin(), org.cursors.end(),
        [](const auto& a, const auto& b) { return a.second.last_used_ms < b.second.last_used_ms; }));
  Cursor cursor;
  cursor.locator =
      id18("01g" + base62(static_cast<std::uint64_t>(org.number), 2) + base62(org.next_cursor++, 10));
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

// The next batch of an open cursor: {locator}-{offset}, as its nextRecordsUrl says.
}  // namespace

http::Response api_query(State& state, Call& call) {
  return run_query(state, *call.org, call.request, call.version, false);
}

http::Response api_query_all(State& state, Call& call) {
  return run_query(state, *call.org, call.request, call.version, true);
}

// The next batch of an open cursor: {locator}-{offset}, as its nextRecordsUrl says.
http::Response api_next_batch(State& state, Call& call) {
  Org& org = *call.org;
  const std::string& locator = call.param("locator");
  const auto dash = locator.rfind('-');
  const auto offset = dash == std::string::npos ? std::nullopt : parse_integer(locator.substr(dash + 1));
  const auto it = offset ? org.cursors.find(locator.substr(0, dash)) : org.cursors.end();
  const std::int64_t now = state.now_ms();
  if (it == org.cursors.end() || it->second.last_used_ms <= now - kCursorIdleMs || *offset < 0 ||
      *offset > static_cast<long long>(it->second.ids.size())) {
    if (it != org.cursors.end() && it->second.last_used_ms <= now - kCursorIdleMs) org.cursors.erase(it);
    return error_response(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
  }
  it->second.last_used_ms = now;
  long long batch = it->second.batch;
  const std::string options(call.request.header("sforce-query-options"));
  if (const auto at = options.find("batchSize="); at != std::string::npos)
    if (const auto value = parse_integer(options.substr(at + 10, options.find_first_of(", ;", at) - at - 10)))
      batch = std::clamp(*value, kMinBatch, kDefaultBatch);
  return page_response(org, it->second, *offset, batch, call.version);
}

}  // namespace tenantsync::sim::salesforce
