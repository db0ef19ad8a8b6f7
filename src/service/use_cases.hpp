#pragma once
// The application's use cases, wired once: what a person can ask tenantsync to do, each as a
// plain function call that the API's route files wrap (parse the request, call, render).
//
// This is its own module, `service`, between the API and the engine: a use case combines the
// store, the secret box, the upstream connectors and the sync engine, while `sync` stays the
// engine (runs, jobs, leases) and `api` stays HTTP. Links: core, crypto, store, sync, upstream.
#include "core/clock.hpp"
#include "crypto/crypto.hpp"
#include "service/agent_webhooks.hpp"
#include "service/archive_service.hpp"
#include "service/call_service.hpp"
#include "service/crm_service.hpp"
#include "service/hook_service.hpp"
#include "service/lead_service.hpp"
#include "service/options.hpp"
#include "service/run_service.hpp"
#include "service/settings_service.hpp"
#include "service/sync_runs.hpp"
#include "service/team_service.hpp"
#include "service/webhook_service.hpp"
#include "store/call_store.hpp"
#include "store/crm_connection_store.hpp"
#include "store/hook_store.hpp"
#include "store/lead_store.hpp"
#include "store/mirror_store.hpp"
#include "store/run_history.hpp"
#include "store/settings_store.hpp"
#include "store/team_store.hpp"
#include "store/webhook_store.hpp"
#include "sync/connectors.hpp"

namespace tenantsync::store {
class Store;
}

namespace tenantsync::sync {
class SyncEngine;
}

namespace tenantsync::service {

/// What the use cases need from outside.
struct Wiring {
  store::SettingsStore& settings;
  store::MirrorStore& mirror;
  store::RunHistory& runs;
  store::CrmConnectionStore& crm;
  store::LeadStore& leads;
  store::CallStore& calls;
  store::TeamStore& team;
  store::WebhookStore& webhooks;
  store::HookStore& hooks;
  const Clock& clock;
  const crypto::SecretBox& secrets;
  sync::Connectors& connectors;
  /// Null in a server without the sync engine: use cases that start runs then fail with
  /// "sync_unavailable", and saved keys are not checked.
  sync::SyncEngine* engine = nullptr;
  /// The dashboards' live events (an execution a webhook brought); null: none are sent.
  sync::EventBus* events = nullptr;

  /// Every store area from the one Store.
  static Wiring of(store::Store& store, const Clock& clock, const crypto::SecretBox& secrets,
                   sync::Connectors& connectors, sync::SyncEngine* engine, sync::EventBus* events = nullptr);
};

class UseCases {
 public:
  UseCases(const Wiring& wiring, UseCaseOptions options);

  SyncRuns syncs;  ///< first: the use cases below share it

  SettingsService settings;
  CrmService crm;
  LeadService leads;
  RunService runs;
  ArchiveService archive;
  CallService calls;
  TeamService team;
  WebhookService webhooks;
  HookService hooks;
  AgentWebhookService agent_webhooks;  ///< after hooks: it asks hooks for the URL
};

}  // namespace tenantsync::service
