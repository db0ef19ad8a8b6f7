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
/// GET /api/openapi.json (openapi.hpp).
void add_openapi_routes(Router& router);
void add_auth_routes(Router& router, Services& services);
/// GET /api/tenant/settings also shows the tenant's call-webhook URL (`hooks`); POST
/// /api/tenant/call-webhook/agents points the agents at it (`agent_webhooks`).
void add_settings_routes(Router& router, service::SettingsService& settings, service::HookService& hooks,
                         service::AgentWebhookService& agent_webhooks, LongWork& work);
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
/// The change feed (GET /api/changes).
void add_changes_routes(Router& router, store::ChangeFeedStore& feed);
/// Outbound webhooks (/api/webhooks...).
void add_webhooks_routes(Router& router, service::WebhookService& webhooks);

/// The team: members, roles, invitations, and deleting the tenant (team_routes.cpp).
void add_team_routes(Router& router, Services& services);
/// GET /api/audit (audit_routes.cpp).
void add_audit_routes(Router& router, store::AuditStore& audit);
/// CSV and JSON Lines exports of leads and calls, streamed (export_routes.cpp).
void add_export_routes(Router& router, service::LeadService& leads, service::CallService& calls);

/// The session of the request's bearer token; 401 when there is none or it is invalid. Signed-in
/// routes get it before their handler (Api::dispatch); an open route that also serves a signed-in
/// caller (accepting an invitation with one's login) asks for it itself.
store::AuthSession authenticate(const Services& s, const http::Request& request);

/// Issues a bearer token for the user and answers with it: the shape sign-up, login and an
/// accepted invitation share (auth_routes.cpp).
http::Response session_response(Services& s, int status, TenantId tenant_id, UserId user_id,
                                const std::string& email);

/// The filters of GET /api/leads (and its export) from the query string (leads_routes.cpp).
store::LeadQuery lead_query(const http::Request& request);
/// The filters of GET /api/executions (and its export) from the query string (calls_routes.cpp).
store::CallQuery call_query(const http::Request& request);

/// A lead as the API shows it.
Json lead_json(const store::Lead& lead);
/// A mirror row (agent, phone number, campaign, execution) as the API shows it.
Json mirror_item_json(const store::MirrorItem& item);
/// An execution as the call log shows it (calls_routes.cpp).
Json call_json(const store::CallRow& call);

}  // namespace tenantsync::api
