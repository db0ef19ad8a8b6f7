#include "upstream/crm/hubspot_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time_format.hpp"
#include "upstream/crm/hubspot_json.hpp"
#include "upstream/paging_guard.hpp"

namespace tenantsync::upstream {
namespace {

using Json = nlohmann::json;
using hubspot::malformed;

// 100 owners a page: 100,000 owners is far more than any portal has.
constexpr int kMaxOwnerPages = 1000;

std::int64_t read_header_int(const HttpResponse& response, const char* name, std::int64_t fallback) {
  const std::string* value = response.header(name);
  if (!value) return fallback;
  std::int64_t number = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  return ec == std::errc() && ptr == value->data() + value->size() ? number : fallback;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// One condition of a search request's filter group.
Json search_filter(const char* property, const char* op, const std::string& value) {
  return Json{{"propertyName", property}, {"operator", op}, {"value", value}};
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
    : http_(http),
      clock_(clock),
      options_(std::move(options)),
      credentials_(credentials, clock),
      gate_(clock, sleeper,
            RateGateOptions{.reserve = options_.rate_reserve,
                            .spaced_per_second = options_.search_per_second,
                            .spaced_margin = options_.search_margin}) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  properties_ = hubspot_lead_properties();
  if (!options_.notes_property.empty() &&
      std::find(properties_.begin(), properties_.end(), options_.notes_property) == properties_.end())
    properties_.push_back(options_.notes_property);
}

RateBudget HubSpotClient::rate_budget() const { return rate_.budget(); }

RateLimitInfo HubSpotClient::last_rate_limit() const { return rate_.last_refusal(); }

// The budget from HubSpot's rate-limit headers; the gate keeps the next requests inside it.
// Search sends no such headers, so its responses say nothing about the reserve.
void HubSpotClient::note_budget(const HttpResponse& response, bool search) {
  std::int64_t window_ms = -1;
  rate_.observe(response.status, [&](RateBudget& budget) {
    budget.max = read_header_int(response, "x-hubspot-ratelimit-max", budget.max);
    budget.remaining = read_header_int(response, "x-hubspot-ratelimit-remaining", budget.remaining);
    budget.interval_ms =
        read_header_int(response, "x-hubspot-ratelimit-interval-milliseconds", budget.interval_ms);
    budget.daily = read_header_int(response, "x-hubspot-ratelimit-daily", budget.daily);
    budget.daily_remaining =
        read_header_int(response, "x-hubspot-ratelimit-daily-remaining", budget.daily_remaining);
    window_ms = budget.interval_ms;
  });
  const std::int64_t remaining = search ? -1 : read_header_int(response, "x-hubspot-ratelimit-remaining", -1);
  const std::int64_t max = search ? -1 : read_header_int(response, "x-hubspot-ratelimit-max", -1);
  gate_.observe(remaining, std::chrono::milliseconds(window_ms), max);
}

// A 429 that reached us (the retrying transport gave up, or the daily budget is spent):
// remember until when, for the run's "rate-limited until T".
Error HubSpotClient::rate_limited(const std::string& body) {
  const std::string policy = hubspot::rate_limit_policy(body);
  const std::int64_t now = to_epoch_ms(clock_.now());
  constexpr std::int64_t kDayMs = 86'400'000;
  RateLimitInfo info{true, policy, 0};
  Error error;
  if (policy == "DAILY") {
    // HubSpot resets the daily budget at midnight in the account's time zone; midnight UTC is
    // what we can compute without it, so a retry then may still be refused for a few hours.
    info.retry_at_ms = (now / kDayMs + 1) * kDayMs;
    error = make_error(
        core::ErrorCode::rate_limited,
        fmt::format("HubSpot's daily API limit for this account is used up until {}. The sync goes "
                    "on after that.",
                    format_iso8601(from_epoch_ms(info.retry_at_ms))));
  } else {
    info.retry_at_ms = now + gate_.window().count();
    error = hubspot::status_error(429, body, "");
  }
  rate_.refused(std::move(info));
  return error;
}

Result<std::string> HubSpotClient::call(const std::string& method, const std::string& path,
                                        const std::string& body) {
  const bool search = path.rfind("/crm/v3/objects/contacts/search", 0) == 0;
  for (bool refreshed = false;; refreshed = true) {
    auto credentials = credentials_.get(refreshed);
    if (!credentials.ok()) return credentials.error();
    HttpRequest request;
    request.method = method;
    request.url = options_.base_url + path;
    request.headers = {{"Authorization", "Bearer " + credentials->access_token},
                       {"Accept", "application/json"}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    request.timeout = options_.request_timeout;
    request.idempotent = true;  // every call here reads; search is a POST only for its body
    gate_.wait_turn(search);
    auto response = http_.send(request);
    if (!response.ok()) return response.error();
    note_budget(*response, search);
    // An OAuth token can end before its known expiry; a refreshed one gets one more try.
    if (response->status == 401 && !refreshed) continue;
    if (response->status == 429) return rate_limited(response->body);
    if (response->status < 200 || response->status >= 300)
      return hubspot::status_error(response->status, response->body, path.substr(0, path.find('?')));
    return std::move(response->body);
  }
}

Result<CrmAccount> HubSpotClient::get_account() {
  credentials_.forget();
  auto body = call("GET", "/account-info/v3/details");
  if (!body.ok()) return body.error();
  return hubspot::parse_account(*body);
}

Status HubSpotClient::list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) {
  credentials_.forget();
  std::string cursor = after;
  PagingGuard paging(archived ? "HubSpot archived contacts" : "HubSpot contacts");
  paging.start(cursor);
  for (;;) {
    std::string path =
        fmt::format("/crm/v3/objects/contacts?limit={}&properties={}&archived={}", options_.list_page_size,
                    url_encode(join(properties_)), archived ? "true" : "false");
    if (!cursor.empty()) path += "&after=" + url_encode(cursor);
    auto body = call("GET", path);
    if (!body.ok()) return body.error();
    auto parsed = hubspot::parse_contact_page(*body, options_.notes_property);
    if (!parsed.ok()) return parsed.error();
    for (const auto& contact : parsed->contacts) paging.saw(contact.crm_id);
    if (auto moving = paging.end_page(!parsed->next_after.empty(), parsed->next_after); !moving.ok())
      return moving;
    CrmPage page{std::move(parsed->contacts), std::move(parsed->warnings),
                 CrmCheckpoint{parsed->next_after, 0}, std::nullopt};
    if (auto status = on_page(std::move(page)); !status.ok()) return status;
    if (parsed->next_after.empty()) return {};
    cursor = parsed->next_after;
  }
}

// Each query asks for the ids below the lowest one read so far, from offset 0: no `after`, so
// no 10,000-result cap to move past, and a contact removed meanwhile cannot shift an unread
// one past a page boundary (offsets would).
Status HubSpotClient::list_contacts_from_the_top(const std::string& below, const CrmPageCallback& on_page) {
  credentials_.forget();
  std::string bound = below;
  PagingGuard paging("HubSpot search from the top");
  for (;;) {
    Json filter_groups = Json::array();
    if (!bound.empty())
      filter_groups.push_back({{"filters", Json::array({search_filter("hs_object_id", "LT", bound)})}});
    const Json request = {
        {"filterGroups", std::move(filter_groups)},
        {"sorts", Json::array({{{"propertyName", "hs_object_id"}, {"direction", "DESCENDING"}}})},
        {"properties", properties_},
        {"limit", options_.search_page_size}};
    auto body = call("POST", "/crm/v3/objects/contacts/search", request.dump());
    if (!body.ok()) return body.error();
    auto parsed = hubspot::parse_contact_page(*body, options_.notes_property);
    if (!parsed.ok()) return parsed.error();
    if (parsed->contacts.empty()) return {};
    std::string lowest = bound;
    for (const auto& contact : parsed->contacts) {
      // Every id must be below the bound, or the read would not move down and never end.
      if (!bound.empty() && !numeric_id_less(contact.crm_id, bound))
        return malformed("search results", "an id at or above the requested bound");
      if (lowest.empty() || numeric_id_less(contact.crm_id, lowest)) lowest = contact.crm_id;
      paging.saw(contact.crm_id);
    }
    const bool more = !parsed->next_after.empty();
    if (auto moving = paging.end_page(more, lowest); !moving.ok()) return moving;
    CrmPage page{std::move(parsed->contacts), std::move(parsed->warnings), CrmCheckpoint{lowest, 0},
                 std::nullopt};
    if (auto status = on_page(std::move(page)); !status.ok()) return status;
    if (!more) return {};
    bound = lowest;
  }
}

Status HubSpotClient::run_search_pass(SearchPass& pass, const CrmPageCallback& on_page) {
  std::string after;
  int read = 0;
  PagingGuard paging("HubSpot search");
  for (;;) {
    Json request = {
        {"filterGroups", pass.filter_groups},
        {"sorts", Json::array({{{"propertyName", pass.sort_property}, {"direction", "ASCENDING"}}})},
        {"properties", properties_},
        {"limit", options_.search_page_size}};
    if (!after.empty()) request["after"] = after;
    auto body = call("POST", "/crm/v3/objects/contacts/search", request.dump());
    if (!body.ok()) return body.error();
    auto parsed = hubspot::parse_contact_page(*body, options_.notes_property);
    if (!parsed.ok()) return parsed.error();
    read += static_cast<int>(parsed->contacts.size());
    for (const auto& contact : parsed->contacts) paging.saw(contact.crm_id);
    if (auto moving = paging.end_page(!parsed->next_after.empty(), parsed->next_after); !moving.ok())
      return moving;
    CrmPage page;
    page.warnings = std::move(parsed->warnings);
    page.total = parsed->total;
    for (auto& contact : parsed->contacts) {
      if (contact.updated_at_ms > pass.max_ms) {
        pass.max_ms = contact.updated_at_ms;
        pass.ids_at_max_ms.clear();
      }
      if (contact.updated_at_ms == pass.max_ms) pass.ids_at_max_ms.insert(contact.crm_id);
      if (pass.max_id.empty() || numeric_id_less(pass.max_id, contact.crm_id)) pass.max_id = contact.crm_id;
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
  credentials_.forget();
  std::int64_t lower = modified_after_ms;
  bool strict = true;  // GT lower; after moving the window, GTE lower minus the ids already read
  std::set<std::string> read_at_lower;
  std::int64_t checkpoint = modified_after_ms;
  for (;;) {
    SearchPass pass;
    pass.filter_groups = Json::array(
        {{{"filters",
           Json::array({search_filter("lastmodifieddate", strict ? "GT" : "GTE", std::to_string(lower))})}}});
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
      Json filters = Json::array({search_filter("lastmodifieddate", "EQ", std::to_string(lower))});
      if (!last_id.empty()) filters.push_back(search_filter("hs_object_id", "GT", last_id));
      by_id.filter_groups = Json::array({{{"filters", filters}}});
      by_id.sort_property = "hs_object_id";
      by_id.skip_ids = read_at_lower;
      by_id.checkpoint_ms = checkpoint;
      if (auto status = run_search_pass(by_id, on_page); !status.ok()) return status;
      if (!by_id.capped) break;
      if (!last_id.empty() && !numeric_id_less(last_id, by_id.max_id))
        return malformed("search results", "the id order did not advance");
      last_id = by_id.max_id;
    }
    strict = true;
    read_at_lower.clear();
  }
}

Result<std::vector<CrmOwner>> HubSpotClient::list_owners() {
  credentials_.forget();
  std::vector<CrmOwner> owners;
  for (const bool archived : {false, true}) {
    std::string after;
    PagingGuard paging("HubSpot owners");
    for (int pages = 1;; ++pages) {
      if (pages > kMaxOwnerPages)
        return make_error(
            core::ErrorCode::limit_exceeded,
            fmt::format("The HubSpot owners listing was stopped after {} pages.", kMaxOwnerPages));
      std::string path = fmt::format("/crm/v3/owners?limit=100&archived={}", archived ? "true" : "false");
      if (!after.empty()) path += "&after=" + url_encode(after);
      auto body = call("GET", path);
      if (!body.ok()) return body.error();
      auto page = hubspot::parse_owner_page(*body, archived);
      if (!page.ok()) return page.error();
      for (const auto& owner : page->owners) paging.saw(owner.id);
      if (auto moving = paging.end_page(!page->next_after.empty(), page->next_after); !moving.ok())
        return moving.error();
      owners.insert(owners.end(), std::make_move_iterator(page->owners.begin()),
                    std::make_move_iterator(page->owners.end()));
      if (page->next_after.empty()) break;
      after = page->next_after;
    }
  }
  return owners;
}

}  // namespace tenantsync::upstream
