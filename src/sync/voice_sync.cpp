#include "sync/voice_sync.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
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

void add_notes(std::vector<RecordNote>& to, std::optional<Resource> resource,
               const std::vector<std::string>& from) {
  for (const auto& message : from) to.push_back(RecordNote{resource, message});
}

// One warning per problem kind and record is useful; ten thousand are noise (as core/reconcile).
constexpr std::size_t kMaxDetailedWarnings = 20;
// Executions staged per store write: one transaction per this many records, and the most records
// a run holds at once.
constexpr std::size_t kStageBuffer = 500;

// Adds a warning about executions, at most kMaxDetailedWarnings; the rest are only counted.
void add_capped(std::vector<std::string>& to, int& dropped, std::string text) {
  if (to.size() < kMaxDetailedWarnings)
    to.push_back(std::move(text));
  else
    ++dropped;
}

// Errors after which nothing of the run may be applied: a key the upstream refuses reads nothing
// trustworthy, and a stopping service writes nothing.
bool fails_the_run(const Error& error) {
  return error.is(core::ErrorCode::key_rejected) || error.is(core::ErrorCode::interrupted);
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
                         const std::vector<ResourceNotRead>& not_read, const std::vector<RecordNote>& notes) {
  store::RunOutcome out;
  out.state = core::RunState::failed;
  out.error_code = error.code;
  out.error_message = failure_message(error, reading);
  out.warnings_json = warnings_json(not_read, notes);
  return out;
}

Error interrupted() {
  return make_error(core::ErrorCode::interrupted,
                    "the service stopped while the sync was reading. Nothing was changed.");
}

std::string capitalized(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// The warning of a resource whose own listing failed.
ResourceNotRead listing_failed(Resource resource, const Error& error) {
  return {resource,
          make_error(error.code, fmt::format("{} were not read: {} They were left as they were.",
                                             capitalized(core::display_name(resource)), error.message))};
}

}  // namespace

std::string executions_cursor_key(const std::string& account_id, const std::string& agent_id) {
  return "executions:" + account_id + ":" + agent_id;
}

struct VoiceSync::Reading {
  std::string account_id;
  std::map<Resource, std::vector<core::LocalRecord>> local;  ///< of the small resources (not executions)
  bool switched_back = false;  ///< this account's executions were archived by a switch away from it
  std::map<std::string, std::string> cursors;
  std::map<Resource, std::vector<core::UpstreamRecord>> upstream;
  std::set<Resource> read_completely;     ///< planned as the whole resource (executions: of every agent)
  std::set<Resource> read_in_part;        ///< executions of some agents: planned, nothing archived
  std::vector<ResourceNotRead> not_read;  ///< one per resource not completely read: the run's warnings
  std::optional<Error> first_failure;     ///< the error of the first listing that failed
  std::vector<RecordNote> notes;
  std::vector<store::CursorWrite> new_cursors;  ///< only of agents whose executions were read completely
  std::vector<std::string> execution_warnings;  ///< repeated ids and records without one, as the planner words them
  int execution_warnings_dropped = 0;           ///< past the cap
  int executions_without_id = 0;
  std::optional<Error> store_failure;  ///< staging executions failed: the run fails, nothing is applied
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
  if (!read(run, report, should_stop, reading, result.outcome)) {
    (void)mirror_.clear_staging(run.tenant_id, run.id);
    return result;
  }
  result.outcome.upstream_account_id = reading.account_id;
  if (Status planned = plan(run, reading, report, result); !planned.ok()) {
    result = VoiceSyncResult{};
    result.outcome = failed(planned.error(), "the local mirror", reading.not_read, reading.notes);
  } else {
    hold_or_apply(run, reading, result);
  }
  // A held, dry or failed run writes nothing: what it staged goes (the next run would drop it too).
  if (!result.apply) (void)mirror_.clear_staging(run.tenant_id, run.id);
  return result;
}

