// SqlStore: tenants and users.
#include <algorithm>
#include <cctype>

#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_memberships.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

constexpr const char* kTenantColumns = "id, name, default_region, created_at";
constexpr const char* kUserColumns = "id, tenant_id, email, password_hash, created_at";

// Uniqueness is case-insensitive whatever the caller passes: stored trimmed and lower-cased.
std::string normalize_email(const std::string& email) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  auto begin = std::find_if(email.begin(), email.end(), not_space);
  auto end = std::find_if(email.rbegin(), email.rend(), not_space).base();
  std::string out = begin < end ? std::string(begin, end) : std::string();
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Tenant tenant_from(const sql::Row& row) {
  return Tenant{TenantId{row.int64(0)}, row.text(1), row.text(2), row.int64(3)};
}

User user_from(const sql::Row& row) {
  // The role is the membership's in the home tenant; a user read without it has the least.
  const std::optional<std::string> role = row.size() > 5 ? row.opt_text(5) : std::nullopt;
  return User{UserId{row.int64(0)}, TenantId{row.int64(1)}, row.text(2), row.text(3), row.int64(4),
              core::parse_role(role.value_or("")).value_or(core::Role::viewer)};
}

Error email_taken() {
  return Error{core::ErrorCode::email_taken,
               "an account with this e-mail already exists: log in, or sign up with another address"};
}

std::string select_tenants(const char* where) {
  return std::string("SELECT ") + kTenantColumns + " FROM tenants" + where;
}

// Inserts a user inside tx, an owner of its tenant (the first login of a new tenant, or one the
// operator adds with `admin create-user`); a duplicate e-mail becomes "email_taken".
Result<User> insert_user(sql::Transaction& tx, TenantId tenant_id, const std::string& email,
                         const std::string& password_hash, std::int64_t now_ms) {
  static const std::string kSql =
      std::string("INSERT INTO users (tenant_id, email, password_hash, created_at) ") +
      "VALUES (?, ?, ?, ?) RETURNING " + kUserColumns;
  Result<sql::QueryResult> r = tx.query(kSql, {tenant_id.value(), normalize_email(email), password_hash, now_ms});
  if (!r.ok()) {
    if (r.error().code == core::ErrorCode::unique_violation) return email_taken();
    return to_store_error(r.error());
  }
  User user = user_from(r->rows.at(0));
  user.role = core::Role::owner;
  if (Status s = detail::add_membership(tx, tenant_id, user.id, user.role, now_ms); !s.ok()) return s.error();
  return user;
}

}  // namespace

Result<std::pair<Tenant, User>> SqlStore::create_tenant_with_user(const std::string& tenant_name,
                                                                  const std::string& email,
                                                                  const std::string& password_hash,
                                                                  TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  static const std::string kInsertTenant =
      std::string("INSERT INTO tenants (name, created_at) VALUES (?, ?) RETURNING ") + kTenantColumns;
  Result<sql::QueryResult> tenant_row = tx.query(kInsertTenant, {tenant_name, now_ms});
  if (!tenant_row.ok()) return to_store_error(tenant_row.error());
  Tenant tenant = tenant_from(tenant_row->rows.at(0));

  // On "email_taken" the transaction's destructor rolls the tenant back: no orphan tenant.
  Result<User> user = insert_user(tx, tenant.id, email, password_hash, now_ms);
  if (!user.ok()) return user.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return std::make_pair(std::move(tenant), std::move(user).value());
}

Result<User> SqlStore::create_user(TenantId tenant_id, const std::string& email,
                                   const std::string& password_hash, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  Result<sql::QueryResult> tenant = tx.query("SELECT id FROM tenants WHERE id = ?", {tenant_id.value()});
  if (!tenant.ok()) return to_store_error(tenant.error());
  if (tenant->empty()) return not_found("tenant " + std::to_string(tenant_id.value()) + " does not exist");

  Result<User> user = insert_user(tx, tenant_id, email, password_hash, now_ms);
  if (!user.ok()) return user.error();
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return user;
}

Result<std::optional<Tenant>> SqlStore::find_tenant(TenantId tenant_id) {
  static const std::string kSql = select_tenants(" WHERE id = ?");
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value()}), tenant_from);
}

Result<std::optional<Tenant>> SqlStore::find_tenant_by_name(const std::string& name) {
  // Names are not unique; the oldest tenant of that name wins, deterministically.
  static const std::string kSql = select_tenants(" WHERE name = ? ORDER BY id LIMIT 1");
  return detail::first_row(db_->query(Access::read, kSql, {name}), tenant_from);
}

Result<std::vector<Tenant>> SqlStore::list_tenants() {
  static const std::string kSql = select_tenants(" ORDER BY id");
  return detail::all_rows(db_->query(Access::read, kSql), tenant_from);
}

Result<std::optional<User>> SqlStore::find_user_by_email(const std::string& email) {
  static const std::string kSql =
      "SELECT u.id, u.tenant_id, u.email, u.password_hash, u.created_at, m.role FROM users u "
      "LEFT JOIN memberships m ON m.user_id = u.id AND m.tenant_id = u.tenant_id WHERE u.email = ?";
  return detail::first_row(db_->query(Access::read, kSql, {normalize_email(email)}), user_from);
}

}  // namespace tenantsync::store
