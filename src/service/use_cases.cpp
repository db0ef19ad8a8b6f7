#include "service/use_cases.hpp"

#include "store/store.hpp"

namespace tenantsync::service {

Wiring Wiring::of(store::Store& store, const Clock& clock, const crypto::SecretBox& secrets,
                  sync::Connectors& connectors, sync::SyncEngine* engine, sync::EventBus* events) {
  return Wiring{store, store, store, store, store, store, store, store, store, clock, secrets, connectors,
                engine, events};
}

UseCases::UseCases(const Wiring& w, UseCaseOptions options)
    : syncs(w.engine, options),
      settings(w.settings, w.secrets, w.connectors, w.clock, syncs, options),
      crm(w.crm, w.runs, w.secrets, w.connectors, w.clock, syncs, options),
      leads(w.leads, w.settings, w.crm, w.runs, w.clock),
      runs(w.runs, w.clock, syncs),
      archive(w.mirror, w.clock),
      calls(w.calls, w.leads, w.settings, w.secrets, w.connectors, w.clock),
      team(w.team, w.clock),
      webhooks(w.webhooks, w.secrets, w.connectors.outbound_policy(), w.clock, options.webhooks),
      hooks(w.hooks, w.settings, w.crm, w.secrets, w.clock, syncs, options.hooks, w.events),
      agent_webhooks(w.settings, w.secrets, w.connectors, hooks, w.clock) {}

}  // namespace tenantsync::service
