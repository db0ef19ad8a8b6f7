// SqlStore: the call log (executions joined with their agent, filtered and searched), the cache of
// call details, and the aggregates the dashboard charts (GROUP BY in the database: no rows are
// loaded to count them).
#include <algorithm>
#include <cctype>
#include <string>

#include "store/sql_mirror_rows.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

constexpr int kMaxPage = 500;
constexpr std::int64_t kDayMs = 86'400'000;
// The per-agent chart shows at most this many agents (the busiest).
constexpr int kMaxAgents = 500;
// The list's sort key, written as the executions_*recent indexes spell it.
constexpr const char* kSortKey = "COALESCE(e.upstream_created_at, e.created_at)";

// The execution's columns (17), then agent name and row id, numbers, duration, cost, campaign
// name and row id, and the sort key (25).
constexpr std::size_t kSortColumn = 25;
std::string call_select() {
  return "SELECT " + detail::mirror_item_columns("e.") +
         ", a.name, a.id, e.from_e164, e.to_e164, e.duration_s, e.cost, c.name, c.id, " + kSortKey +
         " FROM executions e LEFT JOIN agents a ON a.tenant_id = e.tenant_id AND a.upstream_id = e.agent_id"
         " LEFT JOIN campaigns c ON c.tenant_id = e.tenant_id AND c.upstream_id = e.batch_id";
}

std::optional<double> opt_real(const sql::Row& row, std::size_t i) {
  return row.is_null(i) ? std::nullopt : std::optional<double>(row.real(i));
}

CallRow call_from(const sql::Row& row) {
  CallRow call;
  call.item = detail::mirror_item_from(row, core::Resource::executions);
  call.agent_name = row.text(17);
  if (!row.is_null(18)) call.agent_row = MirrorRowId{row.int64(18)};
  call.from_e164 = row.text(19);
  call.to_e164 = row.text(20);
  call.duration_s = opt_real(row, 21);
  call.cost = opt_real(row, 22);
  call.campaign_name = row.text(23);
  if (!row.is_null(24)) call.campaign_row = MirrorRowId{row.int64(24)};
  return call;
}

// Escapes LIKE wildcards in user input (the query uses ESCAPE '\'), lower-cased for LOWER(col).
std::string like_pattern(const std::string& q) {
  std::string out = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  out += '%';
  return out;
}

std::pair<std::string, sql::Params> call_filter(TenantId tenant_id, const CallQuery& q) {
  std::string where = " WHERE e.tenant_id = ?";
  sql::Params params{tenant_id.value()};
  if (!q.include_archived) where += " AND e.archived_at IS NULL";
  const auto equal = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    where += std::string(" AND ") + column + " = ?";
    params.emplace_back(value);
  };
  equal("e.agent_id", q.agent_id);
  equal("e.status", q.status);
  equal("e.batch_id", q.batch_id);
  if (!q.number_e164.empty()) {
    where += " AND (e.from_e164 = ? OR e.to_e164 = ?)";
    params.insert(params.end(), {q.number_e164, q.number_e164});
  }
  if (!q.q.empty()) {
    // LOWER() on both backends: LIKE is case-sensitive on PostgreSQL and not on SQLite.
    where +=
        " AND (LOWER(e.upstream_id) LIKE ? ESCAPE '\\' OR LOWER(e.agent_id) LIKE ? ESCAPE '\\' OR "
        "LOWER(e.batch_id) LIKE ? ESCAPE '\\' OR e.from_e164 LIKE ? ESCAPE '\\' OR e.to_e164 LIKE ? ESCAPE "
        "'\\'";
    const std::string pattern = like_pattern(q.q);
    params.insert(params.end(), {pattern, pattern, pattern, pattern, pattern});
    if (!q.q_e164.empty()) {
      where += " OR e.from_e164 = ? OR e.to_e164 = ?";
      params.insert(params.end(), {q.q_e164, q.q_e164});
    }
    where += ")";
  }
  const std::string key = kSortKey;
  if (q.from_ms) {
    where += " AND " + key + " >= ?";
    params.emplace_back(*q.from_ms);
  }
  if (q.to_ms) {
    where += " AND " + key + " < ?";
    params.emplace_back(*q.to_ms);
  }
  if (q.after) {
    where += " AND (" + key + " < ? OR (" + key + " = ? AND e.id < ?))";
    params.insert(params.end(), {q.after->sort_ms, q.after->sort_ms, q.after->id});
  }
  return {where, params};
}

}  // namespace

