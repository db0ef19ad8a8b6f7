#pragma once
// The simulated HubSpot app's webhooks (hubspot_webhooks.cpp): where they go, the client secret
// that signs them (v3), and the faults a test can turn on.
#include <cstdint>
#include <string>

namespace tenantsync::sim::hubspot {

struct WebhookSettings {
  std::string target_url;     ///< empty: no webhooks are sent (loopback http only)
  std::string client_secret;  ///< signs X-HubSpot-Signature-v3
  long long app_id = 1;
  int delay_ms = 50;          ///< from a change to its POST
  int attempts = 3;           ///< tries per POST until a 2xx (HubSpot retries for 24 h)
  bool duplicates = false;    ///< every POST is sent twice
  bool out_of_order = false;  ///< every other POST is held back, so neighbours swap
  std::uint64_t next_event_id = 1;
  std::uint64_t changes = 0;  ///< POSTs scheduled
};

}  // namespace tenantsync::sim::hubspot
