#include "upstream/crm/salesforce_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time_format.hpp"
#include "upstream/bounded_json.hpp"
#include "upstream/crm/contact_fields.hpp"
#include "upstream/paging_guard.hpp"

namespace tenantsync::upstream {
namespace {

using Json = nlohmann::json;

constexpr std::array<const char*, 2> kObjects = {"Lead", "Contact"};
constexpr const char* kQueryLocatorExpired = "INVALID_QUERY_LOCATOR";

Error malformed(std::string_view what, std::string_view detail) {
  return make_error(
      core::ErrorCode::upstream_malformed,
      fmt::format("Salesforce sent {} that could not be read ({}). Try again later.", what, detail));
}

std::string text_at(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t time_at(const Json& object, const char* key) {
  const std::string text = text_at(object, key);
  if (text.empty()) return 0;
  auto parsed = parse_iso8601(text);  // datetimes "…T10:00:00.000+0000"; dates "2024-05-01" are midnight UTC
  return parsed ? to_epoch_ms(*parsed) : 0;
}

// SOQL datetime literals are unquoted and have no fractional seconds; flooring only widens the
// (already overlapping) window.
std::string soql_datetime(std::int64_t ms) {
  std::string text = format_iso8601(from_epoch_ms(ms - ((ms % 1000) + 1000) % 1000));
  return text.substr(0, 19) + "Z";
}

// A property value as text: strings as they are, numbers and booleans as JSON; nulls and
// nested objects (other than the one level of Owner.*) are left out.
void flatten(const Json& record, const std::string& prefix, std::map<std::string, std::string>& out,
             int depth) {
  for (const auto& [key, value] : record.items()) {
    if (key == "attributes" || value.is_null()) continue;
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_string()) {
      out.emplace(name, value.get<std::string>());
    } else if (value.is_boolean() || value.is_number()) {
      out.emplace(name, value.dump());
    } else if (value.is_object() && depth == 0) {
      flatten(value, name, out, depth + 1);
    }
  }
}

CrmContact parse_record(const Json& record, const std::string& object) {
  CrmContact contact;
  contact.crm_id = text_at(record, "Id");
  PropertyMap properties;
  flatten(record, "", properties, 0);
  for (const auto& [name, value] : properties)
    contact.property_bytes += static_cast<std::int64_t>(name.size() + value.size());
  fill_text_fields(properties, CrmProvider::salesforce, contact.fields);
  contact.fields.stage = object == "Lead" ? "lead" : "contact";
  contact.fields.last_activity_at_ms = time_at(record, "LastActivityDate");
  contact.created_at_ms = time_at(record, "CreatedDate");
  contact.updated_at_ms = time_at(record, "SystemModstamp");
  if (auto deleted = record.find("IsDeleted"); deleted != record.end() && deleted->is_boolean())
    contact.archived = deleted->get<bool>();
  return contact;
}

// Salesforce errors are a JSON array [{message, errorCode, fields?}]; the first one is shown.
void read_error(const std::string& body, std::string& code, std::string& message) {
  const Json root = parse_bounded_json(body);
  const Json* first = nullptr;
  if (root.is_array() && !root.empty()) first = &root[0];
  if (root.is_object()) first = &root;  // a few endpoints (oauth2) answer an object
  if (!first) return;
  code = text_at(*first, "errorCode");
  message = text_at(*first, "message");
  if (code.empty()) code = text_at(*first, "error");
  if (message.empty()) message = text_at(*first, "error_description");
  if (message.size() > 1024) message.resize(1024);
}

// Checkpoints of list_contacts: "Lead|<nextRecordsUrl>", "Contact|<nextRecordsUrl>" or
// "Contact|" (Leads done, Contacts from the start).
struct ListPosition {
  std::size_t object = 0;
  std::string next_url;
};

bool valid_next_url(const std::string& url) { return url.rfind("/services/data/", 0) == 0; }

std::optional<ListPosition> parse_position(const std::string& after) {
  if (after.empty()) return ListPosition{};
  const auto bar = after.find('|');
  if (bar == std::string::npos) return std::nullopt;
  const std::string object = after.substr(0, bar);
  ListPosition position;
  position.next_url = after.substr(bar + 1);
  if (!position.next_url.empty() && !valid_next_url(position.next_url)) return std::nullopt;
  for (std::size_t i = 0; i < kObjects.size(); ++i)
    if (object == kObjects[i]) {
      position.object = i;
      return position;
    }
  return std::nullopt;
}

}  // namespace

struct SalesforceClient::QueryPage {
  std::vector<CrmContact> contacts;
  std::vector<std::string> warnings;
  std::string next_url;  // empty: the query is done
};

std::string salesforce_contact_fields(const std::string& object) {
  const std::string common =
      "Id, FirstName, LastName, Email, Phone, MobilePhone, OwnerId, Owner.Name, Owner.Email, Description, "
      "LastActivityDate, CreatedDate, SystemModstamp, IsDeleted";
  return object == "Lead" ? common + ", Status" : common;
}

bool parse_sforce_limit_info(const std::string& header, RateBudget& budget) {
  // "api-usage=" as its own item, not the tail of "per-app-api-usage=".
  std::size_t start = header.find("api-usage=");
  while (start != std::string::npos && start > 0 && header[start - 1] != ' ' && header[start - 1] != ';' &&
         header[start - 1] != ',')
    start = header.find("api-usage=", start + 1);
  if (start == std::string::npos) return false;
  const char* first = header.data() + start + 10;
  const char* end = header.data() + header.size();
  std::int64_t used = 0;
  std::int64_t limit = 0;
  auto [slash, ec] = std::from_chars(first, end, used);
  if (ec != std::errc() || slash == end || *slash != '/') return false;
  auto [rest, ec2] = std::from_chars(slash + 1, end, limit);
  // A negative count of calls used is no reading at all (from_chars takes a sign): it would leave
  // more remaining than the limit, and a large one overflows the subtraction.
  if (ec2 != std::errc() || limit <= 0 || used < 0) return false;
  budget.daily = limit;
  budget.daily_remaining = used >= limit ? 0 : limit - used;
  return true;
}

SalesforceClient::SalesforceClient(HttpClient& http, CredentialSource& credentials, const Clock& clock,
                                   SalesforceOptions options)
    : http_(http), clock_(clock), options_(std::move(options)), credentials_(credentials, clock) {}

RateBudget SalesforceClient::rate_budget() const { return rate_.budget(); }

RateLimitInfo SalesforceClient::last_rate_limit() const { return rate_.last_refusal(); }

std::string SalesforceClient::query_path(bool all, const std::string& soql) const {
  return fmt::format("/services/data/{}/{}?q={}", options_.api_version, all ? "queryAll" : "query",
                     url_encode(soql));
}

Result<std::string> SalesforceClient::call(const std::string& path, std::string* error_code) {
  for (bool refreshed = false;; refreshed = true) {
    auto creds = credentials_.get(refreshed);
    if (!creds.ok()) return creds.error();
    std::string instance = creds->instance_url.empty() ? options_.instance_url : creds->instance_url;
    if (instance.empty())
      return make_error(core::ErrorCode::needs_reauth,
                        "Reconnect your CRM: the Salesforce connection has no instance URL.");
    // The token goes only to a Salesforce host, however the URL reached us.
    auto checked = check_salesforce_instance_url(instance, "instance_url", options_.outbound);
    if (!checked.ok()) return checked.error();
    instance = std::move(checked).value();
    HttpRequest request;
    request.url = instance + path;
    request.headers = {{"Authorization", "Bearer " + creds->access_token}, {"Accept", "application/json"}};
    if (options_.batch_size > 0)
      request.headers.emplace_back("Sforce-Query-Options", fmt::format("batchSize={}", options_.batch_size));
    request.timeout = options_.request_timeout;
    auto response = http_.send(request);
    if (!response.ok()) return response.error();
    rate_.observe(response->status, [&](RateBudget& budget) {
      if (const std::string* limits = response->header("sforce-limit-info"))
        parse_sforce_limit_info(*limits, budget);
    });
    if (response->status >= 200 && response->status < 300) return std::move(response->body);

    std::string code;
    std::string message;
    read_error(response->body, code, message);
    if (error_code) *error_code = code;
    // An expired or revoked session: a refreshed token gets one more try.
    if (response->status == 401 && !refreshed) continue;
    const std::string said = message.empty() ? "" : ": " + message;
    const std::string where = path.substr(0, path.find('?'));
    if (response->status == 401)
      return make_error(core::ErrorCode::key_rejected,
                        fmt::format("Salesforce rejected the access token{} ({}). Reconnect "
                                    "Salesforce in Settings.",
                                    said, code.empty() ? "401" : code));
    if (response->status == 403 && code == "REQUEST_LIMIT_EXCEEDED") {
      // The org's 24-hour API allowance is a rolling window: requests free up as old ones age
      // out, so an hour is a fair first retry.
      const std::int64_t retry_at = to_epoch_ms(clock_.now()) + 3600'000;
      rate_.refused(RateLimitInfo{true, code, retry_at});
      return make_error(
          core::ErrorCode::rate_limited,
          fmt::format("Salesforce's API request limit for this org is used up{}. Try again after {}.", said,
                      format_iso8601(from_epoch_ms(retry_at))));
    }
    if (response->status == 404)
      return make_error(core::ErrorCode::upstream_not_found,
                        fmt::format("Salesforce has no {} (HTTP 404){}", where, said));
    return make_error(core::ErrorCode::upstream_error,
                      fmt::format("Salesforce answered {} for {}{}{}", response->status, where, said,
                                  code.empty() ? "" : " (" + code + ")"));
  }
}

// Runs one query from `first_path`, following nextRecordsUrl. An expired query locator (they
// last about 15 minutes) restarts the query once from `restart_path`; records read again are
// harmless to the sync, which upserts by Id.
Status SalesforceClient::run_query(const std::string& object, const std::string& first_path,
                                   const std::string& restart_path, const QueryPageHandler& on_page) {
  std::string path = first_path;
  bool restarted = false;
  std::vector<std::string> carried_warnings;
  PagingGuard paging("Salesforce " + object);
  paging.start(path);
  for (;;) {
    std::string error_code;
    auto body = call(path, &error_code);
    if (!body.ok()) {
      if (error_code == kQueryLocatorExpired && !restarted) {
        restarted = true;
        carried_warnings.push_back(
            fmt::format("the {} query had expired; it was read again from the start", object));
        path = restart_path;
        paging = PagingGuard("Salesforce " + object);
        paging.start(path);
        continue;
      }
      return body.error();
    }
    const Json root = parse_bounded_json(*body);
    if (root.is_discarded()) return malformed("a query result", "not JSON, or nested too deeply");
    if (!root.is_object() || !root.contains("records") || !root["records"].is_array())
      return malformed("a query result", "no 'records' list");
    QueryPage page;
    page.warnings = std::move(carried_warnings);
    carried_warnings.clear();
    std::size_t index = 0;
    for (const Json& record : root["records"]) {
      ++index;
      CrmContact contact = record.is_object() ? parse_record(record, object) : CrmContact{};
      if (contact.crm_id.empty()) {
        page.warnings.push_back(fmt::format("{} #{} has no Id; skipped", object, index));
        continue;
      }
      paging.saw(contact.crm_id);
      page.contacts.push_back(std::move(contact));
    }
    const bool done = !root.contains("done") || !root["done"].is_boolean() || root["done"].get<bool>();
    if (!done) {
      page.next_url = text_at(root, "nextRecordsUrl");
      if (!valid_next_url(page.next_url))
        return malformed("a query result", "done is false but nextRecordsUrl is unusable");
    }
    if (auto moving = paging.end_page(!done, page.next_url); !moving.ok()) return moving;
    const std::string next = page.next_url;
    if (auto status = on_page(std::move(page)); !status.ok()) return status;
    if (next.empty()) return {};
    path = next;
  }
}

Result<CrmAccount> SalesforceClient::get_account() {
  credentials_.forget();
  // SOQL rather than /services/oauth2/userinfo: it needs only the `api` scope, which every
  // connection has, and gives the org's time zone too.
  auto body = call(query_path(false, "SELECT Id, TimeZoneSidKey FROM Organization LIMIT 1"));
  if (!body.ok()) return body.error();
  const Json root = parse_bounded_json(*body);
  if (!root.is_object() || !root.contains("records") || !root["records"].is_array() ||
      root["records"].empty())
    return malformed("the organization", "no record");
  CrmAccount account;
  account.id = text_at(root["records"][0], "Id");
  account.time_zone = text_at(root["records"][0], "TimeZoneSidKey");
  if (account.id.empty()) return malformed("the organization", "no Id");
  return account;
}

Status SalesforceClient::list_contacts(bool archived, const std::string& after,
                                       const CrmPageCallback& on_page) {
  credentials_.forget();
  std::vector<std::string> warnings;
  auto position = parse_position(after);
  if (!position) {
    warnings.push_back("the saved Salesforce checkpoint was not understood; the listing started over");
    position = ListPosition{};
  }
  for (std::size_t i = position->object; i < kObjects.size(); ++i) {
    const std::string object = kObjects[i];
    const std::string soql = fmt::format("SELECT {} FROM {}{}", salesforce_contact_fields(object), object,
                                         archived ? " WHERE IsDeleted = true" : "");
    const std::string start = query_path(archived, soql);
    const std::string first =
        i == position->object && !position->next_url.empty() ? position->next_url : start;
    const bool last_object = i + 1 == kObjects.size();
    auto status = run_query(object, first, start, [&](QueryPage&& query_page) -> Status {
      CrmPage page;
      page.contacts = std::move(query_page.contacts);
      for (auto& contact : page.contacts) contact.archived = contact.archived || archived;
      page.warnings = std::move(warnings);
      warnings.clear();
      page.warnings.insert(page.warnings.end(), query_page.warnings.begin(), query_page.warnings.end());
      if (!query_page.next_url.empty())
        page.checkpoint.after = object + "|" + query_page.next_url;
      else if (!last_object)
        page.checkpoint.after = std::string(kObjects[i + 1]) + "|";
      return on_page(std::move(page));
    });
    if (!status.ok()) return status;
  }
  return {};
}

Status SalesforceClient::list_changed_contacts(std::int64_t modified_after_ms,
                                               const CrmPageCallback& on_page) {
  credentials_.forget();
  const std::int64_t since =
      std::max<std::int64_t>(0, modified_after_ms - options_.incremental_overlap.count());
  std::set<std::string> seen;
  // The checkpoint may pass a change only when both objects are read up to it: during the Lead
  // pass it stays put; during the Contact pass it is the older of the two newest stamps read.
  std::int64_t checkpoint = modified_after_ms;
  std::int64_t lead_newest = -1;
  for (const std::string object : kObjects) {
    std::int64_t newest = -1;
    const std::string soql =
        fmt::format("SELECT {} FROM {} WHERE SystemModstamp > {} ORDER BY SystemModstamp, Id",
                    salesforce_contact_fields(object), object, soql_datetime(since));
    const std::string start = query_path(true, soql);
    const bool contacts_pass = object == "Contact";
    auto status = run_query(object, start, start, [&](QueryPage&& query_page) -> Status {
      CrmPage page;
      page.warnings = std::move(query_page.warnings);
      for (auto& contact : query_page.contacts) {
        newest = std::max(newest, contact.updated_at_ms);
        if (seen.insert(contact.crm_id).second) page.contacts.push_back(std::move(contact));
      }
      if (contacts_pass) {
        if (query_page.next_url.empty())
          checkpoint = std::max({checkpoint, lead_newest, newest});
        else if (newest >= 0)
          checkpoint = std::max(checkpoint, lead_newest < 0 ? newest : std::min(lead_newest, newest));
      }
      page.checkpoint.modified_after_ms = checkpoint;
      return on_page(std::move(page));
    });
    if (!status.ok()) return status;
    if (!contacts_pass) lead_newest = newest;
  }
  return {};
}

Result<std::vector<CrmOwner>> SalesforceClient::list_owners() { return std::vector<CrmOwner>{}; }

}  // namespace tenantsync::upstream
