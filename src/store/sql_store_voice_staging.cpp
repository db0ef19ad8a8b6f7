// SqlStore: a voice run's executions staged as they are read (table voice_staging, migration
// 0008), planned against the mirror by SQL and applied from there. So a run's memory does not
// grow with the account: what it holds at any time is one buffer of records and the first items
// of each plan list (docs/sync.md, "Memory").
#include <cstdint>
#include <string>
#include <unordered_map>

#include "store/execution_columns.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_voice_staging.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

// Rows per multi-row INSERT (18 parameters each); the remainder goes row by row, so there are
// only two statement texts to prepare and cache.
constexpr std::size_t kStageChunk = 100;
// The first items of each plan list that a held or dry run shows (as run_report's cap).
constexpr int kListed = 200;
// Ids read per query while digesting a plan's restores and archives.
constexpr int kDigestChunk = 2000;

constexpr const char* kStageColumns =
    "(tenant_id, run_id, listing, upstream_id, name, status, agent_id, batch_id, upstream_created_at, "
    "upstream_updated_at, fields, raw, content_hash, from_e164, to_e164, duration_s, cost)";
constexpr const char* kStageRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

std::string stage_sql(std::size_t rows) {
  std::string sql = std::string("INSERT INTO voice_staging ") + kStageColumns + " VALUES ";
  for (std::size_t i = 0; i < rows; ++i) sql += (i == 0 ? "" : ", ") + std::string(kStageRow);
  return sql + " ON CONFLICT (run_id, upstream_id) DO NOTHING RETURNING upstream_id";
}

void append_staged(sql::Params& params, TenantId tenant_id, RunId run_id, const std::string& listing,
                   const core::UpstreamRecord& r, const std::string& region) {
  const ExecutionColumns c = execution_columns(r.fields_json, region);
  const auto real = [](const std::optional<double>& v) { return v ? sql::Value(*v) : sql::Value(nullptr); };
  sql::Params row = sql::bind(tenant_id, run_id, listing, r.upstream_id, r.name, r.status,
                              sql::null_if_empty(r.agent_id), sql::null_if_empty(r.batch_id),
                              sql::null_if_zero(r.created_at_ms), sql::null_if_zero(r.updated_at_ms),
                              r.fields_json.empty() ? std::string("{}") : r.fields_json,
                              r.raw_json.empty() ? std::string("{}") : r.raw_json, r.content_hash,
                              sql::null_if_empty(c.from_e164), sql::null_if_empty(c.to_e164),
                              real(c.duration_s), real(c.cost));
  params.insert(params.end(), row.begin(), row.end());
}

// FNV-1a, 64 bits: the store has no cryptographic hash (crypto is a layer above); the plan id
// hashes this digest again with SHA-256 together with the counts.
void fnv1a(std::uint64_t& h, std::string_view text) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= 0xff;  // a separator no id contains
  h *= 1099511628211ULL;
}

// The staged rows joined to their mirror rows: "s" the staged row, "e" the mirror row or NULLs.
constexpr const char* kJoin =
    " FROM voice_staging s LEFT JOIN executions e ON e.tenant_id = ? AND e.upstream_id = s.upstream_id "
    "WHERE s.run_id = ?";
// A staged row that changes its mirror row: content or (when the account is known) account differs.
constexpr const char* kChanged =
    "(e.content_hash <> s.content_hash OR (? = 1 AND e.upstream_account_id <> ?))";
// Active rows of another known account that the listing did not bring (archived for the switch).
constexpr const char* kOtherAccount =
    " FROM executions e WHERE e.tenant_id = ? AND e.archived_at IS NULL AND e.upstream_account_id <> '' "
    "AND e.upstream_account_id <> ? AND NOT EXISTS (SELECT 1 FROM voice_staging s WHERE s.run_id = ? AND "
    "s.upstream_id = e.upstream_id)";

}  // namespace

