// SqlStore: CRM connections (one row per tenant and CRM account; credentials encrypted by the caller).
#include <string>

#include "store/sql_enum_cells.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

constexpr const char* kConnectionColumns =
    "id, tenant_id, provider, provider_account_id, auth_kind, credentials_cipher, nango_connection_id, "
    "provider_config_key, instance_url, active, state, state_message, rate_limited_until, cursor, "
    "last_sync_at, last_sync_created, last_sync_updated, last_sync_unchanged, last_sync_error, next_sync_at, "
    "created_at, updated_at";

CrmConnection connection_from(const sql::Row& row) {
  CrmConnection c;
  sql::read_row(row, c.id, c.tenant_id, c.provider, c.provider_account_id, c.auth_kind, c.credentials_cipher,
                c.nango_connection_id, c.provider_config_key, c.instance_url, c.active, c.state,
                c.state_message, c.rate_limited_until_ms, c.cursor, c.last_sync_at_ms, c.last_sync_created,
                c.last_sync_updated, c.last_sync_unchanged, c.last_sync_error, c.next_sync_at_ms,
                c.created_at_ms, c.updated_at_ms);
  return c;
}

std::string select_connections(const char* where) {
  return std::string("SELECT ") + kConnectionColumns + " FROM crm_connections" + where;
}

Error connection_not_found(TenantId tenant_id, ConnectionId id) {
  return not_found("CRM connection " + std::to_string(id.value()) + " does not exist in tenant " +
                   std::to_string(tenant_id.value()));
}

// An UPDATE of one connection of the tenant: "not_found" when it changed nothing.
Status update_one(sql::Database& db, const std::string& sql, const sql::Params& params,
                  TenantId tenant_id, ConnectionId id) {
  Result<sql::QueryResult> r = db.query(Access::write, sql, params);
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0) return connection_not_found(tenant_id, id);
  return {};
}

}  // namespace

Result<CrmConnection> SqlStore::upsert_crm_connection(const CrmConnection& connection, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
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
      {connection.tenant_id.value(), sql::text_of(connection.provider), connection.provider_account_id,
       sql::text_of(connection.auth_kind), connection.credentials_cipher,
       sql::null_if_empty(connection.nango_connection_id), sql::null_if_empty(connection.provider_config_key),
       sql::null_if_empty(connection.instance_url), now_ms, now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return connection_from(r->rows.at(0));
}

Result<std::optional<CrmConnection>> SqlStore::find_crm_connection(TenantId tenant_id, ConnectionId id) {
  static const std::string kSql = select_connections(" WHERE tenant_id = ? AND id = ?");
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), id.value()}), connection_from);
}

Result<std::vector<CrmConnection>> SqlStore::list_crm_connections(TenantId tenant_id) {
  static const std::string kSql = select_connections(" WHERE tenant_id = ? ORDER BY created_at, id");
  return detail::all_rows(db_->query(Access::read, kSql, {tenant_id.value()}), connection_from);
}

Result<std::vector<CrmConnection>> SqlStore::list_active_crm_connections() {
  static const std::string kSql = select_connections(" WHERE active = 1 ORDER BY id");
  return detail::all_rows(db_->query(Access::read, kSql), connection_from);
}

Status SqlStore::deactivate_crm_connection(TenantId tenant_id, ConnectionId id, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  return update_one(*db_,
                    "UPDATE crm_connections SET active = 0, updated_at = ? WHERE tenant_id = ? AND id = ?",
                    {now_ms, tenant_id.value(), id.value()}, tenant_id, id);
}

Status SqlStore::set_crm_state(TenantId tenant_id, ConnectionId id, core::ConnectionState state,
                               const std::string& message, std::optional<TimePoint> rate_limited_until,
                               TimePoint now) {
  const std::optional<std::int64_t> rate_limited_until_ms =
      rate_limited_until ? std::optional<std::int64_t>(to_epoch_ms(*rate_limited_until)) : std::nullopt;
  const std::int64_t now_ms = to_epoch_ms(now);
  return update_one(*db_,
                    "UPDATE crm_connections SET state = ?, state_message = ?, rate_limited_until = ?, "
                    "updated_at = ? WHERE tenant_id = ? AND id = ?",
                    {sql::text_of(state), message, sql::nullable(rate_limited_until_ms), now_ms, tenant_id.value(), id.value()}, tenant_id,
                    id);
}

Status SqlStore::set_crm_credentials(TenantId tenant_id, ConnectionId id,
                                     const std::string& credentials_cipher, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  return update_one(
      *db_,
      "UPDATE crm_connections SET credentials_cipher = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
      {credentials_cipher, now_ms, tenant_id.value(), id.value()}, tenant_id, id);
}

Status SqlStore::record_crm_sync(const CrmConnection& result, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  return update_one(
      *db_,
      "UPDATE crm_connections SET last_sync_at = ?, last_sync_created = ?, last_sync_updated = ?, "
      "last_sync_unchanged = ?, last_sync_error = ?, next_sync_at = ?, state = ?, "
      "state_message = ?, rate_limited_until = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
      {now_ms, std::int64_t{result.last_sync_created}, std::int64_t{result.last_sync_updated},
       std::int64_t{result.last_sync_unchanged}, sql::null_if_empty(result.last_sync_error),
       sql::nullable(result.next_sync_at_ms), sql::text_of(result.state), result.state_message,
       sql::nullable(result.rate_limited_until_ms), now_ms, result.tenant_id.value(), result.id.value()},
      result.tenant_id, result.id);
}

}  // namespace tenantsync::store
