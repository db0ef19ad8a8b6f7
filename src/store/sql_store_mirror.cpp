// SqlStore: the voice-platform mirror (agents, phone_numbers, campaigns, executions; one shape).
// Table names come only from core::to_string(Resource), never from input.
#include <algorithm>
#include <array>
#include <string>

#include "store/execution_columns.hpp"
#include "store/sql_mirror_rows.hpp"
#include "store/sql_run_rows.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_voice_staging.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

constexpr int kMaxPage = 500;
// Creates go in multi-row INSERTs of this many rows (16 parameters each): one round trip per chunk
// on PostgreSQL, one cached statement reused on SQLite. The remainder goes row by row.
constexpr std::size_t kInsertChunk = 100;

const std::string kItemColumns = detail::mirror_item_columns("");
// Lists sort by upstream creation time, falling back to when tenantsync stored the row.
constexpr const char* kSortKey = "COALESCE(upstream_created_at, created_at)";

std::string table(core::Resource resource) { return std::string(core::to_string(resource)); }

std::int64_t resource_index(core::Resource resource) {
  for (std::size_t i = 0; i < core::kAllResources.size(); ++i) {
    if (core::kAllResources[i] == resource) return static_cast<std::int64_t>(i);
  }
  return 0;
}

using detail::mirror_item_from;

MirrorItem item_from(const sql::Row& row, core::Resource resource) { return mirror_item_from(row, resource); }

// The record's own columns, which creates, updates and restores all write: name, status, agent_id,
// batch_id, upstream_created_at, upstream_updated_at, fields, raw, content_hash. Upstream times of 0
// mean "none given" and are stored as NULL, so lists fall back to created_at.
sql::Params record_params(const core::UpstreamRecord& r) {
  return {r.name,
          r.status,
          sql::null_if_empty(r.agent_id),
          sql::null_if_empty(r.batch_id),
          sql::null_if_zero(r.created_at_ms),
          sql::null_if_zero(r.updated_at_ms),
          r.fields_json.empty() ? std::string("{}") : r.fields_json,
          r.raw_json.empty() ? std::string("{}") : r.raw_json,
          r.content_hash};
}

// Executions carry the call log's columns too (store/execution_columns.hpp), derived here from
// their fields so every write of a row keeps them in step with it; empty for other resources.
// `region` is the tenant's, for numbers without a country code.
sql::Params call_params(core::Resource resource, const core::UpstreamRecord& r, const std::string& region) {
  if (resource != core::Resource::executions) return {};
  const ExecutionColumns c = execution_columns(r.fields_json, region);
  const auto real = [](const std::optional<double>& v) { return v ? sql::Value(*v) : sql::Value(nullptr); };
  return {sql::null_if_empty(c.from_e164), sql::null_if_empty(c.to_e164), real(c.duration_s), real(c.cost)};
}

std::string insert_sql(core::Resource resource, std::size_t rows) {
  const bool calls = resource == core::Resource::executions;
  std::string sql = "INSERT INTO " + table(resource) +
                    " (tenant_id, upstream_id, upstream_account_id, name, status, agent_id, batch_id, "
                    "upstream_created_at, upstream_updated_at, fields, raw, content_hash, first_seen_run, "
                    "last_seen_run, created_at, updated_at" +
                    (calls ? ", from_e164, to_e164, duration_s, cost" : "") + ") VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? "" : ", ";
    sql += calls ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                 : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  }
  return sql;
}

void append_create(sql::Params& params, TenantId tenant_id, const core::ResourcePlan& plan,
                   const core::UpstreamRecord& r, RunId run_id, std::int64_t now_ms,
                   const std::string& region) {
  sql::Params row = sql::bind(tenant_id, r.upstream_id, plan.account_id, record_params(r), run_id, run_id,
                              now_ms, now_ms, call_params(plan.resource, r, region));
  params.insert(params.end(), row.begin(), row.end());
}

Status insert_creates(sql::Transaction& tx, TenantId tenant_id, RunId run_id, const core::ResourcePlan& plan,
                      std::int64_t now_ms, const std::string& region) {
  const std::string chunk_sql = insert_sql(plan.resource, kInsertChunk);
  const std::string one_sql = insert_sql(plan.resource, 1);
  sql::Params params;
  params.reserve(kInsertChunk * 20);
  const std::size_t total = plan.creates.size();
  std::size_t i = 0;
  for (; i + kInsertChunk <= total; i += kInsertChunk) {
    params.clear();
    for (std::size_t k = i; k < i + kInsertChunk; ++k) {
      append_create(params, tenant_id, plan, plan.creates[k], run_id, now_ms, region);
    }
    Result<sql::QueryResult> r = tx.query(chunk_sql, params);
    if (!r.ok()) return to_store_error(r.error());
  }
  for (; i < total; ++i) {
    params.clear();
    append_create(params, tenant_id, plan, plan.creates[i], run_id, now_ms, region);
    Result<sql::QueryResult> r = tx.query(one_sql, params);
    if (!r.ok()) return to_store_error(r.error());
  }
  return {};
}

