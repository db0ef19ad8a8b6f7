#pragma once
// Pointing a tenant's agents at its call-webhook URL, and away again: the one change tenantsync
// makes upstream, and only on a person's explicit consent. Each agent's webhook_url is set (or
// removed) through the voice platform's API; an agent that sends its calls somewhere else keeps
// that URL unless the person asked to replace it, so nobody's own integration is cut off unseen.
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "service/hook_service.hpp"
#include "store/settings_store.hpp"
#include "sync/connectors.hpp"

namespace tenantsync::service {

struct AgentWebhookChange {
  bool enabled = true;          ///< true: send calls here; false: stop
  bool replace_others = false;  ///< also replace webhook URLs that point elsewhere
};

/// What happened to one agent.
struct AgentWebhookOutcome {
  std::string agent_id;
  std::string name;
  /// set | already_set | replaced | kept_other | cleared | not_set | failed
  std::string outcome;
  std::string previous_url;  ///< another URL the agent had (kept_other, replaced)
  std::string message;       ///< why it failed
};

struct AgentWebhookReport {
  std::string call_webhook_url;
  bool enabled = true;
  std::vector<AgentWebhookOutcome> agents;
  int changed = 0;     ///< set, replaced, cleared
  int unchanged = 0;   ///< already_set, not_set
  int kept_other = 0;
  int failed = 0;
};

class AgentWebhookService {
 public:
  AgentWebhookService(store::SettingsStore& settings, const crypto::SecretBox& secrets,
                      sync::Connectors& connectors, HookService& hooks, const Clock& clock);

  /// Lists the account's agents and sets or removes each one's webhook_url. `host`: the request's
  /// Host header, for the URL when no public URL is configured. Errors: validation_failed (no key
  /// saved), the listing's (key_rejected, upstream_unreachable, …), the store's; an agent the
  /// platform refused is a `failed` outcome, not an error.
  Result<AgentWebhookReport> point_agents(TenantId tenant_id, const AgentWebhookChange& change,
                                          const std::string& host);

  /// Agents changed per request: past it the rest are reported failed ("not tried").
  static constexpr std::size_t kMaxAgents = 1'000;
  /// The time one request may spend on the platform: past it the rest are reported failed.
  static constexpr std::chrono::seconds kTimeLimit{120};

 private:
  store::SettingsStore& settings_;
  const crypto::SecretBox& secrets_;
  sync::Connectors& connectors_;
  HookService& hooks_;
  const Clock& clock_;
};

}  // namespace tenantsync::service
