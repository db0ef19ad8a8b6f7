// CRM connections and their syncs: connect (validate, store encrypted, first sync in the
// background), status, the Refresh CRM button, disconnect, and the external cron endpoint.
#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/time_format.hpp"
#include "sync/engine.hpp"

namespace tenantsync::api {
namespace {

Json connection_json(Services& s, const store::CrmConnection& c) {
  std::string state = c.state;
  if (c.active) {
    auto latest = s.store.latest_run(c.tenant_id, sync::crm_target(c.id));
    if (latest.ok() && latest->has_value() && !sync::is_terminal((*latest)->state)) state = "syncing";
  }
  Json last = nullptr;
  if (c.last_sync_at_ms) {
    last = {{"at", time_or_null(c.last_sync_at_ms)},
            {"created", c.last_sync_created},
            {"updated", c.last_sync_updated},
            {"unchanged", c.last_sync_unchanged},
            {"error", c.last_sync_error.empty() ? Json(nullptr) : Json(c.last_sync_error)}};
  }
  return {{"id", c.id},
          {"provider", c.provider},
          {"account_id", c.provider_account_id},
          {"auth_kind", c.auth_kind},
          {"active", c.active},
          {"state", state},
          {"state_message", c.state_message},
          {"rate_limited_until", time_or_null(c.rate_limited_until_ms)},
          {"last_sync", last},
          {"next_sync_at", c.active && s.engine && s.engine->options().next_crm_sync
                               ? time_or_null(s.engine->options().next_crm_sync())
                               : Json(nullptr)},
          {"created_at", time_or_null(c.created_at_ms)}};
}

// The result of one connection's run, as the Refresh CRM button and the cron endpoint show it.
Json result_json(const store::CrmConnection& c, const store::SyncRun& run) {
  const Json leads = Json::parse(run.counts_json.empty() ? "{}" : run.counts_json, nullptr, false)
                         .value("leads", Json::object());
  Json out{{"connection_id", c.id},
           {"tenant_id", c.tenant_id},
           {"provider", c.provider},
           {"run_id", run.id},
           {"state", run.state},
           {"created", leads.value("created", 0)},
           {"updated", leads.value("updated", 0)},
           {"unchanged", leads.value("unchanged", 0)}};
  out["error"] =
      run.error_code.empty() ? Json(nullptr) : Json{{"code", run.error_code}, {"message", run.error_message}};
  return out;
}

// Queues a run for every connection, then waits for all of them (the engine's workers bound
// how many run at once).
Json sync_connections(Services& s, const std::vector<store::CrmConnection>& connections,
                      const std::string& trigger) {
  auto& engine = engine_of(s);
  std::vector<std::pair<store::CrmConnection, std::int64_t>> runs;
  Json results = Json::array();
  for (const auto& c : connections) {
    auto ticket = engine.request(c.tenant_id, sync::crm_target(c.id), trigger);
    if (!ticket.ok()) {
      results.push_back({{"connection_id", c.id},
                         {"provider", c.provider},
                         {"error", {{"code", ticket.error().code}, {"message", ticket.error().message}}}});
      continue;
    }
    runs.emplace_back(c, ticket->run.id);
  }
  const auto deadline = std::chrono::steady_clock::now() + s.options.sync_wait;
  for (const auto& [c, run_id] : runs) {
    const auto left = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    auto run = engine.wait(c.tenant_id, run_id, left);
    if (!run.ok()) throw_error(run.error());
    results.push_back(result_json(c, *run));
  }
  return results;
}

store::CrmConnection connection_or_404(Services& s, std::int64_t tenant_id, const std::string& id_text) {
  std::int64_t id = 0;
  try {
    id = std::stoll(id_text);
  } catch (const std::exception&) {
    throw ApiError(404, "not_found", "No such CRM connection.");
  }
  auto c = s.store.find_crm_connection(tenant_id, id);
  if (!c.ok()) throw_error(c.error());
  if (!c->has_value()) throw ApiError(404, "not_found", "No such CRM connection.");
  return **c;
}

}  // namespace

void add_crm_routes(Router& router, Services& s) {
  router.add(
      {"POST", "/api/crm/connect", Access::user, [&s](RequestContext& ctx) {
         auto& engine = engine_of(s);
         const Json body = parse_object_body(ctx.request);
         const std::string provider = require_string(body, "provider");
         if (provider != "hubspot" && provider != "salesforce")
           throw ApiError(422, "validation_failed", "The field \"provider\" must be hubspot or salesforce.");
         store::CrmConnection draft;
         draft.tenant_id = ctx.session.tenant_id;
         draft.provider = provider;
         draft.instance_url = optional_string(body, "instance_url").value_or("");
         Json credentials = Json::object();
         if (auto nango = optional_string(body, "nango_connection_id"); nango && !nango->empty()) {
           draft.auth_kind = "nango";
           draft.nango_connection_id = *nango;
           draft.provider_config_key = optional_string(body, "provider_config_key").value_or(provider);
         } else if (auto token = optional_string(body, "access_token"); token && !token->empty()) {
           draft.auth_kind = "access_token";
           credentials["access_token"] = *token;
         } else if (auto refresh = optional_string(body, "refresh_token"); refresh && !refresh->empty()) {
           draft.auth_kind = "refresh_token";
           credentials["refresh_token"] = *refresh;
         } else {
           throw ApiError(422, "validation_failed",
                          "Give one of \"nango_connection_id\", \"access_token\" or \"refresh_token\".");
         }
         if (provider == "salesforce" && draft.auth_kind == "access_token" && draft.instance_url.empty())
           throw ApiError(422, "validation_failed",
                          "The field \"instance_url\" is needed for a Salesforce access token.");
         if (!draft.instance_url.empty()) credentials["instance_url"] = draft.instance_url;

         auto session =
             engine.connectors().crm(draft, credentials.empty() ? "" : credentials.dump(), nullptr);
         if (!session.ok()) throw ApiError(422, "credentials_rejected", session.error().message);
         auto account = (*session)->client().get_account();
         if (!account.ok()) {
           const auto& e = account.error();
           if (e.code.starts_with("upstream_") && e.code != "upstream_not_found")
             throw ApiError(502, e.code,
                            "The CRM could not be reached to check the credentials: " + e.message);
           throw ApiError(422, "credentials_rejected", e.message);
         }
         draft.provider_account_id = account->id;
         const std::string rotated = (*session)->updated_credentials_json();
         if (draft.auth_kind != "nango")
           draft.credentials_cipher = s.secrets.seal(rotated.empty() ? credentials.dump() : rotated);
         auto saved = s.store.upsert_crm_connection(draft, to_epoch_ms(s.clock.now()));
         if (!saved.ok()) throw_error(saved.error());
         spdlog::info("event=crm_connected tenant_id={} connection_id={} provider={} account_id={} auth={}",
                      ctx.session.tenant_id, saved->id, provider, saved->provider_account_id,
                      saved->auth_kind);
         auto ticket = engine.request(ctx.session.tenant_id, sync::crm_target(saved->id), "crm_connect");
         if (!ticket.ok()) throw_error(ticket.error());
         return json_response(202,
                              Json{{"connection", connection_json(s, *saved)}, {"run_id", ticket->run.id}});
       }});

  router.add({"GET", "/api/crm/status", Access::user, [&s](RequestContext& ctx) {
                auto list = s.store.list_crm_connections(ctx.session.tenant_id);
                if (!list.ok()) throw_error(list.error());
                Json items = Json::array();
                for (const auto& c : *list) items.push_back(connection_json(s, c));
                return json_response(200, Json{{"connections", items}});
              }});

  router.add({"POST", "/api/crm/sync", Access::user, [&s](RequestContext& ctx) {
                auto list = s.store.list_crm_connections(ctx.session.tenant_id);
                if (!list.ok()) throw_error(list.error());
                std::vector<store::CrmConnection> active;
                for (const auto& c : *list)
                  if (c.active) active.push_back(c);
                const Json results = sync_connections(s, active, "manual");
                bool success = true;
                for (const auto& r : results)
                  if (!r["error"].is_null() || r.value("state", "") != "succeeded") success = false;
                return json_response(200, Json{{"success", success}, {"results", results}});
              }});

  router.add(
      {"DELETE", "/api/crm/connections/{id}", Access::user, [&s](RequestContext& ctx) {
         const auto c = connection_or_404(s, ctx.session.tenant_id, ctx.param("id"));
         auto done =
             s.store.deactivate_crm_connection(ctx.session.tenant_id, c.id, to_epoch_ms(s.clock.now()));
         if (!done.ok()) throw_error(done.error());
         spdlog::info("event=crm_disconnected tenant_id={} connection_id={}", ctx.session.tenant_id, c.id);
         http::Response res;
         res.status = 204;
         return res;
       }});

  router.add({"GET", "/api/cron/sync-crm", Access::cron, [&s](RequestContext&) {
                auto list = s.store.list_active_crm_connections();
                if (!list.ok()) throw_error(list.error());
                const Json results = sync_connections(s, *list, "cron");
                int failed = 0;
                for (const auto& r : results)
                  if (!r["error"].is_null()) ++failed;
                spdlog::info("event=cron_sync_crm connections={} failed={}", results.size(), failed);
                return json_response(200, Json{{"success", failed == 0},
                                               {"connections", results.size()},
                                               {"failed", failed},
                                               {"results", results}});
              }});
}

}  // namespace tenantsync::api