bool VoiceSync::read(const store::SyncRun& run, Reporter& report, const StopFn& should_stop, Reading& reading,
                     store::RunOutcome& failure) {
  report("account", "");
  auto account = client_.get_account();
  if (!account.ok()) {
    failure = failed(account.error(), "the account", {}, {});
    return false;
  }
  reading.account_id = account->id;
  if (!read_local(run, reading, failure)) return false;
  if (Status upstream = read_upstream(run, report, should_stop, reading); !upstream.ok()) {
    failure = failed(upstream.error(), reading.store_failure ? "the local mirror" : "", {}, reading.notes);
    return false;
  }
  if (!reading.read_completely.empty() || !reading.read_in_part.empty()) return true;
  // Not one listing could be read: a failed run, named by the listings that failed themselves.
  std::vector<std::string> names;
  for (const auto& r : reading.not_read) names.emplace_back(core::display_name(r.resource));
  const Error why = reading.first_failure.value_or(
      make_error(core::ErrorCode::upstream_error, "no listing could be read."));
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i)
    joined += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  failure = failed(why, joined, reading.not_read, reading.notes);
  return false;
}

bool VoiceSync::read_local(const store::SyncRun& run, Reading& reading, store::RunOutcome& failure) {
  // Local rows first: they tell whether this account was switched away from and back, in which
  // case its executions are read over the whole history again so they can be restored.
  // Executions are not loaded: they are staged as read and planned in the store (memory flat in
  // the account's size). Rows a dead run staged are dropped first.
  for (Resource r : core::kAllResources) {
    if (r == Resource::executions) continue;
    auto rows = mirror_.load_mirror(run.tenant_id, r);
    if (!rows.ok()) {
      failure = failed(rows.error(), "the local mirror", {}, {});
      return false;
    }
    reading.local[r] = std::move(rows).value();
  }
  auto switched = mirror_.has_switched_away(run.tenant_id, Resource::executions, reading.account_id);
  if (!switched.ok()) {
    failure = failed(switched.error(), "the local mirror", {}, {});
    return false;
  }
  reading.switched_back = *switched;
  if (Status cleared = mirror_.clear_staging(run.tenant_id, run.id); !cleared.ok()) {
    failure = failed(cleared.error(), "the local mirror", {}, {});
    return false;
  }
  auto cursors = mirror_.get_cursors(run.tenant_id, run.target.to_string());
  if (!cursors.ok()) {
    failure = failed(cursors.error(), "the saved cursors", {}, {});
    return false;
  }
  reading.cursors = std::move(cursors).value();
  return true;
}

