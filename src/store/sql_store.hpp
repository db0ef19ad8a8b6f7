#pragma once
// The one Store implementation: all query text is written once, with `?` placeholders, against
// sql::Database, and runs unchanged on SQLite and PostgreSQL. Methods live in one .cpp per area
// (sql_store_tenants.cpp, sql_store_tokens.cpp, sql_store_settings.cpp, ...).
#include <memory>

#include "store/sql/database.hpp"
#include "store/store.hpp"

namespace tenantsync::store {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<sql::Database> db) : db_(std::move(db)) {}

  std::string backend() const override;
  Status ping() override;
  Result<int> migrate() override;
  Result<int> schema_version() override;

  Result<std::pair<Tenant, User>> create_tenant_with_user(const std::string& tenant_name, const std::string& email,
                                                          const std::string& password_hash,
                                                          std::int64_t now_ms) override;
  Result<User> create_user(std::int64_t tenant_id, const std::string& email, const std::string& password_hash,
                           std::int64_t now_ms) override;
  Result<std::optional<Tenant>> find_tenant(std::int64_t tenant_id) override;
  Result<std::optional<Tenant>> find_tenant_by_name(const std::string& name) override;
  Result<std::vector<Tenant>> list_tenants() override;
  Result<std::optional<User>> find_user_by_email(const std::string& email) override;

  Status create_token(const std::string& token_hash, std::int64_t user_id, std::int64_t tenant_id,
                      std::int64_t created_at_ms, std::int64_t expires_at_ms) override;
  Result<std::optional<AuthSession>> find_session(const std::string& token_hash, std::int64_t now_ms) override;
  Status delete_token(const std::string& token_hash) override;
  Result<int> delete_expired_tokens(std::int64_t now_ms) override;

  Result<TenantSettings> get_settings(std::int64_t tenant_id) override;
  Status put_settings(const TenantSettings& settings, std::int64_t now_ms) override;

  /// The underlying database, for tests and tools.
  sql::Database& database() { return *db_; }

 private:
  std::unique_ptr<sql::Database> db_;
};

}  // namespace tenantsync::store
