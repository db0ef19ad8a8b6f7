// SqlStore: CRM connections (one row per tenant and CRM account; credentials encrypted by the caller).
#include <string>

#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

constexpr const char* kConnectionColumns =
    "id, tenant_id, provider, provider_account_id, auth_kind, credentials_cipher, nango_connection_id, "
    "provider_config_key, instance_url, active, state, state_message, rate_limited_until, cursor, "
    "last_sync_at, last_sync_created, last_sync_updated, last_sync_unchanged, last_sync_error, next_sync_at, "
    "created_at, updated_at";

// Optional text columns are NULL when empty, so "unset" has one spelling in the database.
sql::Value text_or_null(const std::string& s) { return s.empty() ? sql::Value(nullptr) : sql::Value(s); }

CrmConnection connection_from(const sql::Row& row) {
  CrmConnection c;
  c.id = row.int64(0);
  c.tenant_id = row.int64(1);
  c.provider = row.text(2);
  c.provider_account_id = row.text(3);
  c.auth_kind = row.text(4);
  c.credentials_cipher = row.text(5);
  c.nango_connection_id = row.text(6);
  c.provider_config_key = row.text(7);
  c.instance_url = row.text(8);
  c.active = row.int64(9) != 0;
  c.state = row.text(10);
  c.state_message = row.text(11);
  c.rate_limited_until_ms = row.opt_int64(12);
  c.cursor = row.text(13);
  c.last_sync_at_ms = row.opt_int64(14);
  c.last_sync_created = static_cast<int>(row.int64(15));
  c.last_sync_updated = static_cast<int>(row.int64(16));
  c.last_sync_unchanged = static_cast<int>(row.int64(17));
  c.last_sync_error = row.text(18);
  c.next_sync_at_ms = row.opt_int64(19);
  c.created_at_ms = row.int64(20);
  c.updated_at_ms = row.int64(21);
  return c;
}

std::string select_connections(const char* where) {
  return std::string("SELECT ") + kConnectionColumns + " FROM crm_connections" + where;
}

Error connection_not_found(std::int64_t tenant_id, std::int64_t id) {
  return not_found("CRM connection " + std::to_string(id) + " does not exist in tenant " +
                   std::to_string(tenant_id));
}

// An UPDATE of one connection of the tenant: "not_found" when it changed nothing.
Status update_one(sql::Database& db, const std::string& sql, const sql::Params& params,
                  std::int64_t tenant_id, std::int64_t id) {
  Result<sql::QueryResult> r = db.query(Access::write, sql, params);
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0) return connection_not_found(tenant_id, id);
  return {};
}

}  // namespace

Result<CrmConnection> SqlStore::upsert_crm_connection(const CrmConnection& connection, std::int64_t now_ms) {
  // One statement, so two instances connecting the same account at once cannot both insert.
  // Reconnecting keeps the cursor and the last-sync figures: the next sync resumes, not restarts.
  static const std::string kSql =
      std::string(
          "INSERT INTO crm_connections (tenant_id, provider, provider_account_id, auth_kind, "
          "credentials_cipher, nango_connection_id, provider_config_key, instance_url, active, state, "
          "state_message, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'connected', '', ?, ?) "
          "ON CONFLICT (tenant_id, provider, provider_account_id) DO UPDATE SET "
          "auth_kind = excluded.auth_kind, credentials_cipher = excluded.credentials_cipher, "
          "nango_connection_id = excluded.nango_connection_id, "
          "provider_config_key = excluded.provider_config_key, instance_url = excluded.instance_url, "
          "active = 1, state = 'connected', state_message = '', rate_limited_until = NULL, "
          "updated_at = excluded.updated_at RETURNING ") +
      kConnectionColumns;
  Result<sql::QueryResult> r = db_->query(
      Access::write, kSql,
      {connection.tenant_id, connection.provider, connection.provider_account_id, connection.auth_kind,
       connection.credentials_cipher, text_or_null(connection.nango_connection_id),
       text_or_null(connection.provider_config_key), text_or_null(connection.instance_url), now_ms, now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return connection_from(r->rows.at(0));
}

Result<std::optional<CrmConnection>> SqlStore::find_crm_connection(std::int64_t tenant_id, std::int64_t id) {
  static const std::string kSql = select_connections(" WHERE tenant_id = ? AND id = ?");
  Result<sql::QueryResult> r = db_->query(Access::read, kSql, {tenant_id, id});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<CrmConnection>();
  return std::optional<CrmConnection>(connection_from(r->rows.front()));
}

Result<std::vector<CrmConnection>> SqlStore::list_crm_connections(std::int64_t tenant_id) {
  static const std::string kSql = select_connections(" WHERE tenant_id = ? ORDER BY created_at, id");
  Result<sql::QueryResult> r = db_->query(Access::read, kSql, {tenant_id});
  if (!r.ok()) return to_store_error(r.error());
  std::vector<CrmConnection> out;
  out.reserve(r->rows.size());
  for (const sql::Row& row : r->rows) out.push_back(connection_from(row));
  return out;
}

Result<std::vector<CrmConnection>> SqlStore::list_active_crm_connections() {
  static const std::string kSql = select_connections(" WHERE active = 1 ORDER BY id");
  Result<sql::QueryResult> r = db_->query(Access::read, kSql);
  if (!r.ok()) return to_store_error(r.error());
  std::vector<CrmConnection> out;
  out.reserve(r->rows.size());
  for (const sql::Row& row : r->rows) out.push_back(connection_from(row));
  return out;
}

Status SqlStore::deactivate_crm_connection(std::int64_t tenant_id, std::int64_t id, std::int64_t now_ms) {
  return update_one(*db_,
                    "UPDATE crm_connections SET active = 0, updated_at = ? WHERE tenant_id = ? AND id = ?",
                    {now_ms, tenant_id, id}, tenant_id, id);
}

Status SqlStore::set_crm_state(std::int64_t tenant_id, std::int64_t id, const std::string& state,
                               const std::string& message, std::optional<std::int64_t> rate_limited_until_ms,
                               std::int64_t now_ms) {
  return update_one(*db_,
                    "UPDATE crm_connections SET state = ?, state_message = ?, rate_limited_until = ?, "
                    "updated_at = ? WHERE tenant_id = ? AND id = ?",
                    {state, message, sql::nullable(rate_limited_until_ms), now_ms, tenant_id, id}, tenant_id,
                    id);
}

Status SqlStore::set_crm_credentials(std::int64_t tenant_id, std::int64_t id,
                                     const std::string& credentials_cipher, std::int64_t now_ms) {
  return update_one(
      *db_,
      "UPDATE crm_connections SET credentials_cipher = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
      {credentials_cipher, now_ms, tenant_id, id}, tenant_id, id);
}

Status SqlStore::record_crm_sync(const CrmConnection& result, std::int64_t now_ms) {
  return update_one(
      *db_,
      "UPDATE crm_connections SET last_sync_at = ?, last_sync_created = ?, last_sync_updated = ?, "
      "last_sync_unchanged = ?, last_sync_error = ?, next_sync_at = ?, state = ?, "
      "state_message = ?, rate_limited_until = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
      {now_ms, std::int64_t{result.last_sync_created}, std::int64_t{result.last_sync_updated},
       std::int64_t{result.last_sync_unchanged}, text_or_null(result.last_sync_error),
       sql::nullable(result.next_sync_at_ms), result.state, result.state_message,
       sql::nullable(result.rate_limited_until_ms), now_ms, result.tenant_id, result.id},
      result.tenant_id, result.id);
}

}  // namespace tenantsync::store
