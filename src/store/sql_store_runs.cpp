// SqlStore: sync runs, their jobs and leases, and scheduler ticks. One file (a little over
// ~400 lines) because claim, renew and sweep must be read together to see the lease is safe.
//
// One queued-or-running non-dry run per (tenant, target): request_run checks for it inside a write
// transaction; SQLite's single writer (BEGIN IMMEDIATE) serializes that check, PostgreSQL takes a
// transaction-scoped advisory lock on (tenant, target) first, and the partial unique index
// sync_runs_one_active (migration 0002) backs both. The per-tenant cap on queued and running runs
// is checked the same way, under a per-tenant lock on PostgreSQL (taken after the target's, always).
#include <algorithm>
#include <string>

#include "store/sql_enum_cells.hpp"
#include "store/sql_run_rows.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace detail {

SyncRun run_from(const sql::Row& row) {
  SyncRun run;
  sql::read_row(row, run.id, run.tenant_id, run.target, run.trigger, run.state, run.dry_run,
                run.created_at_ms, run.started_at_ms, run.finished_at_ms, run.heartbeat_at_ms,
                run.deadline_at_ms, run.counts_json, run.error_code, run.error_message, run.plan_json,
                run.warnings_json, run.upstream_account_id, run.progress_json, run.confirmed_plan_id);
  return run;
}

Status end_run(sql::Transaction& tx, TenantId tenant_id, RunId run_id, const RunOutcome& outcome,
               std::int64_t now_ms) {
  // The state condition makes a late worker's write fail instead of overwriting the sweep's verdict.
  Result<sql::QueryResult> updated = tx.query(
      "UPDATE sync_runs SET state = ?, finished_at = ?, counts = ?, error_code = ?, error_message = ?, "
      "plan = ?, warnings = ?, upstream_account_id = ? "
      "WHERE id = ? AND (? = 0 OR tenant_id = ?) AND state IN ('queued', 'running')",
      {sql::text_of(outcome.state), now_ms, outcome.counts_json, sql::text_of(outcome.error_code),
       sql::null_if_empty(outcome.error_message), sql::null_if_empty(outcome.plan_json),
       outcome.warnings_json, sql::null_if_empty(outcome.upstream_account_id), run_id.value(),
       tenant_id.value(), tenant_id.value()});
  if (!updated.ok()) return to_store_error(updated.error());
  if (updated->affected == 0) {
    Result<sql::QueryResult> found =
        tx.query("SELECT state FROM sync_runs WHERE id = ? AND (? = 0 OR tenant_id = ?)",
                 {run_id.value(), tenant_id.value(), tenant_id.value()});
    if (!found.ok()) return to_store_error(found.error());
    if (found->empty()) return not_found("run " + std::to_string(run_id.value()) + " does not exist");
    return Error{core::ErrorCode::conflict, "run " + std::to_string(run_id.value()) + " already ended (" +
                                                found->rows[0].text(0) + "); its outcome was not written"};
  }
  Result<sql::QueryResult> deleted = tx.query("DELETE FROM jobs WHERE run_id = ?", {run_id.value()});
  if (!deleted.ok()) return to_store_error(deleted.error());
  return {};
}

Status check_lease(sql::Transaction& tx, const LeaseHold& lease, std::int64_t now_ms) {
  // FOR UPDATE (PostgreSQL) holds the job row until the caller commits: the sweep's UPDATE or
  // DELETE of it waits, so the lease cannot expire into someone else's hands mid-write.
  std::string select = "SELECT id FROM jobs WHERE id = ? AND lease_owner = ? AND lease_expires_at > ?";
  if (tx.is_postgres()) select += " FOR UPDATE";
  Result<sql::QueryResult> held = tx.query(select, {lease.job_id.value(), lease.owner, now_ms});
  if (!held.ok()) return to_store_error(held.error());
  if (held->empty()) {
    return make_error(core::ErrorCode::worker_lost,
                      "the run's lease was lost: another worker took it over, so this worker wrote nothing");
  }
  return {};
}

}  // namespace detail

