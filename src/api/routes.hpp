#pragma once
// Route files: each adds one area's routes to the router.
#include "api/json.hpp"
#include "api/long_work.hpp"
#include "api/router.hpp"
#include "api/services.hpp"
#include "api/tenant_slots.hpp"
#include "service/use_cases.hpp"
#include "sync/event_bus.hpp"

namespace tenantsync::api {

/// Every route of the API. `work` runs long work off the request threads; `streams` counts each
/// tenant's open event streams.
void add_core_routes(Router& router, Services& services, LongWork& work, TenantSlots& streams);

// Each route file takes what its routes read (store areas) and do (use cases).
void add_ops_routes(Router& router, store::StoreHealth& health, Metrics& metrics);
void add_auth_routes(Router& router, Services& services);
/// GET /api/tenant/settings also shows the tenant's call-webhook URL (`hooks`).
void add_settings_routes(Router& router, service::SettingsService& settings, service::HookService& hooks,
                         LongWork& work);
/// Webhooks in (/hooks/bolna/{token}, /hooks/hubspot), the hook token's rotation; their counters in /metrics.
void add_hooks_routes(Router& router, service::HookService& hooks, Metrics& metrics);
void add_sync_routes(Router& router, store::RunHistory& runs, store::MirrorStore& mirror,
                     service::RunService& sync, LongWork& work);
void add_mirror_routes(Router& router, store::MirrorStore& mirror, service::ArchiveService& archive);
/// Without the engine's events (null) GET /api/events answers 503.
void add_events_routes(Router& router, sync::EventBus* events, TenantSlots& streams);
void add_crm_routes(Router& router, service::CrmService& crm, LongWork& work);
void add_leads_routes(Router& router, service::LeadService& leads, service::CallService& calls);
/// The call log (GET /api/executions, /api/executions/{id}) and the agent and campaign pages.
void add_calls_routes(Router& router, store::CallStore& calls, store::MirrorStore& mirror,
                      service::CallService& service, LongWork& work);
/// Aggregates for the dashboard's charts (GET /api/stats/...).
void add_stats_routes(Router& router, store::CallStore& calls, store::LeadStore& leads, const Clock& clock);

/// A lead as the API shows it.
Json lead_json(const store::Lead& lead);
/// A mirror row (agent, phone number, campaign, execution) as the API shows it.
Json mirror_item_json(const store::MirrorItem& item);
/// An execution as the call log shows it (calls_routes.cpp).
Json call_json(const store::CallRow& call);

}  // namespace tenantsync::api
