// Tenant settings: read them, and save them (validated, the key checked with the voice
// platform, a sync started) through service::SettingsService.
#include "api/json.hpp"
#include "api/long_work.hpp"
#include "api/request_bodies.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

Json settings_json(const store::TenantSettings& s) {
  return {{"voice_api_key_set", !s.voice_api_key_cipher.empty()},
          {"voice_key_last4", s.voice_key_last4},
          {"voice_base_url", s.voice_base_url},
          {"voice_account_id", s.voice_account_id},
          {"default_region", s.default_region}};
}

// The audit entries of a saved change: what changed, compared with what was there before. The key
// itself is never written, only its last four characters as the dashboard shows them.
void record_settings_change(const Auditor& auditor, const store::TenantSettings& before,
                            const service::SettingsChange& change, const store::TenantSettings& after) {
  if (change.voice_api_key) {
    if (change.voice_api_key->empty()) {
      if (!before.voice_key_last4.empty()) auditor.record("key_removed", {{"last4", before.voice_key_last4}});
    } else {
      auditor.record(before.voice_key_last4.empty() ? "key_set" : "key_changed",
                     {{"last4", after.voice_key_last4}, {"previous_last4", before.voice_key_last4}});
    }
  }
  if (change.voice_base_url && after.voice_base_url != before.voice_base_url)
    auditor.record("base_url_changed", {{"from", before.voice_base_url}, {"to", after.voice_base_url}});
  if (change.default_region && after.default_region != before.default_region)
    auditor.record("region_changed", {{"from", before.default_region}, {"to", after.default_region}});
}

Json agent_webhook_report_json(const service::AgentWebhookReport& report) {
  Json agents = Json::array();
  for (const auto& a : report.agents) {
    Json one = {{"agent_id", a.agent_id}, {"name", a.name}, {"outcome", a.outcome}};
    if (!a.previous_url.empty()) one["previous_url"] = a.previous_url;
    if (!a.message.empty()) one["message"] = a.message;
    agents.push_back(std::move(one));
  }
  return {{"call_webhook_url", report.call_webhook_url}, {"enabled", report.enabled},
          {"agents", std::move(agents)},                 {"changed", report.changed},
          {"unchanged", report.unchanged},               {"kept_other", report.kept_other},
          {"failed", report.failed}};
}

}  // namespace

void add_settings_routes(Router& router, service::SettingsService& settings, service::HookService& hooks,
                         service::AgentWebhookService& agent_webhooks, LongWork& work) {
  router.add({"GET", "/api/tenant/settings", Access::viewer, [&settings, &hooks](RequestContext& ctx) {
                auto current = settings.get(ctx.session.tenant_id);
                if (!current.ok()) throw_error(current.error());
                auto url = hooks.call_webhook_url(ctx.session.tenant_id, std::string(ctx.request.header("host")));
                if (!url.ok()) throw_error(url.error());
                Json answer = settings_json(*current);
                answer["call_webhook_url"] = *url;
                return json_response(200, answer);
              }});

  router.add({"PUT", "/api/tenant/settings", Access::admin, [&settings, &work](RequestContext& ctx) {
                const service::SettingsChange change = parse_settings_body(ctx.request.body);
                auto save = [&settings, tenant_id = ctx.session.tenant_id, change, auditor = ctx.auditor] {
                  auto before = settings.get(tenant_id);
                  if (!before.ok()) throw_error(before.error());
                  auto saved = settings.save(tenant_id, change);
                  if (!saved.ok()) throw_error(saved.error());
                  // The platform could not be asked about the key: nothing was saved.
                  if (saved->unreachable)
                    throw ApiError(502, saved->unreachable->code, saved->unreachable->message);
                  record_settings_change(auditor, *before, change, saved->settings);
                  Json answer = settings_json(saved->settings);
                  if (saved->sync) {
                    const store::SyncRun& r = *saved->sync;
                    answer["sync"] = {{"run_id", r.id},
                                      {"state", core::to_string(r.state)},
                                      {"result", sync_result(r).second}};
                  }
                  return json_response(200, answer);
                };
                // A new key or URL is checked at the voice platform (and a sync waited for): off
                // the request threads. Only the region: saved at once.
                if (!change.voice_api_key && !change.voice_base_url) return save();
                return work.check(ctx.session.tenant_id, std::move(save));
              }});

  // With the person's consent (the dashboard asks first): every agent's webhook_url through the
  // voice platform's API. Calls to the tenant's platform: off the request threads, one at a time.
  router.add({"POST", "/api/tenant/call-webhook/agents", Access::admin, [&agent_webhooks, &work](RequestContext& ctx) {
                const service::AgentWebhookChange change = parse_agent_webhooks_body(ctx.request.body);
                auto point = [&agent_webhooks, tenant_id = ctx.session.tenant_id, change,
                              host = std::string(ctx.request.header("host")), auditor = ctx.auditor] {
                  auto report = agent_webhooks.point_agents(tenant_id, change, host);
                  if (!report.ok()) throw_error(report.error());
                  auditor.record(change.enabled ? "call_webhook_agents_set" : "call_webhook_agents_cleared",
                                 {{"replace_others", change.replace_others},
                                  {"agents", report->agents.size()},
                                  {"changed", report->changed},
                                  {"kept_other", report->kept_other},
                                  {"failed", report->failed}});
                  return json_response(200, agent_webhook_report_json(*report));
                };
                return work.check(ctx.session.tenant_id, std::move(point));
              }});
}

}  // namespace tenantsync::api
