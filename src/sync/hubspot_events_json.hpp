#pragma once
// HubSpot webhook bodies: a JSON array of up to 100 events (eventId, portalId, subscriptionType,
// objectId, occurredAt; merges add mergedObjectIds and primaryObjectId). A pure parser of
// outside bytes: unit-tested and fuzzed on its own.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/hook_store.hpp"

namespace tenantsync::sync {

/// HubSpot sends at most 100 events per request; a body with more is refused.
inline constexpr std::size_t kMaxHubspotEventsPerBody = 100;

/// One event of a webhook body, with the portal it is for.
struct HubspotWebhookEvent {
  std::string portal_id;
  store::HubspotEvent event;
};

/// The events of a body; events of subscriptions other than contact.* are left out (counted in
/// `ignored`). Errors: malformed_json (not JSON, not an array, too deep, an event without eventId,
/// portalId, subscriptionType or objectId), payload_too_large (over 100 events).
struct HubspotWebhookBody {
  std::vector<HubspotWebhookEvent> events;
  int ignored = 0;
};
Result<HubspotWebhookBody> parse_hubspot_webhook(std::string_view body);

}  // namespace tenantsync::sync
