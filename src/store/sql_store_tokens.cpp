// SqlStore: bearer tokens, stored only as hashes.
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {

using sql::Access;

Status SqlStore::create_token(const std::string& token_hash, UserId user_id, TenantId tenant_id,
                              TimePoint created_at, TimePoint expires_at) {
  const std::int64_t created_at_ms = to_epoch_ms(created_at);
  const std::int64_t expires_at_ms = to_epoch_ms(expires_at);
  // The user must be a member of the tenant: the INSERT ... SELECT adds nothing otherwise.
  Result<sql::QueryResult> r =
      db_->query(Access::write,
                 "INSERT INTO tokens (token_hash, user_id, tenant_id, created_at, expires_at) "
                 "SELECT ?, user_id, tenant_id, ?, ? FROM memberships WHERE user_id = ? AND tenant_id = ?",
                 {token_hash, created_at_ms, expires_at_ms, user_id.value(), tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0) {
    return not_found("user " + std::to_string(user_id.value()) + " is not a member of tenant " +
                     std::to_string(tenant_id.value()));
  }
  return {};
}

Result<std::optional<AuthSession>> SqlStore::find_session(const std::string& token_hash,
                                                          TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::QueryResult> r =
      db_->query(Access::read,
                 "SELECT t.user_id, t.tenant_id, u.email, t.expires_at, m.role FROM tokens t "
                 "JOIN memberships m ON m.user_id = t.user_id AND m.tenant_id = t.tenant_id "
                 "JOIN users u ON u.id = t.user_id "
                 "WHERE t.token_hash = ? AND t.expires_at > ?",
                 {token_hash, now_ms});
  return detail::first_row(r, [](const sql::Row& row) {
    AuthSession session;
    sql::read_row(row, session.user_id, session.tenant_id, session.email, session.expires_at_ms);
    // An unknown spelling (a row written by hand) grants the least, not the most.
    session.role = core::parse_role(row.text(4)).value_or(core::Role::viewer);
    return session;
  });
}

Status SqlStore::delete_token(const std::string& token_hash) {
  // Deleting a token that is already gone is fine: logging out twice is not an error.
  Result<sql::QueryResult> r =
      db_->query(Access::write, "DELETE FROM tokens WHERE token_hash = ?", {token_hash});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

Result<int> SqlStore::delete_user_tokens(TenantId tenant_id, UserId user_id) {
  Result<sql::QueryResult> r = db_->query(Access::write, "DELETE FROM tokens WHERE tenant_id = ? AND user_id = ?",
                                          {tenant_id.value(), user_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  return static_cast<int>(r->affected);
}

Result<int> SqlStore::delete_expired_tokens(TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::QueryResult> r =
      db_->query(Access::write, "DELETE FROM tokens WHERE expires_at <= ?", {now_ms});
  if (!r.ok()) return to_store_error(r.error());
  return static_cast<int>(r->affected);
}

}  // namespace tenantsync::store
