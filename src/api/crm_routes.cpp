// CRM connections and their syncs: connect, status, the Refresh CRM button, disconnect, and
// the external cron endpoint. The use cases are service::CrmService's; here they are parsed
// and rendered.
#include "api/json.hpp"
#include "api/long_work.hpp"
#include "api/request_bodies.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/time_format.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

Json connection_json(const service::ConnectionStatus& status) {
  const store::CrmConnection& c = status.connection;
  Json last = nullptr;
  if (c.last_sync_at_ms) {
    last = {{"at", time_or_null(c.last_sync_at_ms)},
            {"created", c.last_sync_created},
            {"updated", c.last_sync_updated},
            {"unchanged", c.last_sync_unchanged},
            {"error", c.last_sync_error.empty() ? Json(nullptr) : Json(c.last_sync_error)}};
  }
  return {{"id", c.id},
          {"provider", core::to_string(c.provider)},
          {"account_id", c.provider_account_id},
          {"auth_kind", core::to_string(c.auth_kind)},
          {"active", c.active},
          {"state", core::to_string(status.state)},
          {"state_message", c.state_message},
          {"rate_limited_until", time_or_null(c.rate_limited_until_ms)},
          {"last_sync", last},
          {"next_sync_at", status.next_sync_at ? Json(format_iso8601(*status.next_sync_at)) : Json(nullptr)},
          {"created_at", time_or_null(c.created_at_ms)}};
}

// The result of one connection's run, as the Refresh CRM button and the cron endpoint show it.
Json result_json(const service::ConnectionSync& sync) {
  const store::CrmConnection& c = sync.connection;
  if (sync.error) {
    return {{"connection_id", c.id},
            {"provider", core::to_string(c.provider)},
            {"error", {{"code", sync.error->code}, {"message", sync.error->message}}}};
  }
  const store::SyncRun& run = *sync.run;
  const Json leads = Json::parse(run.counts_json.empty() ? "{}" : run.counts_json, nullptr, false)
                         .value("leads", Json::object());
  Json out{{"connection_id", c.id},
           {"tenant_id", c.tenant_id},
           {"provider", core::to_string(c.provider)},
           {"run_id", run.id},
           {"state", core::to_string(run.state)},
           {"created", leads.value("created", 0)},
           {"updated", leads.value("updated", 0)},
           {"unchanged", leads.value("unchanged", 0)}};
  out["error"] =
      run.error_code ? Json{{"code", *run.error_code}, {"message", run.error_message}} : Json(nullptr);
  return out;
}

Json results_json(const std::vector<service::ConnectionSync>& syncs) {
  Json results = Json::array();
  for (const auto& sync : syncs) results.push_back(result_json(sync));
  return results;
}

Json refresh_json(const std::vector<service::ConnectionSync>& syncs) {
  const Json results = results_json(syncs);
  bool success = true;
  for (const auto& r : results)
    if (!r["error"].is_null() || r.value("state", "") != "succeeded") success = false;
  return Json{{"success", success}, {"results", results}};
}

Json cron_json(const std::vector<service::ConnectionSync>& syncs) {
  const Json results = results_json(syncs);
  int failed = 0;
  for (const auto& r : results)
    if (!r["error"].is_null()) ++failed;
  return Json{
      {"success", failed == 0}, {"connections", results.size()}, {"failed", failed}, {"results", results}};
}

// Waits for the queued runs off the request threads and renders them; when every waiter is busy,
// renders them at once as queued.
http::Response answer_when_done(LongWork& work, service::CrmService& crm,
                                std::vector<service::ConnectionSync> queued,
                                Json (*render)(const std::vector<service::ConnectionSync>&)) {
  return work.wait_or_answer_now(
      [&crm, queued, render] {
        auto synced = crm.wait_for(queued);
        if (!synced.ok()) throw_error(synced.error());
        return json_response(200, render(*synced));
      },
      [queued, render] { return json_response(200, render(queued)); });
}

ConnectionId connection_id(const std::string& id_text) {
  try {
    return ConnectionId{std::stoll(id_text)};
  } catch (const std::exception&) {
    throw ApiError(404, core::ErrorCode::not_found, "No such CRM connection.");
  }
}

}  // namespace

void add_crm_routes(Router& router, service::CrmService& crm, LongWork& work) {
  router.add({"POST", "/api/crm/connect", Access::admin, [&crm, &work](RequestContext& ctx) {
                const service::ConnectCrm request = parse_connect_crm_body(ctx.request.body);
                // The credentials are checked at the CRM: off the request threads.
                return work.check(ctx.session.tenant_id, [&crm, tenant_id = ctx.session.tenant_id, request,
                                                          auditor = ctx.auditor] {
                  auto connected = crm.connect(tenant_id, request);
                  if (!connected.ok()) throw_error(connected.error());
                  // The CRM could not be asked about the credentials: nothing was saved.
                  if (connected->unreachable)
                    throw ApiError(502, connected->unreachable->code, connected->unreachable->message);
                  auditor.record("crm_connected", {{"connection_id", connected->connection.connection.id},
                                                   {"provider", core::to_string(connected->connection.connection.provider)}});
                  return json_response(202, Json{{"connection", connection_json(connected->connection)},
                                                 {"run_id", connected->run_id}});
                });
              }});

  // A Nango connect session for Connect UI in the browser; the connection it creates names this
  // tenant, which is what POST /api/crm/connect checks.
  router.add({"POST", "/api/crm/connect-session", Access::admin, [&crm](RequestContext& ctx) {
                const service::ConnectSessionRequest request = parse_connect_session_body(ctx.request.body);
                auto session = crm.create_connect_session(ctx.session.tenant_id, request);
                if (!session.ok()) throw_error(session.error());
                return json_response(
                    201, Json{{"token", session->token},
                              {"expires_at",
                               session->expires_at_ms ? time_or_null(session->expires_at_ms) : Json(nullptr)},
                              {"connect_url", session->connect_url},
                              {"api_url", session->api_url},
                              {"provider_config_key", session->provider_config_key}});
              }});

  router.add({"GET", "/api/crm/status", Access::viewer, [&crm](RequestContext& ctx) {
                auto list = crm.status(ctx.session.tenant_id);
                if (!list.ok()) throw_error(list.error());
                Json items = Json::array();
                for (const auto& c : *list) items.push_back(connection_json(c));
                return json_response(200, Json{{"connections", items}});
              }});

  router.add({"POST", "/api/crm/sync", Access::member, [&crm, &work](RequestContext& ctx) {
                auto queued = crm.start_sync_now(ctx.session.tenant_id);
                if (!queued.ok()) throw_error(queued.error());
                return answer_when_done(work, crm, std::move(queued).value(), refresh_json);
              }});

  router.add({"DELETE", "/api/crm/connections/{id}", Access::admin, [&crm](RequestContext& ctx) {
                const ConnectionId id = connection_id(ctx.param("id"));
                auto done = crm.disconnect(ctx.session.tenant_id, id);
                if (!done.ok()) throw_error(done.error());
                ctx.auditor.record("crm_disconnected", {{"connection_id", id}});
                http::Response res;
                res.status = 204;
                return res;
              }});

  router.add({"GET", "/api/cron/sync-crm", Access::cron, [&crm, &work](RequestContext&) {
                auto queued = crm.start_sync_all();
                if (!queued.ok()) throw_error(queued.error());
                return answer_when_done(work, crm, std::move(queued).value(), cron_json);
              }});
}

}  // namespace tenantsync::api
