#pragma once
// The store areas the sync engine works with, passed as one bundle so the engine and its run
// executors name what they use (and nothing reaches accounts or tokens).
#include "store/crm_connection_store.hpp"
#include "store/lead_store.hpp"
#include "store/mirror_store.hpp"
#include "store/run_history.hpp"
#include "store/run_queue.hpp"
#include "store/settings_store.hpp"

namespace tenantsync::store {
class Store;
}

namespace tenantsync::sync {

struct SyncStores {
  store::RunQueue& queue;          ///< requests, claims, leases, progress, outcomes, the sweep
  store::RunHistory& history;      ///< the run being executed, confirmations, the login check
  store::SettingsStore& settings;  ///< the voice key and the tenant's region
  store::MirrorStore& mirror;      ///< the voice mirror a run reads and writes
  store::CrmConnectionStore& crm;  ///< the connection a CRM run syncs
  store::LeadStore& leads;         ///< the leads a CRM run writes

  /// Every area from the one Store (wiring and tests).
  static SyncStores of(store::Store& store);
};

}  // namespace tenantsync::sync
