#pragma once
// The Store: every read and write of tenantsync's own data. One interface, two backends
// (SQLite by default, PostgreSQL for many instances), one shared test suite
// (src/store/store_suite.cpp) that runs against both.
//
// Rules every implementation keeps:
//  - every query on tenant data filters on tenant_id (tenant isolation);
//  - multi-row changes happen in one transaction, rolled back on any error;
//  - failures are values: Error{code, message}, codes listed in kStoreErrorCodes below.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace tenantsync::store {

/// Error codes a Store returns: "db_error" (unexpected database failure), "email_taken",
/// "not_found", "conflict".
struct Tenant {
  std::int64_t id = 0;
  std::string name;
  std::string default_region = "US";  ///< ISO 3166-1 alpha-2, used to parse phone numbers
  std::int64_t created_at_ms = 0;
};

struct User {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string email;          ///< trimmed, lower-cased; unique across tenants
  std::string password_hash;  ///< libsodium crypto_pwhash_str (Argon2id)
  std::int64_t created_at_ms = 0;
};

/// What a valid bearer token resolves to.
struct AuthSession {
  std::int64_t user_id = 0;
  std::int64_t tenant_id = 0;
  std::string email;
  std::int64_t expires_at_ms = 0;
};

struct TenantSettings {
  std::int64_t tenant_id = 0;
  std::string voice_api_key_cipher;  ///< encrypted (libsodium secretbox), base64; empty when unset
  std::string voice_key_last4;
  std::string voice_base_url;        ///< empty: the configured default (TENANTSYNC_BOLNA_URL)
  std::string voice_account_id;      ///< from GET /user/me; a change of it is an account switch
  std::string default_region = "US"; ///< stored on the tenant row
  std::int64_t updated_at_ms = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  /// "sqlite" or "postgresql".
  virtual std::string backend() const = 0;
  /// A cheap round trip, for /readyz.
  virtual Status ping() = 0;
  /// Applies pending migrations (idempotent); returns how many were applied.
  virtual Result<int> migrate() = 0;
  /// Highest applied migration version (0 on an empty database).
  virtual Result<int> schema_version() = 0;

  // --- tenants and users ---
  /// Creates a tenant and its first user in one transaction; "email_taken" if the e-mail exists.
  virtual Result<std::pair<Tenant, User>> create_tenant_with_user(const std::string& tenant_name,
                                                                  const std::string& email,
                                                                  const std::string& password_hash,
                                                                  std::int64_t now_ms) = 0;
  /// Adds a user to an existing tenant; "email_taken", "not_found" (tenant).
  virtual Result<User> create_user(std::int64_t tenant_id, const std::string& email,
                                   const std::string& password_hash, std::int64_t now_ms) = 0;
  virtual Result<std::optional<Tenant>> find_tenant(std::int64_t tenant_id) = 0;
  virtual Result<std::optional<Tenant>> find_tenant_by_name(const std::string& name) = 0;
  virtual Result<std::vector<Tenant>> list_tenants() = 0;
  virtual Result<std::optional<User>> find_user_by_email(const std::string& email) = 0;

  // --- bearer tokens (stored only as hashes) ---
  virtual Status create_token(const std::string& token_hash, std::int64_t user_id, std::int64_t tenant_id,
                              std::int64_t created_at_ms, std::int64_t expires_at_ms) = 0;
  /// The session of an unexpired token, or nullopt.
  virtual Result<std::optional<AuthSession>> find_session(const std::string& token_hash,
                                                          std::int64_t now_ms) = 0;
  virtual Status delete_token(const std::string& token_hash) = 0;
  /// Removes expired tokens; returns how many.
  virtual Result<int> delete_expired_tokens(std::int64_t now_ms) = 0;

  // --- tenant settings ---
  /// The tenant's settings; defaults (no key, region from the tenant) when never saved.
  virtual Result<TenantSettings> get_settings(std::int64_t tenant_id) = 0;
  /// Writes all fields of settings (and the tenant's default_region) in one transaction.
  virtual Status put_settings(const TenantSettings& settings, std::int64_t now_ms) = 0;
};

struct StoreOptions {
  int pool_size = 8;             ///< connections (PostgreSQL) / reader connections (SQLite)
  int busy_timeout_ms = 5000;    ///< SQLite busy timeout
  int acquire_timeout_ms = 10000; ///< longest wait for a free connection before "db_error"
};

/// Opens "sqlite:PATH" (creating the file and its folder) or "postgresql://..." / "postgres://...".
/// Does not migrate. Errors: "bad_database_url", "db_error".
Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const StoreOptions& options = {});

}  // namespace tenantsync::store
