#include "upstream/crm/hubspot_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/error_code.hpp"
#include "core/time_format.hpp"
#include "core/utf8_text.hpp"
#include "upstream/bounded_json.hpp"
#include "upstream/crm/contact_fields.hpp"

namespace tenantsync::upstream::hubspot {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxPropertyBytes = 64 * 1024;

std::string with_period(std::string text) {
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text.push_back('.');
  return text;
}

// HubSpot times are ISO-8601 strings, or epoch milliseconds as digits in some properties.
std::int64_t read_time(std::string_view text) {
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

// paging.next.after, or empty.
std::string next_after(const Json& root) {
  if (auto paging = root.find("paging"); paging != root.end() && paging->is_object()) {
    if (auto next = paging->find("next"); next != paging->end() && next->is_object())
      return string_field(*next, "after");
  }
  return {};
}

// A string value as text, and whether it was one; numbers (ids) as their digits.
bool text_of(simdjson::dom::element value, std::string_view& text, std::string& digits) {
  if (value.get_string().get(text) == simdjson::SUCCESS) return true;
  std::int64_t number = 0;
  if (value.get_int64().get(number) == simdjson::SUCCESS) {
    digits = std::to_string(number);
    text = digits;
    return true;
  }
  return false;
}

// One result row's string properties, each read once into the field it fills (no map between):
// non-strings are left out and huge values cut, with a warning each.
void read_properties(simdjson::dom::object props, const std::string& id, const std::string& notes_property,
                     CrmContact& contact, std::vector<std::string>& warnings) {
  for (const auto field : props) {
    const std::string_view name = field.key;
    if (field.value.is_null()) continue;
    std::string_view text;
    if (field.value.get_string().get(text) != simdjson::SUCCESS) {
      warnings.push_back(fmt::format("contact {}: property '{}' is not a string; left out", id, name));
      continue;
    }
    if (text.size() > kMaxPropertyBytes) {
      warnings.push_back(
          fmt::format("contact {}: property '{}' was cut to {} bytes", id, name, kMaxPropertyBytes));
      text = core::utf8_prefix(text, kMaxPropertyBytes);
    }
    contact.property_bytes += static_cast<std::int64_t>(name.size() + text.size());
    if (std::string* target = text_field(contact.fields, CrmProvider::hubspot, name)) target->assign(text);
    if (name == notes_property) contact.fields.description.assign(text);  // HubSpot has no standard one
    if (name == "lastmodifieddate") contact.updated_at_ms = read_time(text);
    else if (name == "createdate") contact.created_at_ms = read_time(text);
    else if (name == "notes_last_updated") contact.fields.last_activity_at_ms = read_time(text);
  }
}

// A row's own time (updatedAt, createdAt), when its property did not give one.
std::int64_t row_time(simdjson::dom::object row, std::string_view key) {
  std::string_view text;
  return row.at_key(key).get_string().get(text) == simdjson::SUCCESS ? read_time(text) : 0;
}

}  // namespace

Error malformed(std::string_view what, std::string_view detail) {
  return make_error(
      core::ErrorCode::upstream_malformed,
      fmt::format("HubSpot sent {} that could not be read ({}). Try again later.", what, detail));
}

Error status_error(int status, const std::string& body, const std::string& path) {
  const Json parsed = parse_bounded_json(body);
  std::string said;
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string())
    said = parsed["message"].get<std::string>().substr(0, 1024);
  const std::string detail = said.empty() ? "." : ": " + with_period(said);
  if (status == 401 || status == 403)
    return make_error(
        core::ErrorCode::key_rejected,
        fmt::format("HubSpot rejected the access token{} Reconnect HubSpot in Settings.", detail));
  if (status == 404)
    return make_error(core::ErrorCode::upstream_not_found,
                      fmt::format("HubSpot has no {} (HTTP 404){}", path, detail));
  if (status == 429)
    return make_error(core::ErrorCode::rate_limited,
                      fmt::format("HubSpot is rate-limiting this account (HTTP 429){} "
                                  "Try again in a few minutes.",
                                  detail));
  if (status >= 500)
    return make_error(core::ErrorCode::upstream_error,
                      fmt::format("HubSpot answered {} for {}{} This is on HubSpot's side; try "
                                  "again later.",
                                  status, path, detail));
  return make_error(core::ErrorCode::upstream_error,
                    fmt::format("HubSpot answered {} for {}{}", status, path, detail));
}

