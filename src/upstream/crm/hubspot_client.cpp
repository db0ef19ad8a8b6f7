#include "upstream/crm/hubspot_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time_format.hpp"

namespace tenantsync::upstream {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxPropertyBytes = 64 * 1024;

std::string with_period(std::string text) {
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text.push_back('.');
  return text;
}

Error malformed(std::string_view what, std::string_view detail) {
  return make_error(
      kErrMalformed,
      fmt::format("HubSpot sent {} that could not be read ({}). Try again later.", what, detail));
}

Error status_error(int status, const std::string& body, const std::string& path) {
  const Json parsed = Json::parse(body, nullptr, false);
  std::string said;
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string())
    said = parsed["message"].get<std::string>().substr(0, 1024);
  const std::string detail = said.empty() ? "." : ": " + with_period(said);
  if (status == 401 || status == 403)
    return make_error(
        kErrKeyRejected,
        fmt::format("HubSpot rejected the access token{} Reconnect HubSpot in Settings.", detail));
  if (status == 404)
    return make_error(kErrNotFound, fmt::format("HubSpot has no {} (HTTP 404){}", path, detail));
  if (status == 429)
    return make_error(kErrRateLimited, fmt::format("HubSpot is rate-limiting this account (HTTP 429){} "
                                                   "Try again in a few minutes.",
                                                   detail));
  if (status >= 500)
    return make_error(kErrUpstream, fmt::format("HubSpot answered {} for {}{} This is on HubSpot's side; try "
                                                "again later.",
                                                status, path, detail));
  return make_error(kErrUpstream, fmt::format("HubSpot answered {} for {}{}", status, path, detail));
}

std::int64_t read_header_int(const HttpResponse& response, const char* name, std::int64_t fallback) {
  const std::string* value = response.header(name);
  if (!value) return fallback;
  std::int64_t number = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  return ec == std::errc() && ptr == value->data() + value->size() ? number : fallback;
}

// HubSpot times are ISO-8601 strings, or epoch milliseconds as digits in some properties.
std::int64_t read_time(const Json& value) {
  if (!value.is_string()) return 0;
  const auto& text = value.get_ref<const std::string&>();
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t ms = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    return ec == std::errc() ? ms : 0;
  }
  if (auto parsed = parse_iso8601(text)) return to_epoch_ms(*parsed);
  return 0;
}

std::string string_field(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return {};
}

// Numeric ids compare by value: a longer digit string is larger.
bool id_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

struct ParsedPage {
  std::vector<CrmContact> contacts;
  std::vector<std::string> warnings;
  std::string next_after;
};

std::string property(const CrmContact& contact, const std::string& name) {
  if (name.empty()) return {};
  auto it = contact.properties.find(name);
  return it == contact.properties.end() ? std::string() : it->second;
}

void fill_fields(CrmContact& contact, const std::string& notes_property) {
  ContactFields& fields = contact.fields;
  fields.first_name = property(contact, "firstname");
  fields.last_name = property(contact, "lastname");
  fields.email = property(contact, "email");
  fields.phone = property(contact, "phone");
  fields.mobile_phone = property(contact, "mobilephone");
  fields.owner_id = property(contact, "hubspot_owner_id");
  fields.status = property(contact, "hs_lead_status");
  fields.stage = property(contact, "lifecyclestage");
  fields.description = property(contact, notes_property);
  fields.last_activity_at_ms = read_time(Json(property(contact, "notes_last_updated")));
}

