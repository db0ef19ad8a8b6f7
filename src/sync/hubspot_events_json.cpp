#include "sync/hubspot_events_json.hpp"

#include <nlohmann/json.hpp>

#include "core/json_depth.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxIdBytes = 64;

Error malformed(const std::string& why) {
  return make_error(core::ErrorCode::malformed_json, "The HubSpot webhook body could not be read: " + why + ".");
}

// HubSpot ids are integers; a string of digits is taken too. Anything else is refused.
std::string id_text(const Json& event, const char* key) {
  const auto it = event.find(key);
  if (it == event.end()) return {};
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0) return std::to_string(it->get<std::int64_t>());
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > kMaxIdBytes) return {};
    for (char c : text)
      if (c < '0' || c > '9') return {};
    return text;
  }
  return {};
}

}  // namespace

Result<HubspotWebhookBody> parse_hubspot_webhook(std::string_view body) {
  if (!core::json_depth_within(body)) return malformed("it nests too deeply");
  const Json root = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return malformed("it is not JSON");
  if (!root.is_array()) return malformed("it is not an array of events");
  if (root.size() > kMaxHubspotEventsPerBody)
    return make_error(core::ErrorCode::payload_too_large,
                      "A HubSpot webhook carries at most 100 events; this one has " + std::to_string(root.size()) +
                          ".");
  HubspotWebhookBody out;
  for (const Json& item : root) {
    if (!item.is_object()) return malformed("an event is not an object");
    const auto type = item.find("subscriptionType");
    if (type == item.end() || !type->is_string()) return malformed("an event has no subscriptionType");
    HubspotWebhookEvent e;
    e.portal_id = id_text(item, "portalId");
    e.event.event_id = id_text(item, "eventId");
    e.event.object_id = id_text(item, "objectId");
    if (e.portal_id.empty() || e.event.event_id.empty() || e.event.object_id.empty())
      return malformed("an event lacks a numeric eventId, portalId or objectId");
    const std::string& kind = type->get_ref<const std::string&>();
    if (!kind.starts_with("contact.") || kind.size() > 64) {
      ++out.ignored;
      continue;
    }
    e.event.kind = kind;
    if (const auto at = item.find("occurredAt"); at != item.end() && at->is_number_integer())
      e.event.occurred_at_ms = at->get<std::int64_t>();
    if (kind == "contact.merge") {
      // The survivor is primaryObjectId (objectId names it too); the merged-away ids are archived.
      if (std::string primary = id_text(item, "primaryObjectId"); !primary.empty()) e.event.object_id = primary;
      if (const auto merged = item.find("mergedObjectIds"); merged != item.end() && merged->is_array()) {
        for (const Json& id : *merged) {
          Json holder = {{"id", id}};
          std::string text = id_text(holder, "id");
          if (text.empty() || text == e.event.object_id) continue;
          if (!e.event.merged_ids.empty()) e.event.merged_ids += ",";
          e.event.merged_ids += text;
          if (e.event.merged_ids.size() > 2048) return malformed("a merge names too many contacts");
        }
      }
    }
    out.events.push_back(std::move(e));
  }
  return out;
}

}  // namespace tenantsync::sync
