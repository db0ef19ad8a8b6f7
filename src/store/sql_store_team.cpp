// SqlStore: team members and their roles, invitations, and erasing a tenant.
#include "core/email.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_memberships.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

// A member is a membership of the tenant with its person's e-mail; created_at is when they joined.
constexpr const char* kSelectMembers =
    "SELECT u.id, u.email, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id ";
constexpr const char* kInvitationColumns = "id, tenant_id, email, role, invited_by, created_at, expires_at";

core::Role role_from(const std::string& text) {
  // An unknown spelling (a row written by hand) grants the least, not the most.
  return core::parse_role(text).value_or(core::Role::viewer);
}

Member member_from(const sql::Row& row) {
  return Member{UserId{row.int64(0)}, row.text(1), role_from(row.text(2)), row.int64(3)};
}

Invitation invitation_from(const sql::Row& row) {
  return Invitation{row.int64(0),     TenantId{row.int64(1)}, row.text(2),  role_from(row.text(3)),
                    UserId{row.opt_int64(4).value_or(0)},     row.int64(5), row.int64(6)};
}

Error last_owner() {
  return make_error(core::ErrorCode::last_owner,
                    "this would leave the tenant without an owner: make another member an owner first");
}

Error no_member(UserId user_id) {
  return not_found("member " + std::to_string(user_id.value()) + " is not in this tenant");
}