Result<std::vector<std::string>> SqlStore::stage_executions(TenantId tenant_id, RunId run_id,
                                                            const std::string& listing,
                                                            const std::vector<core::UpstreamRecord>& records) {
  std::vector<std::string> repeated;
  if (records.empty()) return repeated;
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  // Numbers without a country code are read in the tenant's region, as the mirror writes them.
  Result<sql::QueryResult> tenant = tx.query("SELECT default_region FROM tenants WHERE id = ?", {tenant_id.value()});
  if (!tenant.ok()) return to_store_error(tenant.error());
  const std::string region = tenant->empty() ? std::string("US") : tenant->rows.front().text(0);

  std::unordered_map<std::string, int> inserted;  // id → rows of it the statements took
  sql::Params params;
  auto stage = [&](std::size_t from, std::size_t rows, const std::string& sql) -> Status {
    params.clear();
    for (std::size_t k = from; k < from + rows; ++k)
      append_staged(params, tenant_id, run_id, listing, records[k], region);
    Result<sql::QueryResult> r = tx.query(sql, params);
    if (!r.ok()) return to_store_error(r.error());
    for (const sql::Row& row : r->rows) ++inserted[row.text(0)];
    return {};
  };
  std::size_t i = 0;
  if (records.size() >= kStageChunk) {
    const std::string chunk_sql = stage_sql(kStageChunk);
    for (; i + kStageChunk <= records.size(); i += kStageChunk)
      if (Status s = stage(i, kStageChunk, chunk_sql); !s.ok()) return s.error();
  }
  const std::string one_sql = stage_sql(1);
  for (; i < records.size(); ++i)
    if (Status s = stage(i, 1, one_sql); !s.ok()) return s.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  // The first record of an id was taken (DO NOTHING keeps the row there); later ones repeat it.
  for (const core::UpstreamRecord& r : records) {
    auto found = inserted.find(r.upstream_id);
    if (found != inserted.end() && found->second > 0)
      --found->second;
    else
      repeated.push_back(r.upstream_id);
  }
  return repeated;
}