Error missing_row(core::Resource resource, MirrorRowId id) {
  return not_found(std::string(core::display_name(resource)) + " row " + std::to_string(id.value()) +
                   " does not exist (the plan is stale)");
}

// Updates and restores write the same fields; a restore also clears the archive columns.
Status write_fields(sql::Transaction& tx, const std::string& sql, TenantId tenant_id, RunId run_id,
                    core::Resource resource, const std::string& account_id, MirrorRowId local_id,
                    const core::UpstreamRecord& r, std::int64_t now_ms, const std::string& region) {
  Result<sql::QueryResult> result =
      tx.query(sql, sql::bind(account_id, record_params(r), run_id, now_ms, call_params(resource, r, region),
                              tenant_id, local_id));
  if (!result.ok()) return to_store_error(result.error());
  if (result->affected == 0) return missing_row(resource, local_id);
  return {};
}

Status apply_plan(sql::Transaction& tx, TenantId tenant_id, RunId run_id, const core::ResourcePlan& plan,
                  std::int64_t now_ms, const std::string& region) {
  if (plan.staged) return detail::apply_staged_executions(tx, tenant_id, run_id, plan, now_ms);
  const std::string name = table(plan.resource);
  if (Status s = insert_creates(tx, tenant_id, run_id, plan, now_ms, region); !s.ok()) return s;

  const std::string set_fields =
      "UPDATE " + name +
      " SET upstream_account_id = ?, name = ?, status = ?, agent_id = ?, batch_id = ?, upstream_created_at = "
      "?, "
      "upstream_updated_at = ?, fields = ?, raw = ?, content_hash = ?, last_seen_run = ?, updated_at = ?" +
      (plan.resource == core::Resource::executions ? ", from_e164 = ?, to_e164 = ?, duration_s = ?, cost = ?"
                                                   : "");
  const std::string update_sql = set_fields + " WHERE tenant_id = ? AND id = ?";
  const std::string restore_sql =
      set_fields +
      ", archived_at = NULL, archive_reason = NULL, archive_run = NULL WHERE tenant_id = ? AND id = ?";
  for (const core::PlannedUpdate& u : plan.updates) {
    Status s = write_fields(tx, update_sql, tenant_id, run_id, plan.resource, plan.account_id, u.local_id,
                            u.record, now_ms, region);
    if (!s.ok()) return s;
  }
  for (const core::PlannedRestore& r : plan.restores) {
    Status s = write_fields(tx, restore_sql, tenant_id, run_id, plan.resource, plan.account_id, r.local_id,
                            r.record, now_ms, region);
    if (!s.ok()) return s;
  }

  const std::string archive_sql = "UPDATE " + name +
                                  " SET archived_at = ?, archive_reason = ?, archive_run = ?, updated_at = ? "
                                  "WHERE tenant_id = ? AND id = ?";
  for (const core::PlannedArchive& a : plan.archives) {
    Result<sql::QueryResult> r =
        tx.query(archive_sql, {now_ms, a.reason, run_id.value(), now_ms, tenant_id.value(), a.local_id.value()});
    if (!r.ok()) return to_store_error(r.error());
    if (r->affected == 0) return missing_row(plan.resource, a.local_id);
  }
  return {};
}

// The WHERE clause and parameters of a mirror list (everything but the page size).
struct ListFilter {
  std::string where;
  sql::Params params;
};

ListFilter list_filter(TenantId tenant_id, const MirrorQuery& query) {
  const std::string key = kSortKey;
  ListFilter f{std::string("tenant_id = ? AND archived_at ") + (query.archived ? "IS NOT NULL" : "IS NULL"),
               {tenant_id.value()}};
  if (!query.agent_id.empty()) {
    f.where += " AND agent_id = ?";
    f.params.emplace_back(query.agent_id);
  }
  if (!query.status.empty()) {
    f.where += " AND status = ?";
    f.params.emplace_back(query.status);
  }
  if (query.from_ms) {
    f.where += " AND " + key + " >= ?";
    f.params.emplace_back(*query.from_ms);
  }
  if (query.to_ms) {
    f.where += " AND " + key + " < ?";
    f.params.emplace_back(*query.to_ms);
  }
  if (query.after) {
    f.where += " AND (" + key + " < ? OR (" + key + " = ? AND id < ?))";
    f.params.insert(f.params.end(), {query.after->sort_ms, query.after->sort_ms, query.after->id});
  }
  return f;
}

