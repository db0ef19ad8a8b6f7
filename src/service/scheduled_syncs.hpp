#pragma once
// What the built-in schedules do at each tick: a voice run for every tenant with a key, a CRM
// run for every active connection (runs already queued or running are joined, not doubled).
#include "store/account_store.hpp"
#include "store/crm_connection_store.hpp"
#include "store/settings_store.hpp"

namespace tenantsync::sync {
class SyncEngine;
}

namespace tenantsync::service {

class ScheduledSyncs {
 public:
  ScheduledSyncs(store::AccountStore& accounts, store::SettingsStore& settings,
                 store::CrmConnectionStore& connections, sync::SyncEngine& engine)
      : accounts_(accounts), settings_(settings), connections_(connections), engine_(engine) {}

  void queue_voice_runs();
  void queue_crm_runs();

 private:
  store::AccountStore& accounts_;
  store::SettingsStore& settings_;
  store::CrmConnectionStore& connections_;
  sync::SyncEngine& engine_;
};

}  // namespace tenantsync::service
