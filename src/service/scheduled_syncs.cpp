#include "service/scheduled_syncs.hpp"

#include "sync/engine.hpp"

namespace tenantsync::service {

void ScheduledSyncs::queue_voice_runs() {
  auto tenants = accounts_.list_tenants();
  if (!tenants.ok()) return;
  for (const auto& t : *tenants) {
    auto settings = settings_.get_settings(t.id);
    if (settings.ok() && !settings->voice_api_key_cipher.empty())
      (void)engine_.request(t.id, core::RunTarget::voice(), core::RunTrigger::schedule);
  }
}

void ScheduledSyncs::queue_crm_runs() {
  auto connections = connections_.list_active_crm_connections();
  if (!connections.ok()) return;
  for (const auto& c : *connections)
    (void)engine_.request(c.tenant_id, core::RunTarget::crm(ConnectionId(c.id)), core::RunTrigger::schedule);
}

}  // namespace tenantsync::service