// In the archive, rows of different tables may share an id and an archived_at (one run archives
// them together), so its keyset id is id * 4 + the resource's index: unique across the tables.
std::string archive_branch(core::Resource resource, bool after) {
  const std::string sort_id = "id * 4 + " + std::to_string(resource_index(resource));
  std::string sql = "SELECT " + kItemColumns + ", " + sort_id + " AS sort_id, " +
                    std::to_string(resource_index(resource)) + " AS resource_index FROM " + table(resource) +
                    " WHERE tenant_id = ? AND archived_at IS NOT NULL";
  if (after) sql += " AND (archived_at < ? OR (archived_at = ? AND " + sort_id + " < ?))";
  return sql;
}

}  // namespace

Result<std::vector<core::LocalRecord>> SqlStore::load_mirror(TenantId tenant_id,
                                                             core::Resource resource) {
  const std::string sql =
      "SELECT id, upstream_id, upstream_account_id, content_hash, name, archived_at, archive_reason FROM " +
      table(resource) + " WHERE tenant_id = ?";
  Result<sql::QueryResult> r = db_->query(Access::read, sql, {tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  std::vector<core::LocalRecord> records;
  records.reserve(r->rows.size());
  for (const sql::Row& row : r->rows) {
    records.push_back(core::LocalRecord{MirrorRowId{row.int64(0)}, row.text(1), row.text(2), row.text(3), row.text(4),
                                        !row.is_null(5), row.text(6)});
  }
  return records;
}

Status SqlStore::apply_voice_plans(TenantId tenant_id, RunId run_id,
                                   const std::vector<core::ResourcePlan>& plans,
                                   const std::vector<core::Resource>& fully_listed,
                                   const std::vector<CursorWrite>& cursors, const RunOutcome& outcome,
                                   const std::optional<LeaseHold>& lease, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // First, so a run the sweep already gave up on, or whose lease another worker holds, changes nothing.
  if (lease) {
    if (Status s = detail::check_lease(tx, *lease, now_ms); !s.ok()) return s;
  }
  if (Status s = detail::end_run(tx, tenant_id, run_id, outcome, now_ms); !s.ok()) return s;
  // Execution numbers without a country code are read in the tenant's region.
  Result<sql::QueryResult> tenant =
      tx.query("SELECT default_region FROM tenants WHERE id = ?", {tenant_id.value()});
  if (!tenant.ok()) return to_store_error(tenant.error());
  const std::string region = tenant->empty() ? std::string("US") : tenant->rows.front().text(0);
  for (const core::ResourcePlan& plan : plans) {
    if (Status s = apply_plan(tx, tenant_id, run_id, plan, now_ms, region); !s.ok()) return s;
  }
  // One statement per resource; rows already stamped with this run are not rewritten.
  for (core::Resource resource : fully_listed) {
    const std::string sql = "UPDATE " + table(resource) +
                            " SET last_seen_run = ? WHERE tenant_id = ? AND archived_at IS NULL "
                            "AND (last_seen_run IS NULL OR last_seen_run <> ?)";
    Result<sql::QueryResult> r = tx.query(sql, {run_id.value(), tenant_id.value(), run_id.value()});
    if (!r.ok()) return to_store_error(r.error());
  }
  for (const CursorWrite& c : cursors) {
    Result<sql::QueryResult> r = tx.query(
        "INSERT INTO sync_cursors (tenant_id, target, key, value, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (tenant_id, target, key) DO UPDATE SET value = excluded.value, updated_at = "
        "excluded.updated_at",
        {tenant_id.value(), c.target, c.key, c.value, now_ms});
    if (!r.ok()) return to_store_error(r.error());
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<MirrorPage> SqlStore::list_mirror(TenantId tenant_id, core::Resource resource,
                                         const MirrorQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxPage);
  ListFilter f = list_filter(tenant_id, query);
  const std::string sql = "SELECT " + kItemColumns + ", " + kSortKey + " FROM " + table(resource) +
                          " WHERE " + f.where + " ORDER BY " + kSortKey + " DESC, id DESC LIMIT ?";
  f.params.emplace_back(std::int64_t{limit} + 1);
  Result<sql::QueryResult> r = db_->query(Access::read, sql, f.params);
  if (!r.ok()) return to_store_error(r.error());

  MirrorPage page;
  const std::size_t shown = std::min(r->rows.size(), static_cast<std::size_t>(limit));
  page.items.reserve(shown);
  for (std::size_t i = 0; i < shown; ++i) page.items.push_back(item_from(r->rows[i], resource));
  if (r->rows.size() > shown) page.next = PageCursor{r->rows[shown - 1].int64(17), page.items.back().id.value()};
  return page;
}

Result<MirrorPage> SqlStore::list_archive(TenantId tenant_id, std::optional<core::Resource> resource,
                                          int limit, std::optional<PageCursor> after) {
  const int n = std::clamp(limit, 1, kMaxPage);
  std::string sql;
  sql::Params params;
  auto add_branch = [&](core::Resource r) {
    sql += sql.empty() ? "" : " UNION ALL ";
    sql += archive_branch(r, after.has_value());
    params.emplace_back(tenant_id.value());
    if (after) params.insert(params.end(), {after->sort_ms, after->sort_ms, after->id});
  };
  if (resource) {
    add_branch(*resource);
  } else {
    for (core::Resource r : core::kAllResources) add_branch(r);
  }
  sql = "SELECT * FROM (" + sql + ") archive ORDER BY archived_at DESC, sort_id DESC LIMIT ?";
  params.emplace_back(std::int64_t{n} + 1);
  Result<sql::QueryResult> r = db_->query(Access::read, sql, params);
  if (!r.ok()) return to_store_error(r.error());

  MirrorPage page;
  const std::size_t shown = std::min(r->rows.size(), static_cast<std::size_t>(n));
  page.items.reserve(shown);
  for (std::size_t i = 0; i < shown; ++i) {
    const sql::Row& row = r->rows[i];
    page.items.push_back(item_from(row, core::kAllResources.at(static_cast<std::size_t>(row.int64(18)))));
  }
  if (r->rows.size() > shown) {
    page.next = PageCursor{page.items.back().archived_at_ms.value_or(0), r->rows[shown - 1].int64(17)};
  }
  return page;
}

Result<MirrorItem> SqlStore::restore_mirror_item(TenantId tenant_id, core::Resource resource,
                                                 MirrorRowId id, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  const std::string name = table(resource);
  const std::string sql =
      "UPDATE " + name +
      " SET archived_at = NULL, archive_reason = NULL, archive_run = NULL, updated_at = ? "
      "WHERE tenant_id = ? AND id = ? AND archived_at IS NOT NULL RETURNING " +
      kItemColumns;
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<sql::QueryResult> restored = tx.query(sql, {now_ms, tenant_id.value(), id.value()});
  if (!restored.ok()) return to_store_error(restored.error());
  if (restored->empty()) {
    Result<sql::QueryResult> found =
        tx.query("SELECT id FROM " + name + " WHERE tenant_id = ? AND id = ?", {tenant_id.value(), id.value()});
    if (!found.ok()) return to_store_error(found.error());
    if (found->empty()) return missing_row(resource, id);
    return Error{core::ErrorCode::conflict, std::string(core::display_name(resource)) + " row " +
                                                std::to_string(id.value()) + " is not archived"};
  }
  MirrorItem item = item_from(restored->rows.front(), resource);
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return item;
}

Result<MirrorCounts> SqlStore::count_mirror(TenantId tenant_id) {
  // Kept by triggers on every write (migration 0008): one row, however many rows the tenant has.
  Result<sql::QueryResult> kept = db_->query(
      Access::read,
      "SELECT agents, phone_numbers, campaigns, executions, leads FROM tenant_counts WHERE tenant_id = ?",
      {tenant_id.value()});
  if (!kept.ok()) return to_store_error(kept.error());
  if (!kept->empty()) {
    const sql::Row& row = kept->rows.front();
    return MirrorCounts{row.int64(0), row.int64(1), row.int64(2), row.int64(3), row.int64(4)};
  }
  // No counters row (no such tenant): the counts themselves, which are zeros then.
  Result<sql::QueryResult> r =
      db_->query(Access::read,
                 "SELECT (SELECT COUNT(*) FROM agents WHERE tenant_id = ? AND archived_at IS NULL), "
                 "(SELECT COUNT(*) FROM phone_numbers WHERE tenant_id = ? AND archived_at IS NULL), "
                 "(SELECT COUNT(*) FROM campaigns WHERE tenant_id = ? AND archived_at IS NULL), "
                 "(SELECT COUNT(*) FROM executions WHERE tenant_id = ? AND archived_at IS NULL), "
                 "(SELECT COUNT(*) FROM leads WHERE tenant_id = ?)",
                 {tenant_id.value(), tenant_id.value(), tenant_id.value(), tenant_id.value(), tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  const sql::Row& row = r->rows.at(0);
  return MirrorCounts{row.int64(0), row.int64(1), row.int64(2), row.int64(3), row.int64(4)};
}

Result<std::map<std::string, std::string>> SqlStore::get_cursors(TenantId tenant_id,
                                                                 const std::string& target) {
  Result<sql::QueryResult> r =
      db_->query(Access::read, "SELECT key, value FROM sync_cursors WHERE tenant_id = ? AND target = ?",
                 {tenant_id.value(), target});
  if (!r.ok()) return to_store_error(r.error());
  std::map<std::string, std::string> cursors;
  for (const sql::Row& row : r->rows) cursors.emplace(row.text(0), row.text(1));
  return cursors;
}

}  // namespace tenantsync::store