Result<CallPage> SqlStore::list_calls(TenantId tenant_id, const CallQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxPage);
  auto [where, params] = call_filter(tenant_id, query);
  const std::string text = call_select() + where + " ORDER BY " + kSortKey + " DESC, e.id DESC LIMIT ?";
  params.emplace_back(std::int64_t{limit} + 1);
  Result<sql::QueryResult> r = db_->query(Access::read, text, params);
  if (!r.ok()) return to_store_error(r.error());
  CallPage page;
  const std::size_t shown = std::min(r->rows.size(), static_cast<std::size_t>(limit));
  page.items.reserve(shown);
  for (std::size_t i = 0; i < shown; ++i) page.items.push_back(call_from(r->rows[i]));
  if (r->rows.size() > shown)
    page.next = PageCursor{r->rows[shown - 1].int64(kSortColumn), page.items.back().item.id.value()};
  return page;
}

Result<std::optional<CallRow>> SqlStore::find_call(TenantId tenant_id, MirrorRowId id) {
  const std::string text = call_select() + " WHERE e.tenant_id = ? AND e.id = ?";
  return detail::first_row(db_->query(Access::read, text, {tenant_id.value(), id.value()}), call_from);
}

Result<std::optional<CallDetail>> SqlStore::find_call_detail(TenantId tenant_id, MirrorRowId id) {
  static const std::string kSql =
      "SELECT execution_id, transcript, transcript_bytes, transcript_truncated, recording_url, "
      "extracted_data, "
      "cost_breakdown, telephony_data, fetched_at FROM execution_details WHERE tenant_id = ? AND "
      "execution_id = ?";
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), id.value()}),
                           [](const sql::Row& row) {
                             CallDetail d;
                             sql::read_row(row, d.execution_id, d.transcript, d.transcript_bytes,
                                           d.transcript_truncated, d.recording_url, d.extracted_data_json,
                                           d.cost_breakdown_json, d.telephony_data_json, d.fetched_at_ms);
                             return d;
                           });
}

Status SqlStore::save_call_detail(TenantId tenant_id, const CallDetail& d) {
  // The tenant is checked in the statement: a detail is written only beside the tenant's own execution.
  static const std::string kSql =
      "INSERT INTO execution_details (tenant_id, execution_id, transcript, transcript_bytes, "
      "transcript_truncated, "
      "recording_url, extracted_data, cost_breakdown, telephony_data, fetched_at) "
      "SELECT tenant_id, id, ?, ?, ?, ?, ?, ?, ?, ? FROM executions WHERE tenant_id = ? AND id = ? "
      "ON CONFLICT (tenant_id, execution_id) DO UPDATE SET transcript = excluded.transcript, "
      "transcript_bytes = excluded.transcript_bytes, transcript_truncated = excluded.transcript_truncated, "
      "recording_url = excluded.recording_url, extracted_data = excluded.extracted_data, "
      "cost_breakdown = excluded.cost_breakdown, telephony_data = excluded.telephony_data, "
      "fetched_at = excluded.fetched_at";
  Result<sql::QueryResult> r =
      db_->query(Access::write, kSql,
                 sql::bind(d.transcript, d.transcript_bytes, std::int64_t{d.transcript_truncated ? 1 : 0},
                           d.recording_url, d.extracted_data_json, d.cost_breakdown_json,
                           d.telephony_data_json, d.fetched_at_ms, tenant_id, d.execution_id));
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0)
    return not_found("execution " + std::to_string(d.execution_id.value()) + " does not exist in tenant " +
                     std::to_string(tenant_id.value()));
  return {};
}

Status SqlStore::update_call_columns(TenantId tenant_id, MirrorRowId id, const CallColumnsUpdate& u) {
  // A value the detail does not have keeps the stored one; content_hash stays, so a sync that
  // reads the same (trimmed) listing row again finds the row unchanged and does not undo this.
  static const std::string kSql =
      "UPDATE executions SET fields = ?, status = COALESCE(?, status), batch_id = COALESCE(?, batch_id), "
      "from_e164 = COALESCE(?, from_e164), to_e164 = COALESCE(?, to_e164), "
      "duration_s = COALESCE(?, duration_s), cost = COALESCE(?, cost) WHERE tenant_id = ? AND id = ?";
  const auto real = [](const std::optional<double>& v) { return v ? sql::Value(*v) : sql::Value(nullptr); };
  const ExecutionColumns& c = u.columns;
  Result<sql::QueryResult> r =
      db_->query(Access::write, kSql,
                 sql::bind(u.fields_json, sql::null_if_empty(u.status), sql::null_if_empty(u.batch_id),
                           sql::null_if_empty(c.from_e164), sql::null_if_empty(c.to_e164), real(c.duration_s),
                           real(c.cost), tenant_id, id));
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0)
    return not_found("execution " + std::to_string(id.value()) + " does not exist in tenant " +
                     std::to_string(tenant_id.value()));
  return {};
}

