#include "service/use_cases.hpp"

#include "store/store.hpp"

namespace tenantsync::service {

Wiring Wiring::of(store::Store& store, const Clock& clock, const crypto::SecretBox& secrets,
                  sync::Connectors& connectors, sync::SyncEngine* engine) {
  return Wiring{store, store, store, store, store, clock, secrets, connectors, engine};
}

UseCases::UseCases(const Wiring& w, UseCaseOptions options)
    : settings(w.settings, w.secrets, w.connectors, w.clock, w.engine, options),
      crm(w.crm, w.runs, w.secrets, w.connectors, w.clock, w.engine, options),
      leads(w.leads, w.settings, w.clock),
      runs(w.runs, w.clock, w.engine, options),
      archive(w.mirror, w.clock) {}

}  // namespace tenantsync::service