Result<ParsedPage> parse_contact_page(const std::string& body, const std::string& notes_property) {
  const Json root = Json::parse(body, nullptr, false);
  if (root.is_discarded()) return malformed("a page of contacts", "invalid JSON");
  if (!root.is_object() || !root.contains("results") || !root["results"].is_array())
    return malformed("a page of contacts", "no 'results' list");
  ParsedPage page;
  std::size_t index = 0;
  for (const Json& row : root["results"]) {
    ++index;
    const std::string id = row.is_object() ? string_field(row, "id") : std::string();
    if (id.empty()) {
      page.warnings.push_back(fmt::format("contact #{} has no id; skipped", index));
      continue;
    }
    CrmContact contact;
    contact.crm_id = id;
    if (auto props = row.find("properties"); props != row.end() && props->is_object()) {
      for (const auto& [name, value] : props->items()) {
        if (value.is_null()) continue;
        if (!value.is_string()) {
          page.warnings.push_back(
              fmt::format("contact {}: property '{}' is not a string; left out", id, name));
          continue;
        }
        std::string text = value.get<std::string>();
        if (text.size() > kMaxPropertyBytes) {
          page.warnings.push_back(
              fmt::format("contact {}: property '{}' was cut to {} bytes", id, name, kMaxPropertyBytes));
          std::size_t cut = kMaxPropertyBytes;
          while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
          text.resize(cut);
        }
        contact.properties.emplace(name, std::move(text));
      }
    }
    const auto& props = contact.properties;
    auto prop_time = [&props](const char* name) {
      auto it = props.find(name);
      return it == props.end() ? std::int64_t{0} : read_time(Json(it->second));
    };
    contact.updated_at_ms = prop_time("lastmodifieddate");
    if (contact.updated_at_ms == 0 && row.contains("updatedAt"))
      contact.updated_at_ms = read_time(row["updatedAt"]);
    contact.created_at_ms = prop_time("createdate");
    if (contact.created_at_ms == 0 && row.contains("createdAt"))
      contact.created_at_ms = read_time(row["createdAt"]);
    if (auto archived = row.find("archived"); archived != row.end() && archived->is_boolean())
      contact.archived = archived->get<bool>();
    fill_fields(contact, notes_property);
    contact.raw_json = row.dump(-1, ' ', false, Json::error_handler_t::replace);
    page.contacts.push_back(std::move(contact));
  }
  if (auto paging = root.find("paging"); paging != root.end() && paging->is_object()) {
    if (auto next = paging->find("next"); next != paging->end() && next->is_object())
      page.next_after = string_field(*next, "after");
  }
  return page;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

const std::vector<std::string>& hubspot_lead_properties() {
  static const std::vector<std::string> kProperties = {
      "firstname",          "lastname",         "email",          "phone",
      "mobilephone",        "hubspot_owner_id", "lifecyclestage", "hs_lead_status",
      "notes_last_updated", "lastmodifieddate", "createdate",     "hs_object_id"};
  return kProperties;
}

// One search query: its filters and sort, paged with `after` until the end or the cap.
struct HubSpotClient::SearchPass {
  Json filter_groups;
  std::string sort_property;
  std::set<std::string> skip_ids;  // already emitted by an earlier pass
  std::int64_t checkpoint_ms = 0;  // running: every change at or before it is read
  // Results of the pass:
  bool capped = false;
  std::int64_t max_ms = -1;
  std::set<std::string> ids_at_max_ms;
  std::string max_id;
};

HubSpotClient::HubSpotClient(HttpClient& http, CredentialSource& credentials, const Clock& clock,
                             Sleeper& sleeper, HubSpotOptions options)
    : http_(http), credentials_(credentials), clock_(clock), sleeper_(sleeper), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  properties_ = hubspot_lead_properties();
  if (!options_.notes_property.empty() &&
      std::find(properties_.begin(), properties_.end(), options_.notes_property) == properties_.end())
    properties_.push_back(options_.notes_property);
}

RateBudget HubSpotClient::rate_budget() const {
  std::lock_guard lock(budget_mutex_);
  return budget_;
}

RateLimitInfo HubSpotClient::last_rate_limit() const {
  std::lock_guard lock(budget_mutex_);
  return rate_limit_;
}

void HubSpotClient::forget_credentials() {
  std::lock_guard lock(credentials_mutex_);
  held_.reset();
}

// The credentials of the current listing; asked again when near their known expiry, so a
// long listing outlives a 30-minute OAuth token.
Result<std::string> HubSpotClient::access_token(bool force_refresh) {
  std::lock_guard lock(credentials_mutex_);
  constexpr std::int64_t kExpiryMarginMs = 60'000;
  if (force_refresh || !held_ ||
      (held_->expires_at_ms > 0 && now_ms() >= held_->expires_at_ms - kExpiryMarginMs)) {
    auto fresh = credentials_.get(force_refresh);
    if (!fresh.ok()) return fresh.error();
    held_ = std::move(*fresh);
  }
  return held_->access_token;
}

