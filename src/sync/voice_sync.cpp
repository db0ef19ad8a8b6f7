#include "sync/voice_sync.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_set>

#include "core/error_code.hpp"
#include "core/time_format.hpp"
#include "sync/run_report.hpp"

namespace tenantsync::sync {
namespace {

using core::Resource;

core::UpstreamRecord to_upstream_record(upstream::VoiceRecord&& r) {
  return core::UpstreamRecord{std::move(r.upstream_id), std::move(r.name),        std::move(r.status),
                              std::move(r.agent_id),    std::move(r.batch_id),    r.created_at_ms,
                              r.updated_at_ms,          std::move(r.fields_json), std::move(r.raw_json),
                              std::move(r.content_hash)};
}

// What a record costs the run's byte bound: the text it holds in memory until the plan.
std::int64_t record_bytes(const upstream::VoiceRecord& r) {
  return static_cast<std::int64_t>(r.upstream_id.size() + r.name.size() + r.status.size() +
                                   r.agent_id.size() + r.batch_id.size() + r.fields_json.size() +
                                   r.raw_json.size() + r.content_hash.size());
}

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// "Sync failed: …" sentences a person can act on, by what went wrong and where.
std::string failure_message(const Error& error, std::string_view reading) {
  if (error.is(core::ErrorCode::key_rejected))
    return fmt::format(
        "Sync failed: the voice platform rejected the API key ({}). Save a valid key in Settings.",
        error.message);
  if (error.is(core::ErrorCode::interrupted)) return "Sync failed: " + error.message;
  return fmt::format("Sync failed: could not read {} from the voice platform: {} Nothing was changed.",
                     reading, error.message);
}

store::RunOutcome failed(const Error& error, std::string_view reading,
                         const std::vector<std::string>& warnings) {
  store::RunOutcome out;
  out.state = core::RunState::failed;
  out.error_code = error.code;
  out.error_message = failure_message(error, reading);
  out.warnings_json = warnings_json(warnings);
  return out;
}

Error interrupted() {
  return make_error(core::ErrorCode::interrupted,
                    "the service stopped while the sync was reading. Nothing was changed.");
}

}  // namespace

std::string executions_cursor_key(const std::string& account_id, const std::string& agent_id) {
  return "executions:" + account_id + ":" + agent_id;
}

struct VoiceSync::Reading {
  std::string account_id;
  std::map<Resource, std::vector<core::LocalRecord>> local;
  bool switched_back = false;  ///< this account's executions were archived by a switch away from it
  std::map<std::string, std::string> cursors;
  std::map<Resource, std::vector<core::UpstreamRecord>> upstream;
  std::vector<std::string> warnings;
  std::vector<store::CursorWrite> new_cursors;
};

class VoiceSync::Reporter {
 public:
  explicit Reporter(const ProgressFn& progress) : progress_(progress) {}
  void operator()(std::string phase, std::string resource) {
    p.phase = std::move(phase);
    p.resource = std::move(resource);
    if (progress_) progress_(p);
  }
  RunProgress p;