Status VoiceSync::read_upstream(const store::SyncRun& run, Reporter& report, const StopFn& should_stop,
                                Reading& reading) {
  RunProgress& p = report.p;
  core::RunBudget budget(options_.limits);
  // Takes one page into `into` (the run's records, or an agent's until its listing is complete).
  auto take = [&](upstream::VoiceListing&& listing, Resource resource,
                  std::vector<core::UpstreamRecord>& into, std::string_view what) -> Status {
    std::int64_t bytes = 0;
    for (const auto& record : listing.records) bytes += record_bytes(record);
    if (auto within = budget.take_page(what, static_cast<std::int64_t>(listing.records.size()), bytes);
        !within.ok())
      return within;
    ++p.pages;
    p.records += static_cast<int>(listing.records.size());
    for (auto& record : listing.records) into.push_back(to_upstream_record(std::move(record)));
    add_notes(reading.notes, resource, listing.warnings);
    return {};
  };
  // A whole listing of one resource: read completely, or recorded as not read.
  auto list_whole = [&](Resource resource, Result<upstream::VoiceListing> listing) -> Status {
    Status status = listing.ok() ? take(std::move(listing).value(), resource, reading.upstream[resource],
                                        core::display_name(resource))
                                 : Status(listing.error());
    if (status.ok()) {
      reading.read_completely.insert(resource);
      return {};
    }
    if (fails_the_run(status.error())) return status;
    if (!reading.first_failure) reading.first_failure = status.error();
    reading.upstream.erase(resource);
    reading.not_read.push_back(listing_failed(resource, status.error()));
    return {};
  };
  auto stopped = [&] { return should_stop && should_stop(); };

  report("listing", "agents");
  if (Status s = list_whole(Resource::agents, client_.list_agents()); !s.ok()) return s;
  if (stopped()) return interrupted();
  report("listing", "phone_numbers");
  if (Status s = list_whole(Resource::phone_numbers, client_.list_phone_numbers()); !s.ok()) return s;

  // Campaigns and executions hang off agents: without the agents, they cannot be listed.
  if (!reading.read_completely.count(Resource::agents)) {
    const core::ErrorCode why = reading.not_read.front().error.code;  // a copy: push_back moves the vector
    for (Resource r : {Resource::campaigns, Resource::executions})
      reading.not_read.push_back(
          {r, make_error(why, fmt::format("{} were not read: they are listed per agent, and the agents could "
                                          "not be read. They were left as they were.",
                                          capitalized(core::display_name(r))))});
    return {};
  }
  std::vector<std::string> agent_ids;
  std::unordered_set<std::string> seen_agent;
  for (const auto& agent : reading.upstream[Resource::agents])
    if (!agent.upstream_id.empty() && seen_agent.insert(agent.upstream_id).second)
      agent_ids.push_back(agent.upstream_id);

  // Campaigns are one full listing over every agent: the first agent that fails leaves it not read.
  report("listing", "campaigns");
  std::optional<Error> campaigns_failed;
  for (const auto& agent_id : agent_ids) {
    if (stopped()) return interrupted();
    auto batches = client_.list_batches(agent_id);
    Status status = batches.ok() ? take(std::move(batches).value(), Resource::campaigns,
                                        reading.upstream[Resource::campaigns], "campaigns")
                                 : Status(batches.error());
    if (!status.ok()) {
      if (fails_the_run(status.error())) return status;
      if (!reading.first_failure) reading.first_failure = status.error();
      campaigns_failed = make_error(
          status.error().code, fmt::format("the batches of agent {}: {}", agent_id, status.error().message));
      break;
    }
    report("listing", "campaigns");
  }
  if (campaigns_failed) {
    reading.upstream.erase(Resource::campaigns);
    reading.not_read.push_back(listing_failed(Resource::campaigns, *campaigns_failed));
  } else {
    reading.read_completely.insert(Resource::campaigns);
  }

  // Executions are read per agent from its own cursor: an agent whose listing fails keeps its
  // cursor and its rows, and the others are applied and move on.
  report("listing", "executions");
  const TimePoint now = clock_.now();
  std::vector<std::pair<std::string, Error>> agents_failed;
  for (const auto& agent_id : agent_ids) {
    const std::string key = executions_cursor_key(reading.account_id, agent_id);
    TimePoint from = now - options_.history;
    if (auto saved = reading.cursors.find(key); saved != reading.cursors.end() && !reading.switched_back) {
      if (auto at = parse_iso8601(saved->second)) from = std::max(from, *at - options_.overlap);
    }
    // Staged in buffers of kStageBuffer records, so memory holds one buffer whatever the count.
    std::vector<core::UpstreamRecord> buffer;
    auto flush = [&]() -> Status {
      if (buffer.empty()) return {};
      auto repeated = mirror_.stage_executions(run.tenant_id, run.id, key, buffer);
      buffer.clear();
      if (!repeated.ok()) {
        reading.store_failure = repeated.error();
        return repeated.error();
      }
      for (const auto& id : *repeated)
        add_capped(reading.execution_warnings, reading.execution_warnings_dropped,
                   fmt::format("executions: the listing returned id \"{}\" twice; the first one was kept", id));
      return {};
    };
    std::vector<core::UpstreamRecord> page_records;
    Status status =
        client_.list_executions(agent_id, from, now, [&](upstream::VoiceListing&& page, int) -> Status {
          if (stopped()) return interrupted();
          page_records.clear();
          if (auto taken = take(std::move(page), Resource::executions, page_records, "executions"); !taken.ok())
            return taken;
          for (auto& record : page_records) {
            if (record.upstream_id.empty()) {
              ++reading.executions_without_id;
              continue;
            }
            buffer.push_back(std::move(record));
          }
          if (buffer.size() >= kStageBuffer)
            if (Status staged = flush(); !staged.ok()) return staged;
          report("listing", "executions");
          return {};
        });
    if (status.ok()) status = flush();
    if (reading.store_failure) return *reading.store_failure;
    if (!status.ok()) {
      buffer.clear();
      // Records of its pages read before the failure are not applied.
      if (Status dropped = mirror_.drop_staged_listing(run.tenant_id, run.id, key); !dropped.ok())
        return dropped;
      if (fails_the_run(status.error())) return status;
      if (!reading.first_failure) reading.first_failure = status.error();
      agents_failed.emplace_back(agent_id, status.error());
      continue;
    }
    reading.new_cursors.push_back(store::CursorWrite{run.target.to_string(), key, format_iso8601(now)});
  }
  if (agents_failed.empty()) {
    reading.read_completely.insert(Resource::executions);
    return {};
  }
  if (agents_failed.size() < agent_ids.size()) reading.read_in_part.insert(Resource::executions);
  const auto& [first_agent, first_error] = agents_failed.front();
  const std::string more =
      agents_failed.size() > 1 ? fmt::format(" (and those of {} more agents)", agents_failed.size() - 1) : "";
  reading.not_read.push_back(
      {Resource::executions,
       make_error(
           first_error.code,
           fmt::format("Executions of agent {}{} were not read: {} Their cursor stays, so the next sync "
                       "reads them again.",
                       first_agent, more, first_error.message))});
  return {};
}

