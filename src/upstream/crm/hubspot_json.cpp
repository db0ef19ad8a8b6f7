#include "upstream/crm/hubspot_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/error_code.hpp"
#include "core/time_format.hpp"
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

// paging.next.after, or empty.
std::string next_after(const Json& root) {
  if (auto paging = root.find("paging"); paging != root.end() && paging->is_object()) {
    if (auto next = paging->find("next"); next != paging->end() && next->is_object())
      return string_field(*next, "after");
  }
  return {};
}

void fill_fields(CrmContact& contact, const std::string& notes_property) {
  fill_text_fields(contact, CrmProvider::hubspot);
  contact.fields.description = property_of(contact, notes_property);  // HubSpot has no standard one
  contact.fields.last_activity_at_ms = read_time(Json(property_of(contact, "notes_last_updated")));
}

// The string properties of a row; others are left out and huge ones cut, with a warning each.
void read_properties(const Json& row, const std::string& id, CrmContact& contact,
                     std::vector<std::string>& warnings) {
  auto props = row.find("properties");
  if (props == row.end() || !props->is_object()) return;
  for (const auto& [name, value] : props->items()) {
    if (value.is_null()) continue;
    if (!value.is_string()) {
      warnings.push_back(fmt::format("contact {}: property '{}' is not a string; left out", id, name));
      continue;
    }
    std::string text = value.get<std::string>();
    if (text.size() > kMaxPropertyBytes) {
      warnings.push_back(
          fmt::format("contact {}: property '{}' was cut to {} bytes", id, name, kMaxPropertyBytes));
      std::size_t cut = kMaxPropertyBytes;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      text.resize(cut);
    }
    contact.properties.emplace(name, std::move(text));
  }
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
  const Json root = parse_bounded_json(body);
  if (root.is_discarded()) return malformed("a page of contacts", "invalid JSON, or nested too deeply");
  if (!root.is_object() || !root.contains("results") || !root["results"].is_array())
    return malformed("a page of contacts", "no 'results' list");
  ContactPage page;
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
    read_properties(row, id, contact, page.warnings);
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
    page.contacts.push_back(std::move(contact));
  }
  page.next_after = next_after(root);
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