// Keeps inside the burst budget before HubSpot answers 429: once a response shows only the
// reserve left, the next request waits until the window that began with its first request has
// passed. Search sends no headers, so it is spaced evenly instead.
void HubSpotClient::pace(bool search) {
  std::lock_guard lock(pace_mutex_);
  std::int64_t now = now_ms();
  const auto wait_until = [&](std::int64_t until) {
    if (until <= now) return;
    sleeper_.sleep_for(std::chrono::milliseconds(until - now));
    now = std::max(now_ms(), until);
  };
  if (search && last_search_ms_ >= 0) {
    const std::int64_t spacing =
        (1000 + options_.search_per_second - 1) / std::max(1, options_.search_per_second);
    wait_until(last_search_ms_ + spacing);
  }
  std::int64_t interval = 10'000;
  {
    std::lock_guard budget_lock(budget_mutex_);
    if (budget_.interval_ms > 0) interval = budget_.interval_ms;
  }
  if (window_start_ms_ >= 0 && now < window_start_ms_ + interval && reserve_reached_)
    wait_until(window_start_ms_ + interval);
  if (window_start_ms_ < 0 || now >= window_start_ms_ + interval) {
    window_start_ms_ = now;
    reserve_reached_ = false;
  }
  if (search) last_search_ms_ = now;
}

void HubSpotClient::note_budget(const HttpResponse& response, bool search) {
  {
    std::lock_guard lock(budget_mutex_);
    budget_.max = read_header_int(response, "x-hubspot-ratelimit-max", budget_.max);
    budget_.remaining = read_header_int(response, "x-hubspot-ratelimit-remaining", budget_.remaining);
    budget_.interval_ms =
        read_header_int(response, "x-hubspot-ratelimit-interval-milliseconds", budget_.interval_ms);
    budget_.daily = read_header_int(response, "x-hubspot-ratelimit-daily", budget_.daily);
    budget_.daily_remaining =
        read_header_int(response, "x-hubspot-ratelimit-daily-remaining", budget_.daily_remaining);
    if (response.status >= 200 && response.status < 300) rate_limit_ = RateLimitInfo{};
  }
  if (search) return;
  const std::int64_t remaining = read_header_int(response, "x-hubspot-ratelimit-remaining", -1);
  if (remaining < 0) return;
  std::lock_guard lock(pace_mutex_);
  reserve_reached_ = remaining <= options_.rate_reserve;
}

// A 429 that reached us (the retrying transport gave up, or the daily budget is spent):
// remember until when, for the run's "rate-limited until T".
Error HubSpotClient::rate_limited(const std::string& body) {
  const Json parsed = Json::parse(body, nullptr, false);
  const std::string policy = parsed.is_object() ? string_field(parsed, "policyName") : std::string();
  const std::int64_t now = now_ms();
  constexpr std::int64_t kDayMs = 86'400'000;
  RateLimitInfo info{true, policy, 0};
  Error error;
  if (policy == "DAILY") {
    // HubSpot resets the daily budget at midnight in the account's time zone; midnight UTC is
    // what we can compute without it, so a retry then may still be refused for a few hours.
    info.retry_at_ms = (now / kDayMs + 1) * kDayMs;
    error = make_error(
        kErrRateLimited,
        fmt::format("HubSpot's daily API limit for this account is used up until {}. The sync goes "
                    "on after that.",
                    format_iso8601(from_epoch_ms(info.retry_at_ms))));
  } else {
    std::int64_t interval = 10'000;
    {
      std::lock_guard lock(budget_mutex_);
      if (budget_.interval_ms > 0) interval = budget_.interval_ms;
    }
    info.retry_at_ms = now + interval;
    error = status_error(429, body, "");
  }
  std::lock_guard lock(budget_mutex_);
  rate_limit_ = info;
  return error;
}