Status VoiceSync::plan(const store::SyncRun& run, Reading& reading, Reporter& report, VoiceSyncResult& result) {
  // Each resource read is planned; one not read is not planned at all, so none of its rows changes.
  report("planning", "");
  std::vector<RecordNote> notes = reading.notes;
  for (Resource r : core::kAllResources) {
    const bool complete = reading.read_completely.count(r) > 0;
    if (!complete && !reading.read_in_part.count(r)) continue;
    core::ReconcileContext context{
        reading.account_id, complete,
        r == Resource::executions ? core::SyncScope::incremental : core::SyncScope::full};
    core::ResourcePlan plan;
    if (r == Resource::executions) {
      auto staged = mirror_.plan_staged_executions(run.tenant_id, run.id, context);
      if (!staged.ok()) return staged.error();
      plan = std::move(staged).value();
      plan.warnings = reading.execution_warnings;
      int dropped = reading.execution_warnings_dropped;
      if (reading.executions_without_id > 0)
        add_capped(plan.warnings, dropped,
                   fmt::format("executions: skipped {} upstream record{} without an id",
                               reading.executions_without_id, reading.executions_without_id == 1 ? "" : "s"));
      if (dropped > 0) plan.warnings.push_back(fmt::format("{} more warnings not shown", dropped));
    } else {
      plan = core::plan_reconcile(r, reading.local[r], reading.upstream[r], context);
    }
    add_notes(notes, r, plan.warnings);
    const core::PlanCounts counts = core::count_plan(plan);
    report.p.planned += counts.created + counts.updated + counts.restored + counts.archived;
    result.plans.push_back(std::move(plan));
    if (complete && r != Resource::executions) result.fully_listed.push_back(r);
  }
  report("planning", "");
  result.outcome.counts_json = counts_json(result.plans);
  result.outcome.warnings_json = warnings_json(reading.not_read, notes);
  return {};
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
