// SqlStore: the audit log. Append and list only; rows leave by retention or with their tenant.
#include <algorithm>

#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

AuditEntry entry_from(const sql::Row& row) {
  AuditEntry e;
  e.id = row.int64(0);
  e.tenant_id = TenantId{row.int64(1)};
  e.at_ms = row.int64(2);
  if (auto actor = row.opt_int64(3)) e.actor = UserId{*actor};
  e.actor_email = row.text(4);
  e.address = row.text(5);
  e.action = row.text(6);
  e.detail_json = row.text(7);
  return e;
}

}  // namespace

Status SqlStore::append_audit(const AuditEntry& e) {
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      "INSERT INTO audit_log (tenant_id, at, actor_user_id, actor_email, address, action, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {e.tenant_id.value(), e.at_ms, e.actor ? sql::Value(e.actor->value()) : sql::Value(nullptr), e.actor_email,
       e.address, e.action, e.detail_json.empty() ? std::string("{}") : e.detail_json});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

Result<AuditPage> SqlStore::list_audit(TenantId tenant_id, const AuditQuery& q) {
  std::string sql =
      "SELECT id, tenant_id, at, actor_user_id, actor_email, address, action, detail FROM audit_log "
      "WHERE tenant_id = ?";
  sql::Params params{tenant_id.value()};
  if (q.actor) {
    sql += " AND actor_user_id = ?";
    params.emplace_back(q.actor->value());
  }
  if (!q.action.empty()) {
    sql += " AND action = ?";
    params.emplace_back(q.action);
  }
  if (q.from_ms) {
    sql += " AND at >= ?";
    params.emplace_back(*q.from_ms);
  }
  if (q.to_ms) {
    sql += " AND at < ?";
    params.emplace_back(*q.to_ms);
  }
  if (q.before_id) {
    sql += " AND id < ?";
    params.emplace_back(*q.before_id);
  }
  const int limit = std::clamp(q.limit, 1, 500);
  // One row more than asked tells whether there is a next page.
  sql += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
  Result<std::vector<AuditEntry>> rows = detail::all_rows(db_->query(Access::read, sql, params), entry_from);
  if (!rows.ok()) return rows.error();
  AuditPage page;
  page.items = std::move(rows).value();
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next = page.items.back().id;
  }
  return page;
}

Result<int> SqlStore::delete_audit_before(TimePoint cutoff) {
  Result<sql::QueryResult> r = db_->query(Access::write, "DELETE FROM audit_log WHERE at < ?", {to_epoch_ms(cutoff)});
  if (!r.ok()) return to_store_error(r.error());
  return static_cast<int>(r->affected);
}

}  // namespace tenantsync::store