Result<CallStats> SqlStore::call_stats(TenantId tenant_id, const std::string& agent_id,
                                       const std::string& batch_id) {
  // Sums and counts per status; the averages over all statuses are combined from them.
  std::string text =
      "SELECT status, COUNT(*), SUM(duration_s), COUNT(duration_s), SUM(cost), COUNT(cost) FROM executions "
      "WHERE tenant_id = ? AND archived_at IS NULL";
  sql::Params params{tenant_id.value()};
  if (!agent_id.empty()) {
    text += " AND agent_id = ?";
    params.emplace_back(agent_id);
  }
  if (!batch_id.empty()) {
    text += " AND batch_id = ?";
    params.emplace_back(batch_id);
  }
  text += " GROUP BY status ORDER BY COUNT(*) DESC, status";
  Result<sql::QueryResult> r = db_->query(Access::read, text, params);
  if (!r.ok()) return to_store_error(r.error());
  CallStats stats;
  double duration_sum = 0, cost_sum = 0;
  std::int64_t with_duration = 0, with_cost = 0;
  for (const sql::Row& row : r->rows) {
    stats.by_status.emplace_back(row.text(0), row.int64(1));
    stats.calls += row.int64(1);
    duration_sum += row.real(2);
    with_duration += row.int64(3);
    cost_sum += row.real(4);
    with_cost += row.int64(5);
  }
  if (with_duration > 0) stats.average_duration_s = duration_sum / static_cast<double>(with_duration);
  if (with_cost > 0) {
    stats.average_cost = cost_sum / static_cast<double>(with_cost);
    stats.total_cost = cost_sum;
  }
  return stats;
}

Result<std::vector<DayCount>> SqlStore::calls_per_day(TenantId tenant_id, std::int64_t from_ms,
                                                      std::int64_t to_ms) {
  // Integer division on both backends (BIGINT / BIGINT): the UTC day of the call.
  static const std::string kSql =
      "SELECT COALESCE(upstream_created_at, created_at) / 86400000 AS d, status, COUNT(*) FROM executions "
      "WHERE tenant_id = ? AND archived_at IS NULL AND COALESCE(upstream_created_at, created_at) >= ? "
      "AND COALESCE(upstream_created_at, created_at) < ? GROUP BY d, status ORDER BY d, status";
  return detail::all_rows(db_->query(Access::read, kSql, {tenant_id.value(), from_ms, to_ms}),
                          [](const sql::Row& row) {
                            return DayCount{row.int64(0) * kDayMs, row.text(1), row.int64(2)};
                          });
}

Result<std::vector<AgentCallStats>> SqlStore::calls_per_agent(TenantId tenant_id) {
  static const std::string kSql =
      "SELECT COALESCE(e.agent_id, ''), MAX(a.name), MAX(a.id), COUNT(*), AVG(e.duration_s), AVG(e.cost) "
      "FROM executions e LEFT JOIN agents a ON a.tenant_id = e.tenant_id AND a.upstream_id = e.agent_id "
      "WHERE e.tenant_id = ? AND e.archived_at IS NULL GROUP BY COALESCE(e.agent_id, '') "
      "ORDER BY COUNT(*) DESC, COALESCE(e.agent_id, '') LIMIT ?";
  return detail::all_rows(db_->query(Access::read, kSql, {tenant_id.value(), std::int64_t{kMaxAgents}}),
                          [](const sql::Row& row) {
                            AgentCallStats s;
                            s.agent_id = row.text(0);
                            s.agent_name = row.text(1);
                            if (!row.is_null(2)) s.agent_row = MirrorRowId{row.int64(2)};
                            s.calls = row.int64(3);
                            s.average_duration_s = opt_real(row, 4);
                            s.average_cost = opt_real(row, 5);
                            return s;
                          });
}

Result<std::optional<MirrorItem>> SqlStore::find_mirror_item(TenantId tenant_id, core::Resource resource,
                                                             MirrorRowId id) {
  // The table name comes from the enum, never from input.
  const std::string text = "SELECT " + detail::mirror_item_columns("") + " FROM " +
                           std::string(core::to_string(resource)) + " WHERE tenant_id = ? AND id = ?";
  return detail::first_row(
      db_->query(Access::read, text, {tenant_id.value(), id.value()}),
      [resource](const sql::Row& row) { return detail::mirror_item_from(row, resource); });
}

}  // namespace tenantsync::store