Result<std::string> HubSpotClient::call(const std::string& method, const std::string& path,
                                        const std::string& body) {
  const bool search = path.rfind("/crm/v3/objects/contacts/search", 0) == 0;
  for (bool refreshed = false;; refreshed = true) {
    auto token = access_token(refreshed);
    if (!token.ok()) return token.error();
    HttpRequest request;
    request.method = method;
    request.url = options_.base_url + path;
    request.headers = {{"Authorization", "Bearer " + *token}, {"Accept", "application/json"}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    request.timeout = options_.request_timeout;
    request.idempotent = true;  // every call here reads; search is a POST only for its body
    pace(search);
    auto response = http_.send(request);
    if (!response.ok()) return response.error();
    note_budget(*response, search);
    // An OAuth token can end before its known expiry; a refreshed one gets one more try.
    if (response->status == 401 && !refreshed) continue;
    if (response->status == 429) return rate_limited(response->body);
    if (response->status < 200 || response->status >= 300)
      return status_error(response->status, response->body, path.substr(0, path.find('?')));
    return std::move(response->body);
  }
}

Result<CrmAccount> HubSpotClient::get_account() {
  forget_credentials();
  auto body = call("GET", "/account-info/v3/details");
  if (!body.ok()) return body.error();
  const Json root = Json::parse(*body, nullptr, false);
  if (!root.is_object()) return malformed("the account details", "expected an object");
  CrmAccount account;
  account.id = string_field(root, "portalId");
  account.time_zone = string_field(root, "timeZone");
  if (account.id.empty()) return malformed("the account details", "no portalId");
  return account;
}

Status HubSpotClient::list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) {
  forget_credentials();
  std::string cursor = after;
  for (;;) {
    std::string path =
        fmt::format("/crm/v3/objects/contacts?limit={}&properties={}&archived={}", options_.list_page_size,
                    url_encode(join(properties_)), archived ? "true" : "false");
    if (!cursor.empty()) path += "&after=" + url_encode(cursor);
    auto body = call("GET", path);
    if (!body.ok()) return body.error();
    auto parsed = parse_contact_page(*body, options_.notes_property);
    if (!parsed.ok()) return parsed.error();
    if (parsed->next_after == cursor && !cursor.empty())
      return malformed("a page of contacts", "the next-page cursor did not move");
    CrmPage page{std::move(parsed->contacts), std::move(parsed->warnings),
                 CrmCheckpoint{parsed->next_after, 0}};
    if (auto status = on_page(std::move(page)); !status.ok()) return status;
    if (parsed->next_after.empty()) return {};
    cursor = parsed->next_after;
  }
}

Status HubSpotClient::run_search_pass(SearchPass& pass, const CrmPageCallback& on_page) {
  std::string after;
  int read = 0;
  for (;;) {
    Json request = {
        {"filterGroups", pass.filter_groups},
        {"sorts", Json::array({{{"propertyName", pass.sort_property}, {"direction", "ASCENDING"}}})},
        {"properties", properties_},
        {"limit", options_.search_page_size}};
    if (!after.empty()) request["after"] = after;
    auto body = call("POST", "/crm/v3/objects/contacts/search", request.dump());
    if (!body.ok()) return body.error();
    auto parsed = parse_contact_page(*body, options_.notes_property);
    if (!parsed.ok()) return parsed.error();
    read += static_cast<int>(parsed->contacts.size());
    CrmPage page;
    page.warnings = std::move(parsed->warnings);
    for (auto& contact : parsed->contacts) {
      if (contact.updated_at_ms > pass.max_ms) {
        pass.max_ms = contact.updated_at_ms;
        pass.ids_at_max_ms.clear();
      }
      if (contact.updated_at_ms == pass.max_ms) pass.ids_at_max_ms.insert(contact.crm_id);
      if (pass.max_id.empty() || id_less(pass.max_id, contact.crm_id)) pass.max_id = contact.crm_id;
      if (pass.skip_ids.count(contact.crm_id)) continue;
      page.contacts.push_back(std::move(contact));
    }
    // Results come oldest change first, so everything before the newest one seen is read.
    pass.checkpoint_ms = std::max(pass.checkpoint_ms, pass.max_ms - 1);
    page.checkpoint.modified_after_ms = pass.checkpoint_ms;
    if (auto status = on_page(std::move(page)); !status.ok()) return status;
    if (parsed->next_after.empty()) return {};
    if (read + options_.search_page_size > options_.search_cap) {
      pass.capped = true;  // one more page would pass the cap, which HubSpot answers with a 400
      return {};
    }
    after = parsed->next_after;
  }
}