Status SqlStore::drop_staged_listing(TenantId tenant_id, RunId run_id, const std::string& listing) {
  Result<sql::QueryResult> r =
      db_->query(Access::write, "DELETE FROM voice_staging WHERE run_id = ? AND tenant_id = ? AND listing = ?",
                 {run_id.value(), tenant_id.value(), listing});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

Status SqlStore::clear_staging(TenantId tenant_id, RunId run_id) {
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      "DELETE FROM voice_staging WHERE tenant_id = ? AND (run_id = ? OR run_id NOT IN "
      "(SELECT id FROM sync_runs WHERE tenant_id = ? AND state = 'running'))",
      {tenant_id.value(), run_id.value(), tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

Result<bool> SqlStore::has_switched_away(TenantId tenant_id, core::Resource resource,
                                         const std::string& account_id) {
  const std::string sql = "SELECT 1 FROM " + std::string(core::to_string(resource)) +
                          " WHERE tenant_id = ? AND archive_reason = ? AND upstream_account_id = ? AND "
                          "archived_at IS NOT NULL LIMIT 1";
  Result<sql::QueryResult> r = db_->query(
      Access::read, sql, {tenant_id.value(), std::string(core::kReasonAccountSwitched), account_id});
  if (!r.ok()) return to_store_error(r.error());
  return !r->empty();
}

Result<core::ResourcePlan> SqlStore::plan_staged_executions(TenantId tenant_id, RunId run_id,
                                                           const core::ReconcileContext& context) {
  core::ResourcePlan plan;
  plan.resource = core::Resource::executions;
  plan.account_id = context.current_account_id;
  core::StagedTotals totals;
  const bool account_known = !context.current_account_id.empty();
  const std::int64_t known = account_known ? 1 : 0;
  const std::string& account = context.current_account_id;
  // One read transaction, so every count and list sees the same mirror.
  Result<sql::Transaction> begun = db_->begin(Access::read);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  auto query = [&](const std::string& sql, const sql::Params& params) -> Result<sql::QueryResult> {
    Result<sql::QueryResult> r = tx.query(sql, params);
    if (!r.ok()) return to_store_error(r.error());
    return r;
  };

  Result<sql::QueryResult> sums =
      query(std::string("SELECT COUNT(*), COUNT(e.id), "
                        "COALESCE(SUM(CASE WHEN e.archived_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
                        "COALESCE(SUM(CASE WHEN e.archived_at IS NULL AND ") +
                kChanged + " THEN 1 ELSE 0 END), 0)" + kJoin,
            {known, account, tenant_id.value(), run_id.value()});
  if (!sums.ok()) return sums.error();
  const sql::Row& s = sums->rows.at(0);
  totals.rows = s.int64(0);
  totals.creates = static_cast<int>(s.int64(0) - s.int64(1));
  totals.restores = static_cast<int>(s.int64(2));
  totals.updates = static_cast<int>(s.int64(3));
  plan.unchanged = static_cast<int>(s.int64(1) - s.int64(2) - s.int64(3));

  // The active rows from the tenant's counters (kept by triggers), else counted.
  Result<sql::QueryResult> active =
      query("SELECT executions FROM tenant_counts WHERE tenant_id = ?", {tenant_id.value()});
  if (!active.ok()) return active.error();
  if (active->empty()) {
    active = query("SELECT COUNT(*) FROM executions WHERE tenant_id = ? AND archived_at IS NULL",
                   {tenant_id.value()});
    if (!active.ok()) return active.error();
  }
  plan.active_before = static_cast<int>(active->rows.at(0).int64(0));

  // Rows of another account are archived only when every agent's executions were read: as the
  // planner, absence from a part of the listing says nothing. Two range probes on the index
  // executions_account first, so a run without a switch reads no execution rows.
  bool other_exists = false;
  if (account_known) {
    for (const char* range : {"upstream_account_id > ?", "upstream_account_id > '' AND upstream_account_id < ?"}) {
      Result<sql::QueryResult> probe =
          query(std::string("SELECT 1 FROM executions WHERE tenant_id = ? AND archived_at IS NULL AND ") + range +
                    " LIMIT 1",
                {tenant_id.value(), account});
      if (!probe.ok()) return probe.error();
      other_exists = other_exists || !probe->empty();
    }
  }
  int other_rows = 0;
  if (other_exists) {
    Result<sql::QueryResult> other =
        query(std::string("SELECT COUNT(*)") + kOtherAccount, {tenant_id.value(), account, run_id.value()});
    if (!other.ok()) return other.error();
    other_rows = static_cast<int>(other->rows.at(0).int64(0));
  }
  if (context.listing_complete) {
    totals.archives = other_rows;
    totals.archive_other_accounts = other_rows > 0;
  }
  plan.kept_unseen = plan.active_before - (static_cast<int>(s.int64(1) - s.int64(2))) - totals.archives;

  // The first items of each list, in listing order, for a person to read.
  const std::string limit = " LIMIT " + std::to_string(kListed);
  Result<sql::QueryResult> creates =
      query(std::string("SELECT s.upstream_id, s.name") + kJoin + " AND e.id IS NULL ORDER BY s.id" + limit,
            {tenant_id.value(), run_id.value()});
  if (!creates.ok()) return creates.error();
  for (const sql::Row& row : creates->rows) {
    core::UpstreamRecord r;
    r.upstream_id = row.text(0);
    r.name = row.text(1);
    plan.creates.push_back(std::move(r));
  }
  Result<sql::QueryResult> restores = query(
      std::string("SELECT e.id, s.upstream_id, s.name, e.archive_reason") + kJoin +
          " AND e.archived_at IS NOT NULL ORDER BY s.id" + limit,
      {tenant_id.value(), run_id.value()});
  if (!restores.ok()) return restores.error();
  for (const sql::Row& row : restores->rows) {
    core::UpstreamRecord r;
    r.upstream_id = row.text(1);
    r.name = row.text(2);
    plan.restores.push_back(core::PlannedRestore{MirrorRowId{row.int64(0)}, std::move(r), row.text(3)});
  }
  if (totals.archive_other_accounts) {
    Result<sql::QueryResult> archives =
        query(std::string("SELECT e.id, e.upstream_id, e.name") + kOtherAccount + " ORDER BY e.id" + limit,
              {tenant_id.value(), account, run_id.value()});
    if (!archives.ok()) return archives.error();
    for (const sql::Row& row : archives->rows)
      plan.archives.push_back(core::PlannedArchive{MirrorRowId{row.int64(0)}, row.text(1), row.text(2),
                                                   std::string(core::kReasonAccountSwitched)});
  }

  // What the plan restores and archives, every id in order, folded into one digest: a confirmed
  // plan is applied only while it is the same (run_report's plan id).
  std::uint64_t digest = 14695981039346656037ULL;
  auto fold = [&](const std::string& head, const std::string& tail, const sql::Params& params) -> Status {
    std::string after;
    for (;;) {
      sql::Params p = params;
      p.emplace_back(after);
      Result<sql::QueryResult> ids = query(head + " AND " + tail + " > ? ORDER BY " + tail + " LIMIT " +
                                               std::to_string(kDigestChunk),
                                           p);
      if (!ids.ok()) return ids.error();
      for (const sql::Row& row : ids->rows) fnv1a(digest, row.text(0));
      if (ids->rows.size() < static_cast<std::size_t>(kDigestChunk)) return {};
      after = ids->rows.back().text(0);
    }
  };
  if (totals.restores > 0) {
    fnv1a(digest, "restore");
    if (Status st = fold(std::string("SELECT s.upstream_id") + kJoin + " AND e.archived_at IS NOT NULL",
                         "s.upstream_id", {tenant_id.value(), run_id.value()});
        !st.ok())
      return st.error();
  }
  if (totals.archives > 0) {
    fnv1a(digest, "archive");
    if (Status st = fold(std::string("SELECT e.upstream_id") + kOtherAccount, "e.upstream_id",
                         {tenant_id.value(), account, run_id.value()});
        !st.ok())
      return st.error();
  }
  if (Status st = tx.commit(); !st.ok()) return to_store_error(st.error());
  totals.digest = std::to_string(totals.restores) + "/" + std::to_string(totals.archives) + "/" +
                  std::to_string(digest);
  plan.staged = std::move(totals);
  return plan;
}

namespace detail {

Status apply_staged_executions(sql::Transaction& tx, TenantId tenant_id, RunId run_id,
                               const core::ResourcePlan& plan, std::int64_t now_ms) {
  const core::StagedTotals& totals = *plan.staged;
  // The rows planned must all still be there: a plan applied from fewer rows would move the
  // cursors past executions it never wrote.
  Result<sql::QueryResult> staged =
      tx.query("SELECT COUNT(*) FROM voice_staging WHERE run_id = ?", {run_id.value()});
  if (!staged.ok()) return to_store_error(staged.error());
  if (staged->rows.at(0).int64(0) != totals.rows)
    return make_error(core::ErrorCode::conflict, "the executions staged by the run changed before its write");

  const std::int64_t known = plan.account_id.empty() ? 0 : 1;
  // Updates and restores in one statement (a restore also clears the archive columns, which an
  // active row has empty already). Driven by the staged rows, never by the tenant's executions:
  // the rows to change are picked by walking the staging table (CROSS JOIN keeps SQLite's order;
  // PostgreSQL plans it as a plain join) and found by (tenant_id, upstream_id), so a sync that
  // staged 25 executions touches 25, however many the mirror holds. (UPDATE … FROM let SQLite scan
  // every execution of the tenant and probe the staging table: O(mirror) on every no-change sync.)
  Result<sql::QueryResult> updated = tx.query(
      "UPDATE executions SET upstream_account_id = ?, (name, status, agent_id, batch_id, upstream_created_at, "
      "upstream_updated_at, fields, raw, content_hash, from_e164, to_e164, duration_s, cost) = (SELECT s.name, "
      "s.status, s.agent_id, s.batch_id, s.upstream_created_at, s.upstream_updated_at, s.fields, s.raw, "
      "s.content_hash, s.from_e164, s.to_e164, s.duration_s, s.cost FROM voice_staging s WHERE s.run_id = ? AND "
      "s.upstream_id = executions.upstream_id), last_seen_run = ?, updated_at = ?, archived_at = NULL, "
      "archive_reason = NULL, archive_run = NULL "
      "WHERE tenant_id = ? AND upstream_id IN (SELECT s.upstream_id FROM voice_staging s CROSS JOIN executions e "
      "WHERE s.run_id = ? AND e.tenant_id = ? AND e.upstream_id = s.upstream_id AND (e.archived_at IS NOT NULL OR "
      "e.content_hash <> s.content_hash OR (? = 1 AND e.upstream_account_id <> ?)))",
      {plan.account_id, run_id.value(), run_id.value(), now_ms, tenant_id.value(), run_id.value(),
       tenant_id.value(), known, plan.account_id});
  if (!updated.ok()) return to_store_error(updated.error());
  Result<sql::QueryResult> created = tx.query(
      "INSERT INTO executions (tenant_id, upstream_id, upstream_account_id, name, status, agent_id, batch_id, "
      "upstream_created_at, upstream_updated_at, fields, raw, content_hash, first_seen_run, last_seen_run, "
      "created_at, updated_at, from_e164, to_e164, duration_s, cost) "
      "SELECT ?, s.upstream_id, ?, s.name, s.status, s.agent_id, s.batch_id, s.upstream_created_at, "
      "s.upstream_updated_at, s.fields, s.raw, s.content_hash, ?, ?, ?, ?, s.from_e164, s.to_e164, "
      "s.duration_s, s.cost FROM voice_staging s WHERE s.run_id = ? AND NOT EXISTS (SELECT 1 FROM executions e "
      "WHERE e.tenant_id = ? AND e.upstream_id = s.upstream_id) ORDER BY s.id",
      {tenant_id.value(), plan.account_id, run_id.value(), run_id.value(), now_ms, now_ms, run_id.value(),
       tenant_id.value()});
  if (!created.ok()) return to_store_error(created.error());
  if (totals.archive_other_accounts) {
    Result<sql::QueryResult> archived = tx.query(
        "UPDATE executions SET archived_at = ?, archive_reason = ?, archive_run = ?, updated_at = ? "
        "WHERE tenant_id = ? AND archived_at IS NULL AND upstream_account_id <> '' AND upstream_account_id <> ? "
        "AND NOT EXISTS (SELECT 1 FROM voice_staging s WHERE s.run_id = ? AND s.upstream_id = "
        "executions.upstream_id)",
        {now_ms, std::string(core::kReasonAccountSwitched), run_id.value(), now_ms, tenant_id.value(),
         plan.account_id, run_id.value()});
    if (!archived.ok()) return to_store_error(archived.error());
  }
  Result<sql::QueryResult> cleared = tx.query("DELETE FROM voice_staging WHERE run_id = ?", {run_id.value()});
  if (!cleared.ok()) return to_store_error(cleared.error());
  return {};
}

}  // namespace detail
}  // namespace tenantsync::store
