#include "sync/run_events.hpp"

#include <nlohmann/json.hpp>

#include "sync/id_json.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;
constexpr auto kReplace = Json::error_handler_t::replace;

Json progress_object(const RunProgress& p) {
  Json out{{"phase", p.phase},     {"resource", p.resource}, {"pages", p.pages},
           {"records", p.records}, {"planned", p.planned},   {"applied", p.applied}};
  if (!p.waiting_until.empty()) {
    out["waiting_until"] = p.waiting_until;
    out["waiting_reason"] = p.waiting_reason;
  }
  return out;
}

Json parse_or(const std::string& text, Json fallback) {
  auto parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

}  // namespace

std::string progress_json(const RunProgress& progress) {
  return progress_object(progress).dump(-1, ' ', false, kReplace);
}

void RunEvents::queued(TenantId tenant_id, RunId run_id, const core::RunTarget& target,
                       core::RunTrigger trigger) {
  bus_.publish(
      tenant_id, "run.queued",
      Json{{"run_id", run_id}, {"target", target.to_string()}, {"trigger", core::to_string(trigger)}}.dump());
}

void RunEvents::started(const store::SyncRun& run) {
  bus_.publish(
      run.tenant_id, "run.started",
      Json{{"run_id", run.id}, {"target", run.target.to_string()}, {"trigger", core::to_string(run.trigger)}}
          .dump());
}

void RunEvents::progress(const store::SyncRun& run, const RunProgress& progress) {
  Json data = progress_object(progress);
  data["run_id"] = run.id;
  data["target"] = run.target.to_string();
  bus_.publish(run.tenant_id, "run.progress", data.dump(-1, ' ', false, kReplace));
}

void RunEvents::finished(const store::SyncRun& run, const store::RunOutcome& outcome) {
  Json data{{"run_id", run.id},
            {"target", run.target.to_string()},
            {"state", core::to_string(outcome.state)},
            {"counts", parse_or(outcome.counts_json, Json::object())}};
  data["error"] = outcome.error_code ? Json{{"code", *outcome.error_code}, {"message", outcome.error_message}}
                                     : Json(nullptr);
  bus_.publish(run.tenant_id, "run.finished", data.dump(-1, ' ', false, kReplace));
}

void RunEvents::expired(const store::ExpiredRun& run) {
  bus_.publish(run.tenant_id, "run.finished",
               Json{{"run_id", run.run_id},
                    {"target", run.target.to_string()},
                    {"state", core::to_string(core::RunState::failed)},
                    {"error", run.error_code}}
                   .dump());
}

void RunEvents::summary(TenantId tenant_id, const store::MirrorCounts& counts) {
  bus_.publish(tenant_id, "summary",
               Json{{"counts",
                     {{"agents", counts.agents},
                      {"phone_numbers", counts.phone_numbers},
                      {"campaigns", counts.campaigns},
                      {"executions", counts.executions},
                      {"leads", counts.leads}}}}
                   .dump());
}

}  // namespace tenantsync::sync
