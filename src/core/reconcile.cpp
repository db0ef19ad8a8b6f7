#include "core/reconcile.hpp"

#include <fmt/format.h>

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace tenantsync::core {
namespace {

// One warning per problem kind and record is useful; ten thousand are noise in the run history.
constexpr std::size_t kMaxDetailedWarnings = 20;

class Warnings {
 public:
  explicit Warnings(std::vector<std::string>& out) : out_(out) {}
  void add(std::string text) {
    if (out_.size() < kMaxDetailedWarnings)
      out_.push_back(std::move(text));
    else
      ++dropped_;
  }
  void finish() {
    if (dropped_ > 0) out_.push_back(fmt::format("{} more warnings not shown", dropped_));
  }

 private:
  std::vector<std::string>& out_;
  std::size_t dropped_ = 0;
};

}  // namespace

ResourcePlan plan_reconcile(Resource resource, const std::vector<LocalRecord>& local,
                            const std::vector<UpstreamRecord>& upstream, const ReconcileContext& context) {
  ResourcePlan plan;
  plan.resource = resource;
  plan.account_id = context.current_account_id;
  Warnings warnings(plan.warnings);
  const std::string_view what = display_name(resource);

  // A row belongs to another account only when both accounts are known: rows from before
  // accounts were tracked must stay under the mass-removal guard, not bypass it as a "switch".
  const bool account_known = !context.current_account_id.empty();
  auto of_other_account = [&](const LocalRecord& row) {
    return account_known && !row.upstream_account_id.empty() &&
           row.upstream_account_id != context.current_account_id;
  };

  std::unordered_map<std::string_view, const LocalRecord*> by_upstream_id;
  by_upstream_id.reserve(local.size());
  for (const LocalRecord& row : local) {
    if (!row.archived) ++plan.active_before;
    if (!by_upstream_id.emplace(row.upstream_id, &row).second)
      warnings.add(fmt::format("{}: two local rows have upstream id \"{}\"; only the first is reconciled",
                               what, row.upstream_id));
  }

  std::unordered_set<std::string_view> seen;
  seen.reserve(upstream.size());
  int empty_ids = 0;
  for (const UpstreamRecord& record : upstream) {
    if (record.upstream_id.empty()) {
      ++empty_ids;
      continue;
    }
    if (!seen.insert(record.upstream_id).second) {
      warnings.add(fmt::format("{}: the listing returned id \"{}\" twice; the first one was kept", what,
                               record.upstream_id));
      continue;
    }
    auto found = by_upstream_id.find(record.upstream_id);
    if (found == by_upstream_id.end()) {
      plan.creates.push_back(record);
      continue;
    }
    const LocalRecord& row = *found->second;
    const bool account_changed = account_known && row.upstream_account_id != context.current_account_id;
    if (row.archived) {
      plan.restores.push_back(PlannedRestore{row.id, record, row.archive_reason});
    } else if (account_changed || row.content_hash != record.content_hash) {
      plan.updates.push_back(PlannedUpdate{row.id, record, account_changed});
    } else {
      ++plan.unchanged;
    }
  }
  if (empty_ids > 0)
    warnings.add(fmt::format("{}: skipped {} upstream record{} without an id", what, empty_ids,
                             empty_ids == 1 ? "" : "s"));

  int kept_because_incomplete = 0;
  // Local order, not hash-map order, so the plan (and its stored copy) is deterministic.
  for (const LocalRecord& row : local) {
    if (by_upstream_id[row.upstream_id] != &row) continue;  // a duplicate, warned about above
    if (row.archived || seen.count(row.upstream_id) > 0) continue;
    const bool other = of_other_account(row);
    const bool removable = other || context.scope == SyncScope::full;
    if (!removable) {
      ++plan.kept_unseen;
    } else if (!context.listing_complete) {
      ++plan.kept_unseen;
      ++kept_because_incomplete;
    } else {
      plan.archives.push_back(
          PlannedArchive{row.id, row.upstream_id, row.name,
                         std::string(other ? kReasonAccountSwitched : kReasonRemovedUpstream)});
    }
  }
  if (kept_because_incomplete > 0)
    warnings.add(fmt::format("{}: the listing was incomplete, so {} record{} missing from it {} kept", what,
                             kept_because_incomplete, kept_because_incomplete == 1 ? "" : "s",
                             kept_because_incomplete == 1 ? "was" : "were"));
  warnings.finish();
  return plan;
}

PlanCounts count_plan(const ResourcePlan& plan) {
  PlanCounts counts;
  if (plan.staged) {
    counts.created = plan.staged->creates;
    counts.updated = plan.staged->updates;
    counts.archived = plan.staged->archives;
    counts.restored = plan.staged->restores;
  } else {
    counts.created = static_cast<int>(plan.creates.size());
    counts.updated = static_cast<int>(plan.updates.size());
    counts.archived = static_cast<int>(plan.archives.size());
    counts.restored = static_cast<int>(plan.restores.size());
  }
  counts.unchanged = plan.unchanged;
  counts.total_after = plan.active_before + counts.created + counts.restored - counts.archived;
  return counts;
}

int count_archives(const ResourcePlan& plan, std::string_view reason) {
  if (plan.staged) return reason == kReasonAccountSwitched ? plan.staged->archives : 0;
  int n = 0;
  for (const PlannedArchive& archive : plan.archives)
    if (archive.reason == reason) ++n;
  return n;
}

}  // namespace tenantsync::core
