#include "api/run_json.hpp"

#include <charconv>

#include "core/time_format.hpp"
#include "sync/run_report.hpp"

namespace tenantsync::api {
namespace {

Json parsed(const std::string& text, Json fallback) {
  if (text.empty()) return fallback;
  auto value = Json::parse(text, nullptr, false);
  return value.is_discarded() ? fallback : value;
}

int archived_total(const Json& counts) {
  int n = 0;
  for (const auto& [resource, c] : counts.items())
    if (c.is_object() && c.contains("archived")) n += c["archived"].get<int>();
  return n;
}

// The seed's four resources always appear, so clients can read them without checks.
Json resources_of(const Json& counts) {
  Json out = Json::object();
  for (const char* r : {"agents", "phone_numbers", "campaigns", "executions"}) {
    Json c = counts.contains(r) ? counts[r] : Json::object();
    out[r] = {{"created", c.value("created", 0)},     {"updated", c.value("updated", 0)},
              {"archived", c.value("archived", 0)},   {"restored", c.value("restored", 0)},
              {"unchanged", c.value("unchanged", 0)}, {"total", c.value("total", 0)}};
  }
  return out;
}

}  // namespace

Json warnings_of(const store::SyncRun& run) {
  const Json stored = parsed(run.warnings_json, Json::array());
  Json out = Json::array();
  if (!stored.is_array()) return out;
  for (const Json& w : stored) {
    if (w.is_object())
      out.push_back(w);
    else if (w.is_string())
      out.push_back({{"resource", nullptr}, {"code", sync::kRecordWarning}, {"message", w}});
  }
  return out;
}

Json resources_not_read(const Json& warnings) {
  Json out = Json::array();
  for (const Json& w : warnings)
    if (w.is_object() && w.value("code", std::string(sync::kRecordWarning)) != sync::kRecordWarning)
      out.push_back(w);
  return out;
}

std::string completed_message(const store::SyncRun& run) {
  const std::string done = run.dry_run ? "Dry run completed" : "Sync completed";
  return resources_not_read(warnings_of(run)).empty() ? done : done + " with warnings";
}

Json run_json(const store::SyncRun& run, bool with_plan) {
  Json out{{"id", run.id},
           {"target", run.target.to_string()},
           {"trigger", core::to_string(run.trigger)},
           {"state", core::to_string(run.state)},
           {"dry_run", run.dry_run},
           {"created_at", time_or_null(run.created_at_ms)},
           {"started_at", time_or_null(run.started_at_ms)},
           {"finished_at", time_or_null(run.finished_at_ms)},
           {"counts", parsed(run.counts_json, Json::object())},
           {"warnings", warnings_of(run)},
           {"upstream_account_id", run.upstream_account_id}};
  out["duration_ms"] = (run.started_at_ms && run.finished_at_ms)
                           ? Json(*run.finished_at_ms - *run.started_at_ms)
                           : Json(nullptr);
  out["error"] =
      run.error_code ? Json{{"code", *run.error_code}, {"message", run.error_message}} : Json(nullptr);
  const Json progress = parsed(run.progress_json, Json::object());
  out["progress"] =
      (progress.is_object() && !progress.empty() && !core::is_terminal(run.state)) ? progress : Json(nullptr);
  out["plan_id"] = sync::stored_plan_id(run.plan_json);
  if (with_plan) out["plan"] = parsed(run.plan_json, Json(nullptr));
  return out;
}

std::pair<int, Json> sync_result(const store::SyncRun& run) {
  const Json counts = parsed(run.counts_json, Json::object());
  if (run.state == core::RunState::succeeded) {
    Json body{{"message", completed_message(run)},
              {"success", true},
              {"deleted", run.dry_run ? 0 : archived_total(counts)},
              {"run_id", run.id},
              {"dry_run", run.dry_run},
              {"resources", resources_of(counts)},
              {"warnings", warnings_of(run)}};
    if (run.dry_run) {
      body["would_delete"] = archived_total(counts);
      body["plan"] = parsed(run.plan_json, Json(nullptr));
    }
    return {200, body};
  }
  if (run.state == core::RunState::held) {
    const Json plan = parsed(run.plan_json, Json::object());
    return {409, Json{{"success", false},
                      {"error", run.error_code.value_or(core::ErrorCode::mass_removal_held)},
                      {"message", run.error_message},
                      {"run_id", run.id},
                      {"plan_id", plan.value("plan_id", "")},
                      {"plan", plan}}};
  }
  if (run.state == core::RunState::failed || run.state == core::RunState::cancelled) {
    // Every run the engine ends carries a code; a row without one is reported by its state.
    const core::ErrorCode code =
        run.error_code.value_or(run.state == core::RunState::cancelled ? core::ErrorCode::cancelled
                                                                       : core::ErrorCode::internal_error);
    const std::string message = run.error_message.empty() ? std::string("Sync failed: the run was ") +
                                                                std::string(core::to_string(run.state)) + "."
                                                          : run.error_message;
    int status = status_for_error(Error{code, message});
    if (code == core::ErrorCode::no_api_key || code == core::ErrorCode::cancelled) status = 409;
    // A run's bound is passed by what the upstream sent, not by the tenant's requests.
    if (code == core::ErrorCode::limit_exceeded) status = 502;
    if (status == 500 && code != core::ErrorCode::internal_error && code != core::ErrorCode::db_error)
      status = 502;
    return {status, Json{{"success", false}, {"message", message}, {"error", code}, {"run_id", run.id}}};
  }
  return {202, Json{{"success", true},
                    {"message", "Sync running"},
                    {"run_id", run.id},
                    {"state", core::to_string(run.state)}}};
}

http::Response sync_answer(const store::SyncRun& run) {
  auto [status, body] = sync_result(run);
  return json_response(status, body);
}

std::string encode_cursor(const store::PageCursor& cursor) {
  return std::to_string(cursor.sort_ms) + "." + std::to_string(cursor.id);
}

std::optional<store::PageCursor> decode_cursor(const std::string& text) {
  const auto dot = text.find('.');
  if (text.empty() || dot == std::string::npos) return std::nullopt;
  store::PageCursor c;
  auto a = std::from_chars(text.data(), text.data() + dot, c.sort_ms);
  auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), c.id);
  if (a.ec != std::errc() || a.ptr != text.data() + dot || b.ec != std::errc() ||
      b.ptr != text.data() + text.size())
    return std::nullopt;
  return c;
}

std::optional<store::PageCursor> query_cursor(const http::Request& request) {
  auto found = request.query.find("cursor");
  if (found == request.query.end() || found->second.empty()) return std::nullopt;
  auto c = decode_cursor(found->second);
  if (!c)
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The parameter \"cursor\" is not a cursor this server gave out.");
  return c;
}

}  // namespace tenantsync::api
