#pragma once
// Inside the simulated HubSpot (hubspot_*.cpp): the portals with their tokens, limits and
// records, the state behind HubSpotSim, and what a routed request carries to its handler.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "hubspot_records.hpp"
#include "hubspot_sim.hpp"
#include "hubspot_webhooks.hpp"
#include "id_gen.hpp"
#include "loopback_webhooks.hpp"
#include "oauth_tokens.hpp"
#include "sim_routes.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim::hubspot {

struct Portal : OAuthTokens {
  long long id = 0;
  std::string time_zone = "US/Eastern";
  std::vector<std::string> private_tokens;
  int access_token_ttl_s = 1800;
  int burst_max = 100;  ///< per rolling 10 s (free/starter private app)
  long long daily_max = 250'000;
  int search_per_second = 5;  ///< 0 disables the search limit
  std::deque<std::int64_t> burst_window;
  std::deque<std::int64_t> search_window;
  long long daily_used = 0;
  std::map<long long, Contact> contacts;
  std::set<std::pair<std::int64_t, long long>> by_modified;  ///< (updated_ms, id): incremental search order
  long long next_contact_id = 1001;
  std::vector<Owner> owners;
  std::uint64_t generate_calls = 0;
  /// request_page's count of the listed contacts before the last cursor asked for, valid while
  /// Contents::contacts_version is `version`: paging through N contacts counts each contact
  /// once rather than N²/2 times (which cost the simulator more CPU than the product's sync).
  struct PageCount {
    std::uint64_t version = 0;
    long long after = -1;
    bool archived = false;
    long long before = 0;
  };
  PageCount page_count;
  /// The ids of the live (not archived) contacts in order, valid while
  /// Contents::contacts_version is `version`: a search by id range (tenantsync's read from the
  /// top, 5 a second) counts its matches and finds its page without walking every contact.
  struct LiveIds {
    std::uint64_t version = 0;
    std::vector<long long> ids;
  };
  LiveIds live_ids;

  json summary() const;

  void index(const Contact& c) { by_modified.insert({c.updated_ms, c.id}); }
  void unindex(const Contact& c) { by_modified.erase({c.updated_ms, c.id}); }
};

/// What the simulated HubSpot holds, as it is after a reset.
struct Contents {
  std::map<long long, std::unique_ptr<Portal>> portals;
  std::unordered_map<std::string, long long> token_portal;    ///< private-app and access tokens
  std::unordered_map<std::string, long long> refresh_portal;  ///< refresh tokens
  IdGen ids;
  long long next_portal_id = 40'000'001;
  /// Moves on with every change the control API (or HubSpotSim) makes: forgets Portal::page_count.
  std::uint64_t contacts_version = 1;
};

/// The contents behind one mutex (Guarded): the functions below expect it held.
struct State : Guarded<Contents> {
  explicit State(const Clock& clock) : clock(clock) {}

  const Clock& clock;
  /// The app's webhooks (hubspot_webhooks.cpp): settings, and the sender outside the contents.
  WebhookSettings webhook_settings;
  WebhookSender webhooks;

  Portal* find_portal(long long id);
  std::int64_t now_ms() const;
  // Portals and their records (hubspot_data.cpp).
  /// See HubSpotSim::create_portal.
  Result<json> create_portal(const json& spec);
  Result<json> add_contact(Portal& portal, const json& input);
  Status update_contact(Portal& portal, long long id, const json& patch);
  /// See HubSpotSim::generate.
  Result<json> generate(Portal& portal, const HubSpotGenerateSpec& spec);
  /// HubSpot's error body: {status, message, correlationId, category}.
  http::Response error(int status, const std::string& category, const std::string& message);
};

/// The API, the /_sim/hubspot/ control API and a paged request's page, for StatefulUpstream: each
/// takes the lock itself.
std::optional<http::Response> serve_api(State& state, const http::Request& request);
std::optional<http::Response> serve_control(State& state, const http::Request& request);
std::optional<int> request_page(State& state, const http::Request& request);

/// A routed request and the records its path names (for the API, `portal` is the portal of the
/// caller's token).
struct Call : RouteCall {
  Portal* portal = nullptr;    ///< {portal}, or the token's portal
  Owner* owner = nullptr;      ///< {owner}
  Contact* contact = nullptr;  ///< {contact}
};

// The API's reads (hubspot_reads.cpp), for the portal of the caller's token.
http::Response api_contacts(State& state, Call& call);
http::Response api_search(State& state, Call& call);
http::Response api_owners(State& state, Call& call);

// Webhooks (hubspot_webhooks.cpp).
/// Schedules the signed POST of one event about a contact, if a target is set (lock held).
void contact_changed(State& state, const Portal& portal, const std::string& kind, long long object_id,
                     const json& extra);
http::Response get_webhooks(State& state, Call& call);
http::Response put_webhooks(State& state, Call& call);
http::Response merge_contact(State& state, Call& call);
http::Response restore_contact(State& state, Call& call);
/// POST /crm/v3/objects/contacts/batch/read.
http::Response api_batch_read(State& state, Call& call);

}  // namespace tenantsync::sim::hubspot