std::string rate_limit_policy(const std::string& body) {
  const Json parsed = parse_bounded_json(body);
  return parsed.is_object() ? string_field(parsed, "policyName") : std::string();
}

Result<ContactPage> parse_contact_page(const std::string& body, const std::string& notes_property) {
  // One parser per thread, kept: its buffers are reused page after page (a page of 100 or 200
  // contacts is 40-100 KB). A body past kKeptParserBytes gets a parser of its own, so no thread
  // keeps that much memory after it.
  constexpr std::size_t kKeptParserBytes = 1u << 20;
  thread_local simdjson::dom::parser kept;
  std::optional<simdjson::dom::parser> own;
  simdjson::dom::parser& parser = body.size() <= kKeptParserBytes ? kept : own.emplace();
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS)
    return malformed("a page of contacts", "invalid JSON, or nested too deeply");
  simdjson::dom::array results;
  if (root.at_key("results").get_array().get(results) != simdjson::SUCCESS)
    return malformed("a page of contacts", "no 'results' list");
  ContactPage page;
  page.contacts.reserve(results.size());
  std::size_t index = 0;
  std::string digits;
  for (const simdjson::dom::element item : results) {
    ++index;
    simdjson::dom::object row;
    std::string_view id_text;
    simdjson::dom::element id_value;
    if (item.get_object().get(row) != simdjson::SUCCESS || row.at_key("id").get(id_value) != simdjson::SUCCESS ||
        !text_of(id_value, id_text, digits) || id_text.empty()) {
      page.warnings.push_back(fmt::format("contact #{} has no id; skipped", index));
      continue;
    }
    CrmContact contact;
    contact.crm_id.assign(id_text);
    simdjson::dom::object props;
    if (row.at_key("properties").get_object().get(props) == simdjson::SUCCESS)
      read_properties(props, contact.crm_id, notes_property, contact, page.warnings);
    if (contact.updated_at_ms == 0) contact.updated_at_ms = row_time(row, "updatedAt");
    if (contact.created_at_ms == 0) contact.created_at_ms = row_time(row, "createdAt");
    bool archived = false;
    if (row.at_key("archived").get_bool().get(archived) == simdjson::SUCCESS) contact.archived = archived;
    page.contacts.push_back(std::move(contact));
  }
  // paging.next.after, a string or a number.
  simdjson::dom::element after;
  std::string_view after_text;
  if (root.at_pointer("/paging/next/after").get(after) == simdjson::SUCCESS && text_of(after, after_text, digits))
    page.next_after.assign(after_text);
  // Search answers say how many contacts the query matches (the list API does not).
  std::int64_t total = 0;
  if (root.at_key("total").get_int64().get(total) == simdjson::SUCCESS && total >= 0) page.total = total;
  return page;
}

Result<OwnerPage> parse_owner_page(const std::string& body, bool archived) {
  const Json root = parse_bounded_json(body);
  if (!root.is_object() || !root.contains("results") || !root["results"].is_array())
    return malformed("the owner list", "no 'results' list");
  OwnerPage page;
  for (const Json& row : root["results"]) {
    if (!row.is_object()) continue;
    CrmOwner owner{string_field(row, "id"), string_field(row, "email"), string_field(row, "firstName"),
                   string_field(row, "lastName"), archived};
    if (auto flag = row.find("archived"); flag != row.end() && flag->is_boolean())
      owner.archived = flag->get<bool>();
    if (!owner.id.empty()) page.owners.push_back(std::move(owner));
  }
  page.next_after = next_after(root);
  return page;
}

Result<CrmAccount> parse_account(const std::string& body) {
  const Json root = parse_bounded_json(body);
  if (!root.is_object()) return malformed("the account details", "expected an object");
  CrmAccount account;
  account.id = string_field(root, "portalId");
  account.time_zone = string_field(root, "timeZone");
  if (account.id.empty()) return malformed("the account details", "no portalId");
  return account;
}

}  // namespace tenantsync::upstream::hubspot
