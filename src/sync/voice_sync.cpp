#include "sync/voice_sync.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_set>

#include "core/time_format.hpp"
#include "sync/run_report.hpp"
#include "upstream/errors.hpp"

namespace tenantsync::sync {
namespace {

using core::Resource;

core::UpstreamRecord to_upstream_record(upstream::VoiceRecord&& r) {
  return core::UpstreamRecord{std::move(r.upstream_id), std::move(r.name),        std::move(r.status),
                              std::move(r.agent_id),    std::move(r.batch_id),    r.created_at_ms,
                              r.updated_at_ms,          std::move(r.fields_json), std::move(r.raw_json),
                              std::move(r.content_hash)};
}

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// "Sync failed: …" sentences a person can act on, by what went wrong and where.
std::string failure_message(const Error& error, std::string_view reading) {
  const std::string& code = error.code;
  if (code == upstream::kErrKeyRejected)
    return fmt::format(
        "Sync failed: the voice platform rejected the API key ({}). Save a valid key in Settings.",
        error.message);
  if (code == kErrInterrupted) return "Sync failed: " + error.message;
  return fmt::format("Sync failed: could not read {} from the voice platform: {} Nothing was changed.",
                     reading, error.message);
}

store::RunOutcome failed(const Error& error, std::string_view reading,
                         const std::vector<std::string>& warnings) {
  store::RunOutcome out;
  out.state = "failed";
  out.error_code = error.code.empty() ? std::string(upstream::kErrUpstream) : error.code;
  out.error_message = failure_message(error, reading);
  out.warnings_json = warnings_json(warnings);
  return out;
}

// Every resource's records as read, plus what the executions read covered.
struct Listings {
  std::vector<core::UpstreamRecord> agents, phone_numbers, campaigns, executions;
  std::vector<std::string> warnings;
  std::vector<store::CursorWrite> cursors;
};

}  // namespace

std::string executions_cursor_key(const std::string& account_id, const std::string& agent_id) {
  return "executions:" + account_id + ":" + agent_id;
}

VoiceSync::VoiceSync(store::Store& store, upstream::VoiceClient& client, const Clock& clock,
                     VoiceSyncOptions options)
    : store_(store), client_(client), clock_(clock), options_(options) {}

VoiceSyncResult VoiceSync::run(const store::SyncRun& run, const ProgressFn& progress,
                               const StopFn& should_stop) {
  VoiceSyncResult result;
  RunProgress p;
  auto report = [&](std::string phase, std::string resource) {
    p.phase = std::move(phase);
    p.resource = std::move(resource);
    if (progress) progress(p);
  };
  const Error interrupted =
      make_error(kErrInterrupted, "the service stopped while the sync was reading. Nothing was changed.");

  report("account", "");
  auto account = client_.get_account();
  if (!account.ok()) {
    result.outcome = failed(account.error(), "the account", {});
    return result;
  }
  const std::string account_id = account->id;
  result.outcome.upstream_account_id = account_id;

  // Local rows first: they tell whether this account was switched away from and back, in which
  // case its executions are read over the whole history again so they can be restored.
  std::map<Resource, std::vector<core::LocalRecord>> local;
  for (Resource r : core::kAllResources) {
    auto rows = store_.load_mirror(run.tenant_id, r);
    if (!rows.ok()) {
      result.outcome = failed(rows.error(), "the local mirror", {});
      return result;
    }
    local[r] = std::move(rows).value();
  }
  bool switched_back = false;
  for (const auto& row : local[Resource::executions])
    if (row.archived && row.archive_reason == core::kReasonAccountSwitched &&
        row.upstream_account_id == account_id)
      switched_back = true;
  auto cursors = store_.get_cursors(run.tenant_id, run.target);
  if (!cursors.ok()) {
    result.outcome = failed(cursors.error(), "the saved cursors", {});
    return result;
  }

  Listings listed;
  auto take = [&](Result<upstream::VoiceListing> listing, std::vector<core::UpstreamRecord>& into) {
    ++p.pages;
    p.records += static_cast<int>(listing->records.size());
    for (auto& record : listing->records) into.push_back(to_upstream_record(std::move(record)));
    append(listed.warnings, listing->warnings);
  };

  report("listing", "agents");
  auto agents = client_.list_agents();
  if (!agents.ok()) {
    result.outcome = failed(agents.error(), "agents", listed.warnings);
    return result;
  }
  take(std::move(agents), listed.agents);

  if (should_stop && should_stop()) {
    result.outcome = failed(interrupted, "", listed.warnings);
    return result;
  }
  report("listing", "phone_numbers");
  auto numbers = client_.list_phone_numbers();
  if (!numbers.ok()) {
    result.outcome = failed(numbers.error(), "phone numbers", listed.warnings);
    return result;
  }
  take(std::move(numbers), listed.phone_numbers);

  // Campaigns and executions hang off agents: read them for every agent the account has now.
  std::vector<std::string> agent_ids;
  std::unordered_set<std::string> seen_agent;
  for (const auto& agent : listed.agents)
    if (!agent.upstream_id.empty() && seen_agent.insert(agent.upstream_id).second)
      agent_ids.push_back(agent.upstream_id);

  report("listing", "campaigns");
  for (const auto& agent_id : agent_ids) {
    if (should_stop && should_stop()) {
      result.outcome = failed(interrupted, "", listed.warnings);
      return result;
    }
    auto batches = client_.list_batches(agent_id);
    if (!batches.ok()) {
      result.outcome = failed(batches.error(), "campaigns", listed.warnings);
      return result;
    }
    take(std::move(batches), listed.campaigns);
    report("listing", "campaigns");
  }

  report("listing", "executions");
  const TimePoint now = clock_.now();
  for (const auto& agent_id : agent_ids) {
    const std::string key = executions_cursor_key(account_id, agent_id);
    TimePoint from = now - options_.history;
    if (auto saved = cursors->find(key); saved != cursors->end() && !switched_back) {
      if (auto at = parse_iso8601(saved->second)) from = std::max(from, *at - options_.overlap);
    }
    Status status =
        client_.list_executions(agent_id, from, now, [&](upstream::VoiceListing&& page, int) -> Status {
          if (should_stop && should_stop()) return interrupted;
          take(std::move(page), listed.executions);
          report("listing", "executions");
          return {};
        });
    if (!status.ok()) {
      result.outcome = failed(status.error(), "executions", listed.warnings);
      return result;
    }
    listed.cursors.push_back(store::CursorWrite{run.target, key, format_iso8601(now)});
  }

  // Every listing was read completely: plan each resource.
  report("planning", "");
  const std::map<Resource, std::vector<core::UpstreamRecord>*> upstream_of = {
      {Resource::agents, &listed.agents},
      {Resource::phone_numbers, &listed.phone_numbers},
      {Resource::campaigns, &listed.campaigns},
      {Resource::executions, &listed.executions}};
  std::vector<std::string> warnings = listed.warnings;
  for (Resource r : core::kAllResources) {
    core::ReconcileContext context{
        account_id, true, r == Resource::executions ? core::SyncScope::incremental : core::SyncScope::full};
    core::ResourcePlan plan = core::plan_reconcile(r, local[r], *upstream_of.at(r), context);
    append(warnings, plan.warnings);
    p.planned += static_cast<int>(plan.creates.size() + plan.updates.size() + plan.restores.size() +
                                  plan.archives.size());
    result.plans.push_back(std::move(plan));
    if (r != Resource::executions) result.fully_listed.push_back(r);
  }
  report("planning", "");

  result.outcome.counts_json = counts_json(result.plans);
  result.outcome.warnings_json = warnings_json(warnings);
  const std::string id = plan_id(result.plans);

  if (run.dry_run) {
    result.outcome.state = "succeeded";
    result.outcome.plan_json = plan_json(result.plans, "Dry run: nothing was changed.");
    return result;
  }

  const core::GuardDecision guard = core::evaluate_guard(result.plans, options_.guard);
  if (guard.blocked && run.confirmed_plan_id != id) {
    result.outcome.state = "held";
    if (run.confirmed_plan_id.empty()) {
      result.outcome.error_code = kErrMassRemovalHeld;
      result.outcome.error_message = guard.message;
    } else {
      result.outcome.error_code = kErrPlanChanged;
      result.outcome.error_message =
          "The voice platform changed since the plan was confirmed, so it was not applied. " + guard.message;
    }
    result.outcome.plan_json = plan_json(result.plans, result.outcome.error_message);
    return result;
  }

  result.outcome.state = "succeeded";
  result.apply = true;
  result.cursors = std::move(listed.cursors);
  return result;
}

}  // namespace tenantsync::sync
