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

}  // namespace

void add_settings_routes(Router& router, service::SettingsService& settings, service::HookService& hooks,
                         LongWork& work) {
  router.add({"GET", "/api/tenant/settings", Access::user, [&settings, &hooks](RequestContext& ctx) {
                auto current = settings.get(ctx.session.tenant_id);
                if (!current.ok()) throw_error(current.error());
                auto url = hooks.call_webhook_url(ctx.session.tenant_id, std::string(ctx.request.header("host")));
                if (!url.ok()) throw_error(url.error());
                Json answer = settings_json(*current);
                answer["call_webhook_url"] = *url;
                return json_response(200, answer);
              }});

  router.add({"PUT", "/api/tenant/settings", Access::user, [&settings, &work](RequestContext& ctx) {
                const service::SettingsChange change = parse_settings_body(ctx.request.body);
                auto save = [&settings, tenant_id = ctx.session.tenant_id, change] {
                  auto saved = settings.save(tenant_id, change);
                  if (!saved.ok()) throw_error(saved.error());
                  // The platform could not be asked about the key: nothing was saved.
                  if (saved->unreachable)
                    throw ApiError(502, saved->unreachable->code, saved->unreachable->message);
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
}

}  // namespace tenantsync::api