Status HubSpotClient::list_changed_contacts(std::int64_t modified_after_ms, const CrmPageCallback& on_page) {
  forget_credentials();
  const auto filter = [](const char* property, const char* op, const std::string& value) {
    return Json{{"propertyName", property}, {"operator", op}, {"value", value}};
  };
  std::int64_t lower = modified_after_ms;
  bool strict = true;  // GT lower; after moving the window, GTE lower minus the ids already read
  std::set<std::string> read_at_lower;
  std::int64_t checkpoint = modified_after_ms;
  for (;;) {
    SearchPass pass;
    pass.filter_groups = Json::array(
        {{{"filters",
           Json::array({filter("lastmodifieddate", strict ? "GT" : "GTE", std::to_string(lower))})}}});
    pass.sort_property = "lastmodifieddate";
    pass.skip_ids = read_at_lower;
    pass.checkpoint_ms = checkpoint;
    if (auto status = run_search_pass(pass, on_page); !status.ok()) return status;
    checkpoint = pass.checkpoint_ms;
    if (!pass.capped) return {};
    if (pass.max_ms > lower) {
      lower = pass.max_ms;
      strict = false;
      read_at_lower = std::move(pass.ids_at_max_ms);
      continue;
    }
    // A whole capped query changed in the same millisecond: walk that millisecond by id.
    std::string last_id;
    for (;;) {
      SearchPass by_id;
      Json filters = Json::array({filter("lastmodifieddate", "EQ", std::to_string(lower))});
      if (!last_id.empty()) filters.push_back(filter("hs_object_id", "GT", last_id));
      by_id.filter_groups = Json::array({{{"filters", filters}}});
      by_id.sort_property = "hs_object_id";
      by_id.skip_ids = read_at_lower;
      by_id.checkpoint_ms = checkpoint;
      if (auto status = run_search_pass(by_id, on_page); !status.ok()) return status;
      if (!by_id.capped) break;
      if (!last_id.empty() && !id_less(last_id, by_id.max_id))
        return malformed("search results", "the id order did not advance");
      last_id = by_id.max_id;
    }
    strict = true;
    read_at_lower.clear();
  }
}

Result<std::vector<CrmOwner>> HubSpotClient::list_owners() {
  forget_credentials();
  std::vector<CrmOwner> owners;
  for (const bool archived : {false, true}) {
    std::string after;
    for (;;) {
      std::string path = fmt::format("/crm/v3/owners?limit=100&archived={}", archived ? "true" : "false");
      if (!after.empty()) path += "&after=" + url_encode(after);
      auto body = call("GET", path);
      if (!body.ok()) return body.error();
      const Json root = Json::parse(*body, nullptr, false);
      if (!root.is_object() || !root.contains("results") || !root["results"].is_array())
        return malformed("the owner list", "no 'results' list");
      for (const Json& row : root["results"]) {
        if (!row.is_object()) continue;
        CrmOwner owner{string_field(row, "id"), string_field(row, "email"), string_field(row, "firstName"),
                       string_field(row, "lastName"), archived};
        if (auto flag = row.find("archived"); flag != row.end() && flag->is_boolean())
          owner.archived = flag->get<bool>();
        if (!owner.id.empty()) owners.push_back(std::move(owner));
      }
      std::string next;
      if (root.contains("paging") && root["paging"].is_object() && root["paging"].contains("next") &&
          root["paging"]["next"].is_object())
        next = string_field(root["paging"]["next"], "after");
      if (next.empty() || next == after) break;
      after = next;
    }
  }
  return owners;
}

}  // namespace tenantsync::upstream
