// The voice sync and its history: POST /api/tenant/sync (the ↻ button), the summary both the
// Settings card and the Dashboard read, and the run history with confirm/cancel of held runs.
#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/time_format.hpp"
#include "sync/engine.hpp"

namespace tenantsync::api {
namespace {

std::int64_t id_param(const RequestContext& ctx, const std::string& name) {
  const std::string& text = ctx.param(name);
  try {
    std::size_t used = 0;
    const auto id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw ApiError(404, "not_found", "No such " + name + ".");
}

store::SyncRun run_or_404(Services& s, std::int64_t tenant_id, std::int64_t run_id) {
  auto run = s.store.find_run(tenant_id, run_id);
  if (!run.ok()) throw_error(run.error());
  if (!run->has_value()) throw ApiError(404, "not_found", "No such run.");
  return **run;
}

Json summary_json(Services& s, std::int64_t tenant_id) {
  auto counts = s.store.count_mirror(tenant_id);
  if (!counts.ok()) throw_error(counts.error());
  auto latest = s.store.latest_run(tenant_id, sync::kVoiceTarget);
  if (!latest.ok()) throw_error(latest.error());
  auto finished = s.store.latest_finished_run(tenant_id, sync::kVoiceTarget);
  if (!finished.ok()) throw_error(finished.error());

  std::string state = "idle";
  Json running = nullptr;
  if (latest->has_value() && !sync::is_terminal((*latest)->state)) {
    state = "running";
    running = (*latest)->id;
  } else if (finished->has_value() && ((*finished)->state == "failed" || (*finished)->state == "held")) {
    state = (*finished)->state;
  }
  Json last = nullptr;
  if (finished->has_value()) {
    const auto& r = **finished;
    const Json run = run_json(r);
    int deleted = 0;
    for (const auto& [resource, c] : run["counts"].items())
      if (c.is_object()) deleted += c.value("archived", 0);
    last = {{"run_id", r.id},
            {"state", r.state},
            {"trigger", r.trigger},
            {"started_at", run["started_at"]},
            {"finished_at", run["finished_at"]},
            {"deleted", deleted},
            {"error", run["error"]},
            {"message", r.state == "succeeded" ? "Sync completed" : r.error_message}};
  }
  return {{"counts",
           {{"agents", counts->agents},
            {"phone_numbers", counts->phone_numbers},
            {"campaigns", counts->campaigns},
            {"executions", counts->executions},
            {"leads", counts->leads}}},
          {"last_sync", last},
          {"sync_state", state},
          {"running_run_id", running}};
}

}  // namespace

sync::SyncEngine& engine_of(Services& s) {
  if (s.engine == nullptr)
    throw ApiError(503, "sync_unavailable", "This server runs without the sync engine.");
  return *s.engine;
}

void add_sync_routes(Router& router, Services& s) {
  router.add({"POST", "/api/tenant/sync", Access::user, [&s](RequestContext& ctx) {
                auto& engine = engine_of(s);
                const Json body = ctx.request.body.empty() ? Json::object() : parse_object_body(ctx.request);
                const bool dry_run = optional_bool(body, "dry_run").value_or(false);
                const auto confirm_plan = optional_string(body, "confirm_plan");
                const std::int64_t tenant = ctx.session.tenant_id;
                std::int64_t run_id = 0;
                if (confirm_plan && !confirm_plan->empty()) {
                  // The plan a person saw belongs to the target's latest held run.
                  auto held = s.store.latest_finished_run(tenant, sync::kVoiceTarget);
                  if (!held.ok()) throw_error(held.error());
                  if (!held->has_value() || (*held)->state != "held" ||
                      run_json(**held)["plan_id"] != *confirm_plan) {
                    throw ApiError(
                        409, "plan_not_found",
                        "There is no held sync with that plan any more. Run the sync again to see the "
                        "current plan.");
                  }
                  auto run = engine.confirm(tenant, (*held)->id, *confirm_plan);
                  if (!run.ok()) throw_error(run.error());
                  run_id = run->id;
                } else {
                  auto ticket = engine.request(tenant, sync::kVoiceTarget, "manual", dry_run);
                  if (!ticket.ok()) throw_error(ticket.error());
                  run_id = ticket->run.id;
                }
                auto run = engine.wait(tenant, run_id, s.options.sync_wait);
                if (!run.ok()) throw_error(run.error());
                return sync_answer(*run);
              }});

  router.add({"GET", "/api/tenant/summary", Access::user, [&s](RequestContext& ctx) {
                return json_response(200, summary_json(s, ctx.session.tenant_id));
              }});

  router.add({"GET", "/api/sync/runs", Access::user, [&s](RequestContext& ctx) {
                const int limit = query_int(ctx.request, "limit", 20, 1, 100);
                auto runs = s.store.list_runs(ctx.session.tenant_id, limit + 1, query_cursor(ctx.request));
                if (!runs.ok()) throw_error(runs.error());
                Json items = Json::array();
                Json next = nullptr;
                for (std::size_t i = 0; i < runs->size(); ++i) {
                  if (static_cast<int>(i) == limit) {
                    const auto& last = (*runs)[i - 1];
                    next = encode_cursor({last.created_at_ms, last.id});
                    break;
                  }
                  items.push_back(run_json((*runs)[i]));
                }
                return json_response(200, Json{{"items", items}, {"next", next}});
              }});

  router.add({"GET", "/api/sync/runs/{id}", Access::user, [&s](RequestContext& ctx) {
                return json_response(
                    200, run_json(run_or_404(s, ctx.session.tenant_id, id_param(ctx, "id")), true));
              }});

  router.add({"POST", "/api/sync/runs/{id}/confirm", Access::user, [&s](RequestContext& ctx) {
                auto& engine = engine_of(s);
                const std::int64_t tenant = ctx.session.tenant_id;
                const auto held = run_or_404(s, tenant, id_param(ctx, "id"));
                if (held.state != "held")
                  throw ApiError(409, "conflict",
                                 "Only a held sync can be confirmed; this one is " + held.state + ".");
                const Json body = ctx.request.body.empty() ? Json::object() : parse_object_body(ctx.request);
                const std::string plan_id =
                    optional_string(body, "plan_id").value_or(run_json(held)["plan_id"].get<std::string>());
                auto run = engine.confirm(tenant, held.id, plan_id);
                if (!run.ok()) throw_error(run.error());
                auto done = engine.wait(tenant, run->id, s.options.sync_wait);
                if (!done.ok()) throw_error(done.error());
                return sync_answer(*done);
              }});

  router.add({"POST", "/api/sync/runs/{id}/cancel", Access::user, [&s](RequestContext& ctx) {
                auto run = s.store.cancel_run(ctx.session.tenant_id, id_param(ctx, "id"),
                                              to_epoch_ms(s.clock.now()));
                if (!run.ok()) throw_error(run.error());
                spdlog::info("event=run_cancelled run_id={} tenant_id={}", run->id, ctx.session.tenant_id);
                return json_response(200, run_json(*run, true));
              }});
}

}  // namespace tenantsync::api