 private:
  const ProgressFn& progress_;
};

VoiceSync::VoiceSync(store::MirrorStore& mirror, upstream::VoiceClient& client, const Clock& clock,
                     VoiceSyncOptions options)
    : mirror_(mirror), client_(client), clock_(clock), options_(options) {}

VoiceSyncResult VoiceSync::run(const store::SyncRun& run, const ProgressFn& progress,
                               const StopFn& should_stop) {
  VoiceSyncResult result;
  Reporter report(progress);
  Reading reading;
  if (!read(run, report, should_stop, reading, result.outcome)) return result;
  result.outcome.upstream_account_id = reading.account_id;
  plan(reading, report, result);
  hold_or_apply(run, reading, result);
  return result;
}

bool VoiceSync::read(const store::SyncRun& run, Reporter& report, const StopFn& should_stop, Reading& reading,
                     store::RunOutcome& failure) {
  report("account", "");
  auto account = client_.get_account();
  if (!account.ok()) {
    failure = failed(account.error(), "the account", {});
    return false;
  }
  reading.account_id = account->id;
  return read_local(run, reading, failure) && read_upstream(run, report, should_stop, reading, failure);
}

bool VoiceSync::read_local(const store::SyncRun& run, Reading& reading, store::RunOutcome& failure) {
  // Local rows first: they tell whether this account was switched away from and back, in which
  // case its executions are read over the whole history again so they can be restored.
  for (Resource r : core::kAllResources) {
    auto rows = mirror_.load_mirror(run.tenant_id, r);
    if (!rows.ok()) {
      failure = failed(rows.error(), "the local mirror", {});
      return false;
    }
    reading.local[r] = std::move(rows).value();
  }
  for (const auto& row : reading.local[Resource::executions])
    if (row.archived && row.archive_reason == core::kReasonAccountSwitched &&
        row.upstream_account_id == reading.account_id)
      reading.switched_back = true;
  auto cursors = mirror_.get_cursors(run.tenant_id, run.target.to_string());
  if (!cursors.ok()) {
    failure = failed(cursors.error(), "the saved cursors", {});
    return false;
  }
  reading.cursors = std::move(cursors).value();
  return true;
}

bool VoiceSync::read_upstream(const store::SyncRun& run, Reporter& report, const StopFn& should_stop,
                              Reading& reading, store::RunOutcome& failure) {
  RunProgress& p = report.p;
  core::RunBudget budget(options_.limits);
  auto take = [&](upstream::VoiceListing&& listing, Resource into, std::string_view what) -> Status {
    std::int64_t bytes = 0;
    for (const auto& record : listing.records) bytes += record_bytes(record);
    if (auto within = budget.take_page(what, static_cast<std::int64_t>(listing.records.size()), bytes);
        !within.ok())
      return within;
    ++p.pages;
    p.records += static_cast<int>(listing.records.size());
    for (auto& record : listing.records)
      reading.upstream[into].push_back(to_upstream_record(std::move(record)));
    append(reading.warnings, listing.warnings);
    return {};
  };
  auto fail = [&](const Error& error, std::string_view what) {
    failure = failed(error, what, reading.warnings);
    return false;
  };
  auto stopped = [&] { return should_stop && should_stop(); };

  report("listing", "agents");
  auto agents = client_.list_agents();
  if (!agents.ok()) return fail(agents.error(), "agents");
  if (auto taken = take(std::move(agents).value(), Resource::agents, "agents"); !taken.ok())
    return fail(taken.error(), "agents");

  if (stopped()) return fail(interrupted(), "");
  report("listing", "phone_numbers");
  auto numbers = client_.list_phone_numbers();
  if (!numbers.ok()) return fail(numbers.error(), "phone numbers");
  if (auto taken = take(std::move(numbers).value(), Resource::phone_numbers, "phone numbers"); !taken.ok())
    return fail(taken.error(), "phone numbers");

  // Campaigns and executions hang off agents: read them for every agent the account has now.
  std::vector<std::string> agent_ids;
  std::unordered_set<std::string> seen_agent;
  for (const auto& agent : reading.upstream[Resource::agents])
    if (!agent.upstream_id.empty() && seen_agent.insert(agent.upstream_id).second)
      agent_ids.push_back(agent.upstream_id);

  report("listing", "campaigns");
  for (const auto& agent_id : agent_ids) {
    if (stopped()) return fail(interrupted(), "");
    auto batches = client_.list_batches(agent_id);
    if (!batches.ok()) return fail(batches.error(), "campaigns");
    if (auto taken = take(std::move(batches).value(), Resource::campaigns, "campaigns"); !taken.ok())
      return fail(taken.error(), "campaigns");
    report("listing", "campaigns");
  }

  report("listing", "executions");
  const TimePoint now = clock_.now();
  for (const auto& agent_id : agent_ids) {
    const std::string key = executions_cursor_key(reading.account_id, agent_id);
    TimePoint from = now - options_.history;
    if (auto saved = reading.cursors.find(key); saved != reading.cursors.end() && !reading.switched_back) {
      if (auto at = parse_iso8601(saved->second)) from = std::max(from, *at - options_.overlap);
    }
    Status status =
        client_.list_executions(agent_id, from, now, [&](upstream::VoiceListing&& page, int) -> Status {
          if (stopped()) return interrupted();
          if (auto taken = take(std::move(page), Resource::executions, "executions"); !taken.ok())
            return taken;
          report("listing", "executions");
          return {};
        });
    if (!status.ok()) return fail(status.error(), "executions");
    reading.new_cursors.push_back(store::CursorWrite{run.target.to_string(), key, format_iso8601(now)});
  }
  return true;
}

void VoiceSync::plan(Reading& reading, Reporter& report, VoiceSyncResult& result) {
  // Every listing was read completely: plan each resource.
  report("planning", "");
  std::vector<std::string> warnings = reading.warnings;
  for (Resource r : core::kAllResources) {
    core::ReconcileContext context{
        reading.account_id, true,
        r == Resource::executions ? core::SyncScope::incremental : core::SyncScope::full};
    core::ResourcePlan plan = core::plan_reconcile(r, reading.local[r], reading.upstream[r], context);
    append(warnings, plan.warnings);
    report.p.planned += static_cast<int>(plan.creates.size() + plan.updates.size() + plan.restores.size() +
                                         plan.archives.size());
    result.plans.push_back(std::move(plan));
    if (r != Resource::executions) result.fully_listed.push_back(r);
  }
  report("planning", "");
  result.outcome.counts_json = counts_json(result.plans);
  result.outcome.warnings_json = warnings_json(warnings);
}

void VoiceSync::hold_or_apply(const store::SyncRun& run, Reading& reading, VoiceSyncResult& result) {
  if (run.dry_run) {
    result.outcome.state = core::RunState::succeeded;
    result.outcome.plan_json = plan_json(result.plans, "Dry run: nothing was changed.");
    return;
  }
  const std::string id = plan_id(result.plans);
  const core::GuardDecision guard = core::evaluate_guard(result.plans, options_.guard);
  if (guard.blocked && run.confirmed_plan_id != id) {
    result.outcome.state = core::RunState::held;
    if (run.confirmed_plan_id.empty()) {
      result.outcome.error_code = core::ErrorCode::mass_removal_held;
      result.outcome.error_message = guard.message;
    } else {
      result.outcome.error_code = core::ErrorCode::plan_changed;
      result.outcome.error_message =
          "The voice platform changed since the plan was confirmed, so it was not applied. " + guard.message;
    }
    result.outcome.plan_json = plan_json(result.plans, result.outcome.error_message);
    return;
  }
  result.outcome.state = core::RunState::succeeded;
  result.apply = true;
  result.cursors = std::move(reading.new_cursors);
}

}  // namespace tenantsync::sync
