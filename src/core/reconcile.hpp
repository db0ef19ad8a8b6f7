#pragma once
// The reconcile planner: compares the local mirror of one resource with what
// the upstream listing returned and says what to create, update, restore and archive. A pure
// function: the sync engine applies the plan in one transaction, or returns it for a dry run,
// or holds it when the mass-removal guard (core/guard.hpp) blocks it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mirror.hpp"

namespace tenantsync::core {

inline constexpr std::string_view kReasonRemovedUpstream = "removed_upstream";
inline constexpr std::string_view kReasonAccountSwitched = "account_switched";

/// full: the listing is the whole resource. incremental: only a time window was read
/// (executions), so absence from it says nothing about removal.
enum class SyncScope { full, incremental };

struct ReconcileContext {
  std::string current_account_id;  ///< account behind the key (GET /user/me); empty if unknown
  bool listing_complete = false;   ///< every page read without error; nothing is archived otherwise
  SyncScope scope = SyncScope::full;
};

struct PlannedUpdate {
  MirrorRowId local_id{0};
  UpstreamRecord record;
  bool account_changed = false;  ///< the row was stamped with another (or no) account before
};

struct PlannedRestore {
  MirrorRowId local_id{0};
  UpstreamRecord record;  ///< restoring also writes the current fields and the plan's account
  std::string previous_reason;
};

struct PlannedArchive {
  MirrorRowId local_id{0};
  std::string upstream_id;
  std::string name;
  std::string reason;  ///< kReasonRemovedUpstream or kReasonAccountSwitched
};

/// The totals of a plan whose records stay in the store (a voice run's executions, staged as
/// they were read: see MirrorStore::plan_staged_executions). Its lists then hold only the first
/// items, for people to read; these are the real numbers, and the store applies the plan from
/// the staged rows. Its archives are all account switches (executions are read incrementally).
struct StagedTotals {
  int creates = 0;
  int updates = 0;
  int restores = 0;
  int archives = 0;
  std::int64_t rows = 0;                ///< staged rows the plan was made from
  bool archive_other_accounts = false;  ///< archive active rows of other accounts not in the listing
  std::string digest;                   ///< stands for the restored and archived ids in the plan id
};

struct ResourcePlan {
  Resource resource = Resource::agents;
  std::string account_id;  ///< the account new and updated rows are stamped with
  std::vector<UpstreamRecord> creates;
  std::vector<PlannedUpdate> updates;
  std::vector<PlannedRestore> restores;
  std::vector<PlannedArchive> archives;
  int unchanged = 0;      ///< active rows seen upstream with the same content
  int kept_unseen = 0;    ///< active rows not in the listing that stay (incremental or incomplete)
  int active_before = 0;  ///< active local rows before the plan
  std::vector<std::string> warnings;
  std::optional<StagedTotals> staged;  ///< set when the records stay in the store

  bool empty() const {
    if (staged) return staged->creates + staged->updates + staged->restores + staged->archives == 0;
    return creates.empty() && updates.empty() && restores.empty() && archives.empty();
  }
};

struct PlanCounts {
  int created = 0;
  int updated = 0;
  int archived = 0;
  int restored = 0;
  int unchanged = 0;
  int total_after = 0;  ///< active rows once the plan is applied
};

/// Plans one resource's reconcile; `local` holds active and archived rows of the tenant.
ResourcePlan plan_reconcile(Resource resource, const std::vector<LocalRecord>& local,
                            const std::vector<UpstreamRecord>& upstream, const ReconcileContext& context);

/// The numbers a run reports for one plan.
PlanCounts count_plan(const ResourcePlan& plan);

/// How many of the plan's archives have the given reason.
int count_archives(const ResourcePlan& plan, std::string_view reason);

}  // namespace tenantsync::core