namespace {

using detail::kRunColumns;
using detail::run_from;
using sql::Access;

constexpr int kMaxPage = 500;

std::string select_runs(const char* where) {
  return std::string("SELECT ") + kRunColumns + " FROM sync_runs " + where;
}

// Holds a PostgreSQL advisory lock named `key` until the transaction ends; SQLite's writer lock
// already serializes every writer.
Status lock_named(sql::Transaction& tx, const std::string& key) {
  if (!tx.is_postgres()) return {};
  Result<sql::QueryResult> r = tx.query("SELECT pg_advisory_xact_lock(hashtext(CAST(? AS TEXT)))", {key});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

// Serializes run creation per (tenant, target).
Status lock_target(sql::Transaction& tx, TenantId tenant_id, const core::RunTarget& target) {
  return lock_named(tx, "sync_run:" + std::to_string(tenant_id.value()) + ":" + target.to_string());
}

// "limit_exceeded" when the tenant already has `max_active` queued or running runs (each has a
// job until it ends; held runs have none). Serialized per tenant, so two requests cannot both pass.
Status check_active_limit(sql::Transaction& tx, TenantId tenant_id, int max_active) {
  if (max_active <= 0) return {};
  if (Status s = lock_named(tx, "sync_tenant:" + std::to_string(tenant_id.value())); !s.ok()) return s;
  Result<sql::QueryResult> r = tx.query("SELECT COUNT(*) FROM jobs WHERE tenant_id = ?", {tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->rows.front().int64(0) < max_active) return {};
  return make_error(core::ErrorCode::limit_exceeded,
                    "Limit queued_runs reached: this tenant already has " + std::to_string(max_active) +
                        " syncs queued or running (dry runs included). Try again when some have finished.");
}

// The target's queued or running non-dry run, if any (other than `except_id`).
Result<std::optional<SyncRun>> active_run(sql::Transaction& tx, TenantId tenant_id, const core::RunTarget& target,
                                          RunId except_id) {
  static const std::string kSql = select_runs(
      "WHERE tenant_id = ? AND target = ? AND dry_run = 0 AND state IN ('queued', 'running') AND id <> ? "
      "ORDER BY id LIMIT 1");
  return detail::first_row(tx.query(kSql, {tenant_id.value(), sql::text_of(target), except_id.value()}), run_from);
}

Status insert_job(sql::Transaction& tx, TenantId tenant_id, RunId run_id, const core::RunTarget& target,
                  std::int64_t attempts, std::int64_t now_ms) {
  Result<sql::QueryResult> r = tx.query(
      "INSERT INTO jobs (tenant_id, run_id, target, run_after, attempts, created_at) VALUES (?, ?, ?, ?, ?, "
      "?)",
      {tenant_id.value(), run_id.value(), sql::text_of(target), now_ms, attempts, now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

struct NewRun {
  TenantId tenant_id{0};
  core::RunTarget target = core::RunTarget::voice();
  core::RunTrigger trigger = core::RunTrigger::manual;
  bool dry_run = false;
  std::int64_t max_duration_ms = 0;
  std::string plan_json;
  std::string confirmed_plan_id;
};

// Inserts a queued run and its due job.
Result<SyncRun> insert_run(sql::Transaction& tx, const NewRun& run, std::int64_t attempts,
                           std::int64_t now_ms) {
  static const std::string kSql =
      std::string(
          "INSERT INTO sync_runs (tenant_id, target, trigger, state, dry_run, created_at, "
          "max_duration_ms, plan, confirmed_plan_id) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?) RETURNING ") +
      kRunColumns;
  Result<sql::QueryResult> r =
      tx.query(kSql, {run.tenant_id.value(), sql::text_of(run.target), sql::text_of(run.trigger),
                      std::int64_t{run.dry_run ? 1 : 0}, now_ms, run.max_duration_ms,
                      sql::null_if_empty(run.plan_json), sql::null_if_empty(run.confirmed_plan_id)});
  if (!r.ok()) return to_store_error(r.error());
  SyncRun inserted = run_from(r->rows.at(0));
  if (Status s = insert_job(tx, run.tenant_id, inserted.id, run.target, attempts, now_ms); !s.ok())
    return s.error();
  return inserted;
}

// After a conditional UPDATE matched nothing: "not_found" or "conflict" with the run's state.
Error missing_or_conflict(sql::Transaction& tx, TenantId tenant_id, RunId run_id,
                          const char* wanted) {
  Result<sql::QueryResult> r =
      tx.query("SELECT state FROM sync_runs WHERE id = ? AND tenant_id = ?", {run_id.value(), tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return not_found("run " + std::to_string(run_id.value()) + " does not exist");
  return Error{core::ErrorCode::conflict,
               "run " + std::to_string(run_id.value()) + " is " + r->rows[0].text(0) + ", not " + wanted};
}

// A SELECT with a PostgreSQL row-locking clause (FOR UPDATE ... SKIP LOCKED), so instances that run
// it at once skip each other's rows; SQLite's single writer already serializes them.
Result<sql::QueryResult> select_locked(sql::Transaction& tx, std::string select, const char* lock,
                                       const sql::Params& params) {
  if (tx.is_postgres()) select += lock;
  return tx.query(select, params);
}

// Runs past their deadline. Such a run is not retried: it would most likely overrun again.
constexpr const char* kOverdueRuns =
    "SELECT id, tenant_id, target FROM sync_runs "
    "WHERE state = 'running' AND deadline_at IS NOT NULL AND deadline_at <= ? ORDER BY id";
// Runs whose lease expired: the worker is gone. The run fails and its target is queued again.
constexpr const char* kLostRuns =
    "SELECT j.run_id, r.tenant_id, r.target, r.trigger, r.dry_run, r.max_duration_ms, r.plan, "
    "r.confirmed_plan_id, j.attempts FROM jobs j JOIN sync_runs r ON r.id = j.run_id "
    "WHERE j.lease_owner IS NOT NULL AND j.lease_expires_at <= ? AND r.state IN ('queued', 'running') "
    "ORDER BY j.id";

// The sweeping instance's own live workers keep their jobs (see RunQueue::sweep_expired_runs).
Status renew_held_leases(sql::Transaction& tx, const HeldLeases& held, std::int64_t now_ms) {
  for (const JobId job_id : held.job_ids) {
    Result<sql::QueryResult> ours = select_locked(tx, "SELECT id FROM jobs WHERE id = ? AND lease_owner = ?",
                                                  " FOR UPDATE SKIP LOCKED", {job_id.value(), held.owner});
    if (!ours.ok()) return to_store_error(ours.error());
    if (ours->empty()) continue;
    Result<sql::QueryResult> renewed = tx.query("UPDATE jobs SET lease_expires_at = ? WHERE id = ?",
                                                {now_ms + held.lease.count(), job_id.value()});
    if (!renewed.ok()) return to_store_error(renewed.error());
  }
  return {};
}

// Fails a run the sweep gives up on and lists it in `ended`; the row starts with the run's id,
// tenant and target.
Status give_up(sql::Transaction& tx, const sql::Row& row, core::ErrorCode code, const char* message,
               std::int64_t now_ms, std::vector<ExpiredRun>& ended) {
  ExpiredRun run{RunId{row.int64(0)}, TenantId{row.int64(1)}, core::RunTarget::voice(), code};
  sql::read_cell(row, 2, run.target);
  RunOutcome outcome;
  outcome.state = core::RunState::failed;
  outcome.error_code = code;
  outcome.error_message = message;
  if (Status s = detail::end_run(tx, TenantId{0}, run.run_id, outcome, now_ms); !s.ok()) return s;
  ended.push_back(std::move(run));
  return {};
}

// A conditional UPDATE of one run of the tenant that ends in RETURNING kRunColumns: the run as it
// now is, or, when the condition matched nothing, "not_found" or "conflict" (the run is not `wanted`).
Result<SyncRun> update_run_if(sql::Transaction& tx, const std::string& sql, const sql::Params& params,
                              TenantId tenant_id, RunId run_id, const char* wanted) {
  Result<sql::QueryResult> r = tx.query(sql, params);
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return missing_or_conflict(tx, tenant_id, run_id, wanted);
  return run_from(r->rows.front());
}

// One try of claim_job in `tx`.
struct ClaimTry {
  std::optional<ClaimedJob> job;  ///< nullopt: no work (or over the cap, see below)
  bool over_cap = false;          ///< the picked job's tenant turned out to be at its cap: roll back, retry
};

Result<ClaimTry> claim_once(sql::Transaction& tx, const std::string& owner, std::chrono::milliseconds lease,
                            std::int64_t now_ms, int max_running) {
  // A held job (even with an expired lease) is left to the sweep, which fails and requeues its run.
  // Fair across tenants: the tenant whose latest run started longest ago goes first (round robin
  // when several wait), then its oldest due job; FIFO alone lets one tenant's backlog starve others.
  // A tenant with `max_running` unexpired leases (?2 = 0: no cap) is skipped.
  static constexpr const char* kDueJob =
      "SELECT j.id, j.run_id, j.tenant_id, j.target, j.attempts FROM jobs j "
      "WHERE j.lease_owner IS NULL AND j.run_after <= ? "
      "AND (? = 0 OR (SELECT COUNT(*) FROM jobs h WHERE h.tenant_id = j.tenant_id "
      "AND h.lease_owner IS NOT NULL AND h.lease_expires_at > ?) < ?) "
      "ORDER BY (SELECT COALESCE(MAX(r.started_at), 0) FROM sync_runs r WHERE r.tenant_id = j.tenant_id), "
      "j.run_after, j.id LIMIT 1";
  const std::int64_t cap = std::max(max_running, 0);
  Result<sql::QueryResult> due =
      select_locked(tx, kDueJob, " FOR UPDATE OF j SKIP LOCKED", {now_ms, cap, now_ms, cap});
  if (!due.ok()) return to_store_error(due.error());
  if (due->empty()) return ClaimTry{};

  ClaimedJob job;
  sql::read_row(due->rows.front(), job.job_id, job.run_id, job.tenant_id, job.target, job.attempts);
  job.attempts += 1;  // this claim
  job.lease_expires_at_ms = now_ms + lease.count();

  if (cap > 0 && tx.is_postgres()) {
    // Serializes claims per tenant; the COUNT after the lock is a new statement, so it sees the
    // leases of claims that committed while this one waited.
    if (Status s = lock_named(tx, "claim_tenant:" + std::to_string(job.tenant_id.value())); !s.ok())
      return s.error();
    Result<sql::QueryResult> running = tx.query(
        "SELECT COUNT(*) FROM jobs WHERE tenant_id = ? AND lease_owner IS NOT NULL AND lease_expires_at > ?",
        {job.tenant_id.value(), now_ms});
    if (!running.ok()) return to_store_error(running.error());
    if (running->rows.front().int64(0) >= cap) return ClaimTry{std::nullopt, true};
  }

  Result<sql::QueryResult> leased =
      tx.query("UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, attempts = ? WHERE id = ?",
               {owner, job.lease_expires_at_ms, std::int64_t{job.attempts}, job.job_id.value()});
  if (!leased.ok()) return to_store_error(leased.error());
  Result<sql::QueryResult> started = tx.query(
      "UPDATE sync_runs SET state = 'running', started_at = ?, heartbeat_at = ?, "
      "deadline_at = CASE WHEN max_duration_ms > 0 THEN ? + max_duration_ms ELSE NULL END WHERE id = ?",
      {now_ms, now_ms, now_ms, job.run_id.value()});
  if (!started.ok()) return to_store_error(started.error());
  return ClaimTry{job, false};
}

}  // namespace

Result<RunTicket> SqlStore::request_run(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                        bool dry_run, std::chrono::milliseconds deadline, TimePoint now,
                                        int max_active) {
  const std::int64_t deadline_ms = deadline.count();
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  if (!dry_run) {
    if (Status s = lock_target(tx, tenant_id, target); !s.ok()) return s.error();
    Result<std::optional<SyncRun>> active = active_run(tx, tenant_id, target, RunId{0});
    if (!active.ok()) return active.error();
    if (*active) return RunTicket{std::move(**active), true};
  }
  if (Status s = check_active_limit(tx, tenant_id, max_active); !s.ok()) return s.error();
  NewRun run{tenant_id, target, trigger, dry_run, deadline_ms, {}, {}};
  Result<SyncRun> inserted = insert_run(tx, run, 0, now_ms);
  if (!inserted.ok()) return inserted.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return RunTicket{std::move(inserted).value(), false};
}

Result<std::optional<ClaimedJob>> SqlStore::claim_job(const std::string& owner,
                                                      std::chrono::milliseconds lease, TimePoint now,
                                                      int max_running) {
  const std::int64_t now_ms = to_epoch_ms(now);
  // Two PostgreSQL claims may pick jobs of the same tenant at once, each seeing the other's lease
  // uncommitted; the per-tenant check below makes the second one see it, give its pick back and
  // try again (then the tenant is skipped). A few tries: past them the worker polls again later.
  constexpr int kTries = 4;
  for (int attempt = 0; attempt < kTries; ++attempt) {
    Result<sql::Transaction> begun = db_->begin(Access::write);
    if (!begun.ok()) return to_store_error(begun.error());
    Result<ClaimTry> claimed = claim_once(*begun, owner, lease, now_ms, max_running);
    if (!claimed.ok()) return claimed.error();
    if (claimed->over_cap) continue;  // the transaction rolls back as it goes
    if (!claimed->job) return std::optional<ClaimedJob>();
    if (Status s = begun->commit(); !s.ok()) return to_store_error(s.error());
    return claimed->job;
  }
  return std::optional<ClaimedJob>();
}

Status SqlStore::renew_lease(JobId job_id, const std::string& owner, std::chrono::milliseconds lease,
                             TimePoint now) {
  const std::int64_t lease_ms = lease.count();
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // Still ours while the row carries our name: the sweep deletes the job when it gives the run up.
  Result<sql::QueryResult> renewed =
      tx.query("UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? RETURNING run_id",
               {now_ms + lease_ms, job_id.value(), owner});
  if (!renewed.ok()) return to_store_error(renewed.error());
  if (renewed->empty()) {
    return Error{core::ErrorCode::conflict,
                 "the lease of job " + std::to_string(job_id.value()) + " is no longer held by " + owner};
  }
  Result<sql::QueryResult> beat = tx.query("UPDATE sync_runs SET heartbeat_at = ? WHERE id = ?",
                                           {now_ms, renewed->rows.front().int64(0)});
  if (!beat.ok()) return to_store_error(beat.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Status SqlStore::update_run_progress(RunId run_id, const std::string& progress_json,
                                     TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  // Only while the run is running: a worker that wakes after the sweep ended its run (it was
  // paused past its lease) must not write over the run's record.
  Result<sql::QueryResult> r = db_->query(
      Access::write, "UPDATE sync_runs SET progress = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'",
      {progress_json, now_ms, run_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected > 0) return {};
  Result<sql::QueryResult> found =
      db_->query(Access::read, "SELECT state FROM sync_runs WHERE id = ?", {run_id.value()});
  if (!found.ok()) return to_store_error(found.error());
  if (found->empty()) return not_found("run " + std::to_string(run_id.value()) + " does not exist");
  return Error{core::ErrorCode::conflict,
               "run " + std::to_string(run_id.value()) + " is " + found->rows[0].text(0) + ", not running"};
}

Status SqlStore::finish_run(RunId run_id, const RunOutcome& outcome, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  if (Status s = detail::end_run(tx, TenantId{0}, run_id, outcome, now_ms); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<int> SqlStore::expire_leases_of(const std::string& owner, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  // Only leases still in the future: one already expired is the sweep's anyway.
  Result<sql::QueryResult> r = db_->query(
      Access::write, "UPDATE jobs SET lease_expires_at = ? WHERE lease_owner = ? AND lease_expires_at > ?",
      {now_ms, owner, now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return static_cast<int>(r->affected);
}

Result<std::vector<ExpiredRun>> SqlStore::sweep_expired_runs(TimePoint now, const HeldLeases& held) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  std::vector<ExpiredRun> ended;
  if (Status s = renew_held_leases(tx, held, now_ms); !s.ok()) return s.error();

  Result<sql::QueryResult> overdue = select_locked(tx, kOverdueRuns, " FOR UPDATE SKIP LOCKED", {now_ms});
  if (!overdue.ok()) return to_store_error(overdue.error());
  for (const sql::Row& row : overdue->rows) {
    Status s = give_up(tx, row, core::ErrorCode::deadline_exceeded,
                       "the run took longer than its deadline and was stopped", now_ms, ended);
    if (!s.ok()) return s.error();
  }

  Result<sql::QueryResult> lost = select_locked(tx, kLostRuns, " FOR UPDATE OF j SKIP LOCKED", {now_ms});
  if (!lost.ok()) return to_store_error(lost.error());
  for (const sql::Row& row : lost->rows) {
    NewRun again{TenantId{row.int64(1)},
                 core::RunTarget::voice(),
                 core::RunTrigger::manual,
                 row.int64(4) != 0,
                 row.int64(5),
                 row.text(6),
                 row.text(7)};
    sql::read_cell(row, 2, again.target);
    sql::read_cell(row, 3, again.trigger);
    // The same lock request_run takes, so a concurrent request joins the new run, not the failed one.
    if (!again.dry_run) {
      if (Status s = lock_target(tx, again.tenant_id, again.target); !s.ok()) return s.error();
    }
    Status s = give_up(tx, row, core::ErrorCode::worker_lost,
                       "the worker running this sync stopped renewing its lease; the sync was queued again",
                       now_ms, ended);
    if (!s.ok()) return s.error();
    // The new job carries the attempts on, so the engine can see a run that keeps killing workers.
    Result<SyncRun> requeued = insert_run(tx, again, row.int64(8), now_ms);
    if (!requeued.ok()) return requeued.error();
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return ended;
}

Result<std::optional<SyncRun>> SqlStore::find_run(TenantId tenant_id, RunId run_id) {
  static const std::string kSql = select_runs("WHERE tenant_id = ? AND id = ?");
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), run_id.value()}), run_from);
}

Result<std::vector<SyncRun>> SqlStore::list_runs(TenantId tenant_id, int limit,
                                                 std::optional<PageCursor> after) {
  static const std::string kFirst =
      select_runs("WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?");
  static const std::string kAfter = select_runs(
      "WHERE tenant_id = ? AND (created_at < ? OR (created_at = ? AND id < ?)) "
      "ORDER BY created_at DESC, id DESC LIMIT ?");
  const std::int64_t n = std::clamp(limit, 1, kMaxPage);
  return detail::all_rows(
      after ? db_->query(Access::read, kAfter, {tenant_id.value(), after->sort_ms, after->sort_ms, after->id, n})
            : db_->query(Access::read, kFirst, {tenant_id.value(), n}),
      run_from);
}

Result<std::optional<SyncRun>> SqlStore::latest_run(TenantId tenant_id, core::RunTarget target) {
  static const std::string kSql = select_runs(
      "WHERE tenant_id = ? AND target = ? AND dry_run = 0 ORDER BY created_at DESC, id DESC LIMIT 1");
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), sql::text_of(target)}), run_from);
}

Result<std::optional<SyncRun>> SqlStore::latest_finished_run(TenantId tenant_id, core::RunTarget target) {
  static const std::string kSql = select_runs(
      "WHERE tenant_id = ? AND target = ? AND dry_run = 0 "
      "AND state IN ('succeeded', 'failed', 'held', 'cancelled') ORDER BY finished_at DESC, id DESC LIMIT 1");
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), sql::text_of(target)}), run_from);
}

Result<SyncRun> SqlStore::confirm_held_run(TenantId tenant_id, RunId run_id,
                                           const std::string& plan_id, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  Result<sql::QueryResult> held = tx.query(
      "SELECT target FROM sync_runs WHERE id = ? AND tenant_id = ? AND state = 'held'", {run_id.value(), tenant_id.value()});
  if (!held.ok()) return to_store_error(held.error());
  if (held->empty()) return missing_or_conflict(tx, tenant_id, run_id, "held");
  core::RunTarget target = core::RunTarget::voice();
  sql::read_cell(held->rows.front(), 0, target);

  if (Status s = lock_target(tx, tenant_id, target); !s.ok()) return s.error();
  Result<std::optional<SyncRun>> active = active_run(tx, tenant_id, target, run_id);
  if (!active.ok()) return active.error();
  if (*active) {
    return Error{core::ErrorCode::conflict,
                 "run " + std::to_string((*active)->id.value()) + " of " + target.to_string() +
                     " is already queued or running; confirm the plan once it ends"};
  }
  // The state condition again: another confirm or a cancel may have won meanwhile (PostgreSQL).
  static const std::string kRequeue =
      std::string(
          "UPDATE sync_runs SET state = 'queued', confirmed_plan_id = ?, started_at = NULL, "
          "finished_at = NULL, heartbeat_at = NULL, deadline_at = NULL, error_code = NULL, "
          "error_message = NULL WHERE id = ? AND tenant_id = ? AND state = 'held' RETURNING ") +
      kRunColumns;
  Result<SyncRun> run = update_run_if(tx, kRequeue, {plan_id, run_id.value(), tenant_id.value()}, tenant_id, run_id, "held");
  if (!run.ok()) return run;
  if (Status s = insert_job(tx, tenant_id, run_id, target, 0, now_ms); !s.ok()) return s.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return run;
}

Result<SyncRun> SqlStore::cancel_run(TenantId tenant_id, RunId run_id, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // Conditional, so a claim that started the run meanwhile wins and this answers "conflict".
  static const std::string kCancel =
      std::string(
          "UPDATE sync_runs SET state = 'cancelled', finished_at = ? "
          "WHERE id = ? AND tenant_id = ? AND state IN ('held', 'queued') RETURNING ") +
      kRunColumns;
  Result<SyncRun> run =
      update_run_if(tx, kCancel, {now_ms, run_id.value(), tenant_id.value()}, tenant_id, run_id, "held or queued");
  if (!run.ok()) return run;
  Result<sql::QueryResult> deleted = tx.query("DELETE FROM jobs WHERE run_id = ?", {run_id.value()});
  if (!deleted.ok()) return to_store_error(deleted.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return run;
}

Result<bool> SqlStore::claim_tick(const std::string& schedule, TimePoint tick_at,
                                  const std::string& owner, TimePoint now) {
  Result<sql::QueryResult> r =
      db_->query(Access::write,
                 "INSERT INTO scheduler_ticks (schedule, tick_at, claimed_by, claimed_at) "
                 "VALUES (?, ?, ?, ?) ON CONFLICT (schedule, tick_at) DO NOTHING",
                 {schedule, to_epoch_ms(tick_at), owner, to_epoch_ms(now)});
  if (!r.ok()) return to_store_error(r.error());
  return r->affected == 1;
}

}  // namespace tenantsync::store
