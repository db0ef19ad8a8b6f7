// The voice sync and its history: POST /api/tenant/sync (the ↻ button), the summary both the
// Settings card and the Dashboard read, and the run history with confirm/cancel of held runs.
#include "api/json.hpp"
#include "api/long_work.hpp"
#include "api/request_bodies.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/time_format.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

RunId id_param(const RequestContext& ctx, const std::string& name) {
  const std::string& text = ctx.param(name);
  try {
    std::size_t used = 0;
    const auto id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return RunId{id};
  } catch (const std::exception&) {
  }
  throw ApiError(404, core::ErrorCode::not_found, "No such " + name + ".");
}

store::SyncRun run_or_404(store::RunHistory& runs, TenantId tenant_id, RunId run_id) {
  auto run = runs.find_run(tenant_id, run_id);
  if (!run.ok()) throw_error(run.error());
  if (!run->has_value()) throw ApiError(404, core::ErrorCode::not_found, "No such run.");
  return **run;
}

Json summary_json(store::RunHistory& runs, store::MirrorStore& mirror, TenantId tenant_id) {
  auto counts = mirror.count_mirror(tenant_id);
  if (!counts.ok()) throw_error(counts.error());
  auto latest = runs.latest_run(tenant_id, core::RunTarget::voice());
  if (!latest.ok()) throw_error(latest.error());
  auto finished = runs.latest_finished_run(tenant_id, core::RunTarget::voice());
  if (!finished.ok()) throw_error(finished.error());

  std::string state = "idle";
  Json running = nullptr;
  if (latest->has_value() && !core::is_terminal((*latest)->state)) {
    state = "running";
    running = (*latest)->id;
  } else if (finished->has_value() &&
             ((*finished)->state == core::RunState::failed || (*finished)->state == core::RunState::held)) {
    state = core::to_string((*finished)->state);
  } else if (finished->has_value() && (*finished)->state == core::RunState::succeeded &&
             !resources_not_read(warnings_of(**finished)).empty()) {
    state = "warning";  // applied, but some resources were not read
  }
  Json last = nullptr;
  if (finished->has_value()) {
    const auto& r = **finished;
    const Json run = run_json(r);
    int deleted = 0;
    for (const auto& [resource, c] : run["counts"].items())
      if (c.is_object()) deleted += c.value("archived", 0);
    last = {{"run_id", r.id},
            {"state", core::to_string(r.state)},
            {"trigger", core::to_string(r.trigger)},
            {"started_at", run["started_at"]},
            {"finished_at", run["finished_at"]},
            {"deleted", deleted},
            {"error", run["error"]},
            {"message", r.state == core::RunState::succeeded ? completed_message(r) : r.error_message},
            {"not_read", resources_not_read(run["warnings"])}};
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

// The answer once the started run ended, or as it is when the sync wait passed; waited for off
// the request threads, or, when all waiters are busy, the run as it started (202, still queued).
http::Response answer_when_done(LongWork& work, service::RunService& sync, const store::SyncRun& started) {
  return work.wait_or_answer_now(
      [&sync, tenant_id = started.tenant_id, run_id = started.id] {
        auto run = sync.wait(tenant_id, run_id);
        if (!run.ok()) throw_error(run.error());
        return sync_answer(*run);
      },
      [started] { return sync_answer(started); });
}

}  // namespace

void add_sync_routes(Router& router, store::RunHistory& runs, store::MirrorStore& mirror,
                     service::RunService& sync, LongWork& work) {
  router.add({"POST", "/api/tenant/sync", Access::member, [&sync, &work](RequestContext& ctx) {
                const auto [dry_run, confirm_plan] = parse_voice_sync_body(ctx.request.body);
                // Confirming a held plan is an admin's decision even on this member route: the
                // one check that depends on the body (docs/api.md, "Roles").
                if (confirm_plan) require_role(ctx, core::Role::admin);
                auto run = sync.start_voice_sync(ctx.session.tenant_id, dry_run, confirm_plan);
                if (!run.ok()) throw_error(run.error());
                if (confirm_plan) ctx.auditor.record("plan_confirmed", {{"plan_id", *confirm_plan}, {"run_id", run->id}});
                return answer_when_done(work, sync, *run);
              }});

  router.add({"GET", "/api/tenant/summary", Access::viewer, [&runs, &mirror](RequestContext& ctx) {
                return json_response(200, summary_json(runs, mirror, ctx.session.tenant_id));
              }});

  router.add({"GET", "/api/sync/runs", Access::viewer, [&runs](RequestContext& ctx) {
                const int limit = query_int(ctx.request, "limit", 20, 1, 100);
                auto page = runs.list_runs(ctx.session.tenant_id, limit + 1, query_cursor(ctx.request));
                if (!page.ok()) throw_error(page.error());
                Json items = Json::array();
                Json next = nullptr;
                for (std::size_t i = 0; i < page->size(); ++i) {
                  if (static_cast<int>(i) == limit) {
                    const auto& last = (*page)[i - 1];
                    next = encode_cursor({last.created_at_ms, last.id.value()});
                    break;
                  }
                  items.push_back(run_json((*page)[i]));
                }
                return json_response(200, Json{{"items", items}, {"next", next}});
              }});

  router.add({"GET", "/api/sync/runs/{id}", Access::viewer, [&runs](RequestContext& ctx) {
                return json_response(
                    200, run_json(run_or_404(runs, ctx.session.tenant_id, id_param(ctx, "id")), true));
              }});

  router.add({"POST", "/api/sync/runs/{id}/confirm", Access::admin, [&sync, &work](RequestContext& ctx) {
                const RunId run_id = id_param(ctx, "id");
                auto run =
                    sync.start_confirm(ctx.session.tenant_id, run_id, parse_confirm_body(ctx.request.body));
                if (!run.ok()) throw_error(run.error());
                ctx.auditor.record("plan_confirmed", {{"run_id", run_id}});
                return answer_when_done(work, sync, *run);
              }});

  router.add({"POST", "/api/sync/runs/{id}/cancel", Access::admin, [&sync](RequestContext& ctx) {
                const RunId run_id = id_param(ctx, "id");
                auto run = sync.cancel(ctx.session.tenant_id, run_id);
                if (!run.ok()) throw_error(run.error());
                ctx.auditor.record("plan_cancelled", {{"run_id", run_id}, {"state", core::to_string(run->state)}});
                return json_response(200, run_json(*run, true));
              }});
}

}  // namespace tenantsync::api
