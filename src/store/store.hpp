#pragma once
// The Store: every read and write of tenantsync's own data, as one aggregate of small area
// interfaces. Consumers depend on the areas they use (a voice sync on MirrorStore, the
// scheduler on RunQueue, …); only wiring (src/app/) and the shared suite see the whole Store.
// Two backends (SQLite by default, PostgreSQL for many instances) share one implementation,
// SqlStore, and one test suite (tests/support/store_suite.cpp) that runs every area against both.
//
//   area                  header                    what
//   StoreHealth           store_health.hpp          backend name, ping (/readyz)
//   AccountStore          account_store.hpp         tenants, users, bearer tokens
//   SettingsStore         settings_store.hpp        the voice key, URL, account, region
//   MirrorStore           mirror_store.hpp          the voice mirror, archive, counts, cursors
//   RunQueue              run_queue.hpp             requests, jobs and their lease, ticks
//   RunHistory            run_history.hpp           runs as people see them; confirm, cancel
//   CrmConnectionStore    crm_connection_store.hpp  CRM connections, credentials, states
//   LeadStore             lead_store.hpp            leads from CRMs and by hand
//   CallStore             call_store.hpp            the call log, call details, chart aggregates
//   SealedSecretStore     sealed_secret_store.hpp   every sealed secret (secret key rotation)
//   TeamStore             team_store.hpp            members, roles, invitations, tenant erasure
//   AuditStore            audit_store.hpp           the audit log (append-only)
//   ChangeFeedStore       change_feed_store.hpp     the change feed (written by triggers), pruning
//   WebhookStore          webhook_store.hpp         outbound webhooks, their deliveries and lease
//   HookStore             hook_store.hpp            webhook tokens, pushed executions, HubSpot events
//
// Rules every implementation keeps:
//  - every query on tenant data filters on tenant_id (tenant isolation);
//  - multi-row changes happen in one transaction, rolled back on any error;
//  - failures are values: Error{code, message}; codes: "db_error" (unexpected database
//    failure), "email_taken", "not_found", "conflict".
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/account_store.hpp"
#include "store/audit_store.hpp"
#include "store/call_store.hpp"
#include "store/change_feed_store.hpp"
#include "store/crm_connection_store.hpp"
#include "store/hook_store.hpp"
#include "store/lead_store.hpp"
#include "store/mirror_store.hpp"
#include "store/run_history.hpp"
#include "store/run_queue.hpp"
#include "store/sealed_secret_store.hpp"
#include "store/settings_store.hpp"
#include "store/store_health.hpp"
#include "store/team_store.hpp"
#include "store/webhook_store.hpp"

namespace tenantsync::store {

class Store : public StoreHealth,
              public AccountStore,
              public SettingsStore,
              public MirrorStore,
              public RunQueue,
              public RunHistory,
              public CrmConnectionStore,
              public LeadStore,
              public CallStore,
              public SealedSecretStore,
              public TeamStore,
              public AuditStore,
              public ChangeFeedStore,
              public WebhookStore,
              public HookStore {
 public:
  ~Store() override = default;

  /// Applies pending migrations (idempotent); returns how many were applied.
  virtual Result<int> migrate() = 0;
  /// Highest applied migration version (0 on an empty database).
  virtual Result<int> schema_version() = 0;
};

struct StoreOptions {
  int pool_size = 8;               ///< connections (PostgreSQL) / reader connections (SQLite)
  int busy_timeout_ms = 5000;      ///< SQLite busy timeout
  int acquire_timeout_ms = 10000;  ///< longest wait for a free connection before "db_error"
};

/// Opens "sqlite:PATH" (creating the file and its folder) or "postgresql://..." / "postgres://...".
/// Does not migrate. Errors: "bad_database_url", "db_error".
Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const StoreOptions& options = {});

}  // namespace tenantsync::store