// Inside tx: the member's current role, locked on PostgreSQL so that two changes to the last
// owners cannot both pass the count below.
Result<std::optional<core::Role>> locked_role(sql::Transaction& tx, TenantId tenant_id, UserId user_id) {
  std::string sql = "SELECT role FROM memberships WHERE tenant_id = ? AND user_id = ?";
  if (tx.is_postgres()) sql += " FOR UPDATE";
  Result<sql::QueryResult> r = tx.query(sql, {tenant_id.value(), user_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<core::Role>();
  return std::optional<core::Role>(role_from(r->rows.at(0).text(0)));
}

// Inside tx: whether the tenant keeps an owner once `user_id` stops being one. On PostgreSQL the
// tenant's owner rows are locked, so concurrent demotions serialize here.
Result<bool> another_owner(sql::Transaction& tx, TenantId tenant_id, UserId user_id) {
  std::string sql = "SELECT user_id FROM memberships WHERE tenant_id = ? AND role = 'owner' AND user_id <> ?";
  if (tx.is_postgres()) sql += " FOR UPDATE";
  Result<sql::QueryResult> r = tx.query(sql, {tenant_id.value(), user_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  return !r->empty();
}

// Inside tx: the member, as list_members shows them.
Result<Member> member_in(sql::Transaction& tx, TenantId tenant_id, UserId user_id) {
  static const std::string kSql = std::string(kSelectMembers) + "WHERE m.tenant_id = ? AND m.user_id = ?";
  Result<sql::QueryResult> r = tx.query(kSql, {tenant_id.value(), user_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return no_member(user_id);
  return member_from(r->rows.at(0));
}

// Inside tx: marks the pending invitation of `token_hash` used. Used first, so that the token is
// single-use even when two accepts race (the second finds no pending row); a refusal after it rolls
// the use back with the rest of the transaction.
Result<Invitation> use_invitation(sql::Transaction& tx, const std::string& token_hash, std::int64_t now_ms) {
  static const std::string kUse =
      std::string("UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL ") +
      "AND expires_at > ? RETURNING " + kInvitationColumns;
  Result<sql::QueryResult> used = tx.query(kUse, {now_ms, token_hash, now_ms});
  if (!used.ok()) return to_store_error(used.error());
  if (used->empty()) return not_found("the invitation is unknown, used or expired");
  return invitation_from(used->rows.at(0));
}

// Inside tx: the person joins the invitation's tenant with its role; commits, and answers the new
// member as list_members shows them.
Result<Member> join_and_commit(sql::Transaction& tx, const Invitation& invitation, UserId user_id,
                               std::int64_t now_ms) {
  if (Status s = detail::add_membership(tx, invitation.tenant_id, user_id, invitation.role, now_ms); !s.ok()) return s.error();
  Result<Member> member = member_in(tx, invitation.tenant_id, user_id);
  if (!member.ok()) return member.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return member;
}

// Inside tx: the people whose home is `tenant_id` and who belong to another tenant get their
// oldest other tenant as home, so that losing this tenant does not lose their login.
Status rehome_members_of(sql::Transaction& tx, TenantId tenant_id, std::optional<UserId> only) {
  std::string sql =
      "UPDATE users SET tenant_id = (SELECT MIN(m.tenant_id) FROM memberships m WHERE m.user_id = users.id "
      "AND m.tenant_id <> ?) WHERE tenant_id = ? AND EXISTS (SELECT 1 FROM memberships m "
      "WHERE m.user_id = users.id AND m.tenant_id <> ?)";
  sql::Params params{tenant_id.value(), tenant_id.value(), tenant_id.value()};
  if (only) {
    sql += " AND id = ?";
    params.emplace_back(only->value());
  }
  Result<sql::QueryResult> r = tx.query(sql, params);
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

}  // namespace

Status detail::add_membership(sql::Transaction& tx, TenantId tenant_id, UserId user_id, core::Role role,
                              std::int64_t now_ms) {
  Result<sql::QueryResult> r =
      tx.query("INSERT INTO memberships (tenant_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
               {tenant_id.value(), user_id.value(), std::string(core::to_string(role)), now_ms});
  if (r.ok()) return {};
  if (r.error().is(core::ErrorCode::unique_violation))
    return make_error(core::ErrorCode::already_member, "this person is already a member of the tenant");
  return to_store_error(r.error());
}

Result<std::vector<Member>> SqlStore::list_members(TenantId tenant_id) {
  static const std::string kSql = std::string(kSelectMembers) + "WHERE m.tenant_id = ? ORDER BY u.id";
  return detail::all_rows(db_->query(Access::read, kSql, {tenant_id.value()}), member_from);
}

Result<std::optional<Member>> SqlStore::find_member(TenantId tenant_id, UserId user_id) {
  static const std::string kSql = std::string(kSelectMembers) + "WHERE m.tenant_id = ? AND m.user_id = ?";
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), user_id.value()}), member_from);
}

Result<std::vector<Membership>> SqlStore::list_memberships(UserId user_id) {
  static const std::string kSql =
      "SELECT m.tenant_id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id "
      "WHERE m.user_id = ? ORDER BY m.tenant_id";
  return detail::all_rows(db_->query(Access::read, kSql, {user_id.value()}), [](const sql::Row& row) {
    return Membership{TenantId{row.int64(0)}, row.text(1), role_from(row.text(2))};
  });
}

Result<Member> SqlStore::set_member_role(TenantId tenant_id, UserId user_id, core::Role role) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<std::optional<core::Role>> current = locked_role(tx, tenant_id, user_id);
  if (!current.ok()) return current.error();
  if (!*current) return no_member(user_id);
  if (**current == core::Role::owner && role != core::Role::owner) {
    Result<bool> kept = another_owner(tx, tenant_id, user_id);
    if (!kept.ok()) return kept.error();
    if (!*kept) return last_owner();
  }
  Result<sql::QueryResult> r = tx.query("UPDATE memberships SET role = ? WHERE tenant_id = ? AND user_id = ?",
                                        {std::string(core::to_string(role)), tenant_id.value(), user_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  Result<Member> member = member_in(tx, tenant_id, user_id);
  if (!member.ok()) return member.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return member;
}

Status SqlStore::remove_member(TenantId tenant_id, UserId user_id) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<std::optional<core::Role>> current = locked_role(tx, tenant_id, user_id);
  if (!current.ok()) return current.error();
  if (!*current) return no_member(user_id);
  if (**current == core::Role::owner) {
    Result<bool> kept = another_owner(tx, tenant_id, user_id);
    if (!kept.ok()) return kept.error();
    if (!*kept) return last_owner();
  }
  // The member's tokens of this tenant go in this transaction: they are signed out of it at once.
  for (const char* sql : {"DELETE FROM tokens WHERE tenant_id = ? AND user_id = ?",
                          "DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?"}) {
    Result<sql::QueryResult> r = tx.query(sql, {tenant_id.value(), user_id.value()});
    if (!r.ok()) return to_store_error(r.error());
  }
  // A person who belongs elsewhere keeps their login (moved home if this was it); one who belonged
  // only here is deleted.
  if (Status s = rehome_members_of(tx, tenant_id, user_id); !s.ok()) return s;
  Result<sql::QueryResult> gone =
      tx.query("DELETE FROM users WHERE id = ? AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = ?)",
               {user_id.value(), user_id.value()});
  if (!gone.ok()) return to_store_error(gone.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<Invitation> SqlStore::create_invitation(TenantId tenant_id, const std::string& token_hash,
                                               const std::string& email, core::Role role, UserId invited_by,
                                               TimePoint now, TimePoint expires_at) {
  static const std::string kSql =
      std::string("INSERT INTO invitations (tenant_id, token_hash, email, role, invited_by, created_at, expires_at) ") +
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + kInvitationColumns;
  Result<sql::QueryResult> r =
      db_->query(Access::write, kSql,
                 {tenant_id.value(), token_hash, core::normalize_email(email), std::string(core::to_string(role)),
                  invited_by.value(), to_epoch_ms(now), to_epoch_ms(expires_at)});
  if (!r.ok()) return to_store_error(r.error());
  return invitation_from(r->rows.at(0));
}

Result<std::vector<Invitation>> SqlStore::list_invitations(TenantId tenant_id, TimePoint now) {
  static const std::string kSql = std::string("SELECT ") + kInvitationColumns +
                                  " FROM invitations WHERE tenant_id = ? AND accepted_at IS NULL AND expires_at > ? "
                                  "ORDER BY id DESC";
  return detail::all_rows(db_->query(Access::read, kSql, {tenant_id.value(), to_epoch_ms(now)}), invitation_from);
}

Status SqlStore::revoke_invitation(TenantId tenant_id, std::int64_t invitation_id) {
  Result<sql::QueryResult> r =
      db_->query(Access::write, "DELETE FROM invitations WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL",
                 {tenant_id.value(), invitation_id});
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0) return not_found("no pending invitation " + std::to_string(invitation_id));
  return {};
}

Result<std::optional<Invitation>> SqlStore::find_invitation(const std::string& token_hash, TimePoint now) {
  static const std::string kSql = std::string("SELECT ") + kInvitationColumns +
                                  " FROM invitations WHERE token_hash = ? AND accepted_at IS NULL AND expires_at > ?";
  return detail::first_row(db_->query(Access::read, kSql, {token_hash, to_epoch_ms(now)}), invitation_from);
}

Result<Member> SqlStore::accept_invitation(const std::string& token_hash, const std::string& password_hash,
                                           TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<Invitation> used = use_invitation(tx, token_hash, now_ms);
  if (!used.ok()) return used.error();
  const Invitation& invitation = *used;
  Result<sql::QueryResult> user =
      tx.query("INSERT INTO users (tenant_id, email, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
               {invitation.tenant_id.value(), invitation.email, password_hash, now_ms});
  if (!user.ok()) {
    if (user.error().is(core::ErrorCode::unique_violation)) {
      return make_error(core::ErrorCode::email_taken,
                        "an account with this e-mail already exists: sign in with it and accept with that login");
    }
    return to_store_error(user.error());
  }
  const UserId user_id{user->rows.at(0).int64(0)};
  return join_and_commit(tx, invitation, user_id, now_ms);
}

Result<Member> SqlStore::accept_invitation_as(const std::string& token_hash, UserId user_id, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<Invitation> used = use_invitation(tx, token_hash, now_ms);
  if (!used.ok()) return used.error();
  const Invitation& invitation = *used;
  Result<sql::QueryResult> person = tx.query("SELECT email FROM users WHERE id = ?", {user_id.value()});
  if (!person.ok()) return to_store_error(person.error());
  if (person->empty()) return not_found("user " + std::to_string(user_id.value()) + " does not exist");
  // An invitation names a person by e-mail: the link alone, passed on, does not let another login in.
  if (person->rows.at(0).text(0) != invitation.email) {
    return make_error(core::ErrorCode::invitation_email_mismatch,
                      "the invitation is for another e-mail address than the signed-in account's: sign in "
                      "with the invited address, or ask for an invitation to yours");
  }
  return join_and_commit(tx, invitation, user_id, now_ms);
}

Result<std::vector<std::string>> SqlStore::tenant_tables() {
  const char* sql =
      db_->is_postgres()
          ? "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' "
            "AND table_schema = current_schema() ORDER BY table_name"
          : "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND c.name = 'tenant_id' ORDER BY m.name";
  return detail::all_rows(db_->query(Access::read, sql), [](const sql::Row& row) { return row.text(0); });
}

Status SqlStore::delete_tenant(TenantId tenant_id) {
  Result<std::vector<std::string>> tables = tenant_tables();
  if (!tables.ok()) return tables.error();
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  // Members who belong to another tenant too keep their login: their home moves first, so that
  // the cascade from the tenant's row takes only the people who belonged here alone.
  if (Status s = rehome_members_of(tx, tenant_id, std::nullopt); !s.ok()) return s;
  // The tenant's row: the foreign keys' cascades take most tables, in an order the database knows
  // is valid. Then every table with a tenant_id column, for those without such a key.
  Result<sql::QueryResult> tenant = tx.query("DELETE FROM tenants WHERE id = ?", {tenant_id.value()});
  if (!tenant.ok()) return to_store_error(tenant.error());
  if (tenant->affected == 0) return not_found("tenant " + std::to_string(tenant_id.value()) + " does not exist");
  for (const std::string& table : *tables) {
    // The name comes from the catalog, not from a request; quoted all the same.
    Result<sql::QueryResult> r = tx.query("DELETE FROM \"" + table + "\" WHERE tenant_id = ?", {tenant_id.value()});
    if (!r.ok()) return to_store_error(r.error());
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

}  // namespace tenantsync::store
