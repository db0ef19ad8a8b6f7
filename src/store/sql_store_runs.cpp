// SqlStore: sync runs, their jobs and leases, and scheduler ticks.
//
// One queued-or-running non-dry run per (tenant, target): request_run checks for it inside a write
// transaction; SQLite's single writer (BEGIN IMMEDIATE) serializes that check, PostgreSQL takes a
// transaction-scoped advisory lock on (tenant, target) first, and the partial unique index
// sync_runs_one_active (migration 0002) backs both.
#include <algorithm>
#include <string>

#include "store/sql_run_rows.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store {
namespace detail {

SyncRun run_from(const sql::Row& row) {
  SyncRun run;
  run.id = row.int64(0);
  run.tenant_id = row.int64(1);
  run.target = row.text(2);
  run.trigger = row.text(3);
  run.state = row.text(4);
  run.dry_run = row.int64(5) != 0;
  run.created_at_ms = row.int64(6);
  run.started_at_ms = row.opt_int64(7);
  run.finished_at_ms = row.opt_int64(8);
  run.heartbeat_at_ms = row.opt_int64(9);
  run.deadline_at_ms = row.opt_int64(10);
  run.counts_json = row.text(11);
  run.error_code = row.text(12);
  run.error_message = row.text(13);
  run.plan_json = row.text(14);
  run.warnings_json = row.text(15);
  run.upstream_account_id = row.text(16);
  run.progress_json = row.text(17);
  run.confirmed_plan_id = row.text(18);
  return run;
}

Status end_run(sql::Transaction& tx, std::int64_t tenant_id, std::int64_t run_id, const RunOutcome& outcome,
               std::int64_t now_ms) {
  // The state condition makes a late worker's write fail instead of overwriting the sweep's verdict.
  Result<sql::QueryResult> updated = tx.query(
      "UPDATE sync_runs SET state = ?, finished_at = ?, counts = ?, error_code = ?, error_message = ?, "
      "plan = ?, warnings = ?, upstream_account_id = ? "
      "WHERE id = ? AND (? = 0 OR tenant_id = ?) AND state IN ('queued', 'running')",
      {outcome.state, now_ms, outcome.counts_json, text_or_null(outcome.error_code),
       text_or_null(outcome.error_message), text_or_null(outcome.plan_json), outcome.warnings_json,
       text_or_null(outcome.upstream_account_id), run_id, tenant_id, tenant_id});
  if (!updated.ok()) return to_store_error(updated.error());
  if (updated->affected == 0) {
    Result<sql::QueryResult> found =
        tx.query("SELECT state FROM sync_runs WHERE id = ? AND (? = 0 OR tenant_id = ?)",
                 {run_id, tenant_id, tenant_id});
    if (!found.ok()) return to_store_error(found.error());
    if (found->empty()) return not_found("run " + std::to_string(run_id) + " does not exist");
    return Error{"conflict", "run " + std::to_string(run_id) + " already ended (" + found->rows[0].text(0) +
                                 "); its outcome was not written"};
  }
  Result<sql::QueryResult> deleted = tx.query("DELETE FROM jobs WHERE run_id = ?", {run_id});
  if (!deleted.ok()) return to_store_error(deleted.error());
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

bool is_postgres(const sql::Transaction& tx) { return tx.backend() == "postgresql"; }

// Serializes run creation per (tenant, target) on PostgreSQL until the transaction ends; SQLite's
// writer lock already does.
Status lock_target(sql::Transaction& tx, std::int64_t tenant_id, const std::string& target) {
  if (!is_postgres(tx)) return {};
  Result<sql::QueryResult> r = tx.query("SELECT pg_advisory_xact_lock(hashtext(CAST(? AS TEXT)))",
                                        {"sync_run:" + std::to_string(tenant_id) + ":" + target});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

// The target's queued or running non-dry run, if any (other than `except_id`).
Result<std::optional<SyncRun>> active_run(sql::Transaction& tx, std::int64_t tenant_id,
                                          const std::string& target, std::int64_t except_id) {
  static const std::string kSql = select_runs(
      "WHERE tenant_id = ? AND target = ? AND dry_run = 0 AND state IN ('queued', 'running') AND id <> ? "
      "ORDER BY id LIMIT 1");
  Result<sql::QueryResult> r = tx.query(kSql, {tenant_id, target, except_id});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<SyncRun>();
  return std::optional<SyncRun>(run_from(r->rows.front()));
}

Status insert_job(sql::Transaction& tx, std::int64_t tenant_id, std::int64_t run_id,
                  const std::string& target, std::int64_t attempts, std::int64_t now_ms) {
  Result<sql::QueryResult> r = tx.query(
      "INSERT INTO jobs (tenant_id, run_id, target, run_after, attempts, created_at) VALUES (?, ?, ?, ?, ?, "
      "?)",
      {tenant_id, run_id, target, now_ms, attempts, now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

struct NewRun {
  std::int64_t tenant_id = 0;
  std::string target;
  std::string trigger;
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
      tx.query(kSql, {run.tenant_id, run.target, run.trigger, std::int64_t{run.dry_run ? 1 : 0}, now_ms,
                      run.max_duration_ms, detail::text_or_null(run.plan_json),
                      detail::text_or_null(run.confirmed_plan_id)});
  if (!r.ok()) return to_store_error(r.error());
  SyncRun inserted = run_from(r->rows.at(0));
  if (Status s = insert_job(tx, run.tenant_id, inserted.id, run.target, attempts, now_ms); !s.ok())
    return s.error();
  return inserted;
}

Result<std::optional<SyncRun>> select_one_run(sql::Database& db, const std::string& sql,
                                              const sql::Params& params) {
  Result<sql::QueryResult> r = db.query(Access::read, sql, params);
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<SyncRun>();
  return std::optional<SyncRun>(run_from(r->rows.front()));
}

// After a conditional UPDATE matched nothing: "not_found" or "conflict" with the run's state.
Error missing_or_conflict(sql::Transaction& tx, std::int64_t tenant_id, std::int64_t run_id,
                          const char* wanted) {
  Result<sql::QueryResult> r =
      tx.query("SELECT state FROM sync_runs WHERE id = ? AND tenant_id = ?", {run_id, tenant_id});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return not_found("run " + std::to_string(run_id) + " does not exist");
  return Error{"conflict", "run " + std::to_string(run_id) + " is " + r->rows[0].text(0) + ", not " + wanted};
}

}  // namespace

Result<RunTicket> SqlStore::request_run(std::int64_t tenant_id, const std::string& target,
                                        const std::string& trigger, bool dry_run, std::int64_t deadline_ms,
                                        std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  if (!dry_run) {
    if (Status s = lock_target(tx, tenant_id, target); !s.ok()) return s.error();
    Result<std::optional<SyncRun>> active = active_run(tx, tenant_id, target, 0);
    if (!active.ok()) return active.error();
    if (*active) return RunTicket{std::move(**active), true};
  }
  NewRun run{tenant_id, target, trigger, dry_run, deadline_ms, {}, {}};
  Result<SyncRun> inserted = insert_run(tx, run, 0, now_ms);
  if (!inserted.ok()) return inserted.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return RunTicket{std::move(inserted).value(), false};
}

Result<std::optional<ClaimedJob>> SqlStore::claim_job(const std::string& owner, std::int64_t lease_ms,
                                                      std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // A held job (even with an expired lease) is left to the sweep, which fails and requeues its run.
  const std::string select =
      std::string(
          "SELECT id, run_id, tenant_id, target, attempts FROM jobs "
          "WHERE lease_owner IS NULL AND run_after <= ? ORDER BY run_after, id LIMIT 1") +
      (is_postgres(tx) ? " FOR UPDATE SKIP LOCKED" : "");
  Result<sql::QueryResult> due = tx.query(select, {now_ms});
  if (!due.ok()) return to_store_error(due.error());
  if (due->empty()) return std::optional<ClaimedJob>();

  const sql::Row& row = due->rows.front();
  ClaimedJob job;
  job.job_id = row.int64(0);
  job.run_id = row.int64(1);
  job.tenant_id = row.int64(2);
  job.target = row.text(3);
  job.attempts = static_cast<int>(row.int64(4)) + 1;
  job.lease_expires_at_ms = now_ms + lease_ms;

  Result<sql::QueryResult> leased =
      tx.query("UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, attempts = ? WHERE id = ?",
               {owner, job.lease_expires_at_ms, std::int64_t{job.attempts}, job.job_id});
  if (!leased.ok()) return to_store_error(leased.error());
  Result<sql::QueryResult> started = tx.query(
      "UPDATE sync_runs SET state = 'running', started_at = ?, heartbeat_at = ?, "
      "deadline_at = CASE WHEN max_duration_ms > 0 THEN ? + max_duration_ms ELSE NULL END WHERE id = ?",
      {now_ms, now_ms, now_ms, job.run_id});
  if (!started.ok()) return to_store_error(started.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return std::optional<ClaimedJob>(job);
}

Status SqlStore::renew_lease(std::int64_t job_id, const std::string& owner, std::int64_t lease_ms,
                             std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // Still ours while the row carries our name: the sweep deletes the job when it gives the run up.
  Result<sql::QueryResult> renewed =
      tx.query("UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? RETURNING run_id",
               {now_ms + lease_ms, job_id, owner});
  if (!renewed.ok()) return to_store_error(renewed.error());
  if (renewed->empty()) {
    return Error{"conflict", "the lease of job " + std::to_string(job_id) + " is no longer held by " + owner};
  }
  Result<sql::QueryResult> beat = tx.query("UPDATE sync_runs SET heartbeat_at = ? WHERE id = ?",
                                           {now_ms, renewed->rows.front().int64(0)});
  if (!beat.ok()) return to_store_error(beat.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Status SqlStore::update_run_progress(std::int64_t run_id, const std::string& progress_json,
                                     std::int64_t now_ms) {
  Result<sql::QueryResult> r =
      db_->query(Access::write, "UPDATE sync_runs SET progress = ?, heartbeat_at = ? WHERE id = ?",
                 {progress_json, now_ms, run_id});
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0) return not_found("run " + std::to_string(run_id) + " does not exist");
  return {};
}

Status SqlStore::finish_run(std::int64_t run_id, const RunOutcome& outcome, std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  if (Status s = detail::end_run(tx, 0, run_id, outcome, now_ms); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<std::vector<ExpiredRun>> SqlStore::sweep_expired_runs(std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  const bool pg = is_postgres(tx);
  std::vector<ExpiredRun> ended;

  // Past the deadline first: such a run is not retried (it would most likely overrun again).
  const std::string overdue_sql =
      std::string(
          "SELECT id, tenant_id, target FROM sync_runs "
          "WHERE state = 'running' AND deadline_at IS NOT NULL AND deadline_at <= ? ORDER BY id") +
      (pg ? " FOR UPDATE SKIP LOCKED" : "");
  Result<sql::QueryResult> overdue = tx.query(overdue_sql, {now_ms});
  if (!overdue.ok()) return to_store_error(overdue.error());
  for (const sql::Row& row : overdue->rows) {
    ExpiredRun run{row.int64(0), row.int64(1), row.text(2), "deadline_exceeded"};
    RunOutcome outcome;
    outcome.state = "failed";
    outcome.error_code = run.error_code;
    outcome.error_message = "the run took longer than its deadline and was stopped";
    if (Status s = detail::end_run(tx, 0, run.run_id, outcome, now_ms); !s.ok()) return s.error();
    ended.push_back(std::move(run));
  }

  // Leases that expired: the worker is gone. Its run fails and the target is queued again.
  const std::string lost_sql =
      std::string(
          "SELECT j.run_id, r.tenant_id, r.target, r.trigger, r.dry_run, r.max_duration_ms, r.plan, "
          "r.confirmed_plan_id, j.attempts FROM jobs j JOIN sync_runs r ON r.id = j.run_id "
          "WHERE j.lease_owner IS NOT NULL AND j.lease_expires_at <= ? AND r.state IN ('queued', 'running') "
          "ORDER BY j.id") +
      (pg ? " FOR UPDATE OF j SKIP LOCKED" : "");
  Result<sql::QueryResult> lost = tx.query(lost_sql, {now_ms});
  if (!lost.ok()) return to_store_error(lost.error());
  for (const sql::Row& row : lost->rows) {
    ExpiredRun run{row.int64(0), row.int64(1), row.text(2), "worker_lost"};
    const bool dry_run = row.int64(4) != 0;
    // The same lock request_run takes, so a concurrent request joins the new run, not the failed one.
    if (!dry_run) {
      if (Status s = lock_target(tx, run.tenant_id, run.target); !s.ok()) return s.error();
    }
    RunOutcome outcome;
    outcome.state = "failed";
    outcome.error_code = run.error_code;
    outcome.error_message =
        "the worker running this sync stopped renewing its lease; the sync was queued again";
    if (Status s = detail::end_run(tx, 0, run.run_id, outcome, now_ms); !s.ok()) return s.error();
    // The new job carries the attempts on, so the engine can see a run that keeps killing workers.
    NewRun again{run.tenant_id, run.target, row.text(3), dry_run, row.int64(5), row.text(6), row.text(7)};
    Result<SyncRun> requeued = insert_run(tx, again, row.int64(8), now_ms);
    if (!requeued.ok()) return requeued.error();
    ended.push_back(std::move(run));
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return ended;
}

Result<std::optional<SyncRun>> SqlStore::find_run(std::int64_t tenant_id, std::int64_t run_id) {
  static const std::string kSql = select_runs("WHERE tenant_id = ? AND id = ?");
  return select_one_run(*db_, kSql, {tenant_id, run_id});
}

Result<std::vector<SyncRun>> SqlStore::list_runs(std::int64_t tenant_id, int limit,
                                                 std::optional<PageCursor> after) {
  static const std::string kFirst =
      select_runs("WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?");
  static const std::string kAfter = select_runs(
      "WHERE tenant_id = ? AND (created_at < ? OR (created_at = ? AND id < ?)) "
      "ORDER BY created_at DESC, id DESC LIMIT ?");
  const std::int64_t n = std::clamp(limit, 1, kMaxPage);
  Result<sql::QueryResult> r =
      after ? db_->query(Access::read, kAfter, {tenant_id, after->sort_ms, after->sort_ms, after->id, n})
            : db_->query(Access::read, kFirst, {tenant_id, n});
  if (!r.ok()) return to_store_error(r.error());
  std::vector<SyncRun> runs;
  runs.reserve(r->rows.size());
  for (const sql::Row& row : r->rows) runs.push_back(run_from(row));
  return runs;
}

Result<std::optional<SyncRun>> SqlStore::latest_run(std::int64_t tenant_id, const std::string& target) {
  static const std::string kSql = select_runs(
      "WHERE tenant_id = ? AND target = ? AND dry_run = 0 ORDER BY created_at DESC, id DESC LIMIT 1");
  return select_one_run(*db_, kSql, {tenant_id, target});
}

Result<std::optional<SyncRun>> SqlStore::latest_finished_run(std::int64_t tenant_id,
                                                             const std::string& target) {
  static const std::string kSql = select_runs(
      "WHERE tenant_id = ? AND target = ? AND dry_run = 0 "
      "AND state IN ('succeeded', 'failed', 'held', 'cancelled') ORDER BY finished_at DESC, id DESC LIMIT 1");
  return select_one_run(*db_, kSql, {tenant_id, target});
}

Result<SyncRun> SqlStore::confirm_held_run(std::int64_t tenant_id, std::int64_t run_id,
                                           const std::string& plan_id, std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  Result<sql::QueryResult> held = tx.query(
      "SELECT target FROM sync_runs WHERE id = ? AND tenant_id = ? AND state = 'held'", {run_id, tenant_id});
  if (!held.ok()) return to_store_error(held.error());
  if (held->empty()) return missing_or_conflict(tx, tenant_id, run_id, "held");
  const std::string target = held->rows.front().text(0);

  if (Status s = lock_target(tx, tenant_id, target); !s.ok()) return s.error();
  Result<std::optional<SyncRun>> active = active_run(tx, tenant_id, target, run_id);
  if (!active.ok()) return active.error();
  if (*active) {
    return Error{"conflict", "run " + std::to_string((*active)->id) + " of " + target +
                                 " is already queued or running; confirm the plan once it ends"};
  }
  // The state condition again: another confirm or a cancel may have won meanwhile (PostgreSQL).
  static const std::string kRequeue =
      std::string(
          "UPDATE sync_runs SET state = 'queued', confirmed_plan_id = ?, started_at = NULL, "
          "finished_at = NULL, heartbeat_at = NULL, deadline_at = NULL, error_code = NULL, "
          "error_message = NULL WHERE id = ? AND tenant_id = ? AND state = 'held' RETURNING ") +
      kRunColumns;
  Result<sql::QueryResult> requeued = tx.query(kRequeue, {plan_id, run_id, tenant_id});
  if (!requeued.ok()) return to_store_error(requeued.error());
  if (requeued->empty()) return missing_or_conflict(tx, tenant_id, run_id, "held");
  SyncRun run = run_from(requeued->rows.front());
  if (Status s = insert_job(tx, tenant_id, run_id, target, 0, now_ms); !s.ok()) return s.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return run;
}

Result<SyncRun> SqlStore::cancel_run(std::int64_t tenant_id, std::int64_t run_id, std::int64_t now_ms) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // Conditional, so a claim that started the run meanwhile wins and this answers "conflict".
  static const std::string kCancel =
      std::string(
          "UPDATE sync_runs SET state = 'cancelled', finished_at = ? "
          "WHERE id = ? AND tenant_id = ? AND state IN ('held', 'queued') RETURNING ") +
      kRunColumns;
  Result<sql::QueryResult> cancelled = tx.query(kCancel, {now_ms, run_id, tenant_id});
  if (!cancelled.ok()) return to_store_error(cancelled.error());
  if (cancelled->empty()) return missing_or_conflict(tx, tenant_id, run_id, "held or queued");
  Result<sql::QueryResult> deleted = tx.query("DELETE FROM jobs WHERE run_id = ?", {run_id});
  if (!deleted.ok()) return to_store_error(deleted.error());
  SyncRun run = run_from(cancelled->rows.front());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return run;
}

Result<bool> SqlStore::claim_tick(const std::string& schedule, std::int64_t tick_at_ms,
                                  const std::string& owner, std::int64_t now_ms) {
  Result<sql::QueryResult> r =
      db_->query(Access::write,
                 "INSERT INTO scheduler_ticks (schedule, tick_at, claimed_by, claimed_at) "
                 "VALUES (?, ?, ?, ?) ON CONFLICT (schedule, tick_at) DO NOTHING",
                 {schedule, tick_at_ms, owner, now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return r->affected == 1;
}

}  // namespace tenantsync::store
