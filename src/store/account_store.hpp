#pragma once
// Accounts: tenants, their users, and the bearer tokens users sign in with (stored only as
// hashes). One area of the Store (store.hpp); the API's sign-up, login and session checks use it.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/role.hpp"

namespace tenantsync::store {

struct Tenant {
  TenantId id{0};
  std::string name;
  std::string default_region = "US";  ///< ISO 3166-1 alpha-2, used to parse phone numbers
  std::int64_t created_at_ms = 0;
};

struct User {
  UserId id{0};
  TenantId tenant_id{0};
  std::string email;          ///< trimmed, lower-cased; unique across tenants
  std::string password_hash;  ///< libsodium crypto_pwhash_str (Argon2id)
  std::int64_t created_at_ms = 0;
  core::Role role = core::Role::owner;  ///< a tenant's first user owns it
};

/// What a valid bearer token resolves to.
struct AuthSession {
  UserId user_id{0};
  TenantId tenant_id{0};
  std::string email;
  std::int64_t expires_at_ms = 0;
  core::Role role = core::Role::viewer;  ///< the user's role in the tenant, read with the token
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // --- tenants and users (src/store/sql_store_tenants.cpp) ---
  /// Creates a tenant and its first user in one transaction; "email_taken" if the e-mail exists.
  virtual Result<std::pair<Tenant, User>> create_tenant_with_user(const std::string& tenant_name,
                                                                  const std::string& email,
                                                                  const std::string& password_hash,
                                                                  TimePoint now) = 0;
  /// Adds a user to an existing tenant; "email_taken", "not_found" (tenant).
  virtual Result<User> create_user(TenantId tenant_id, const std::string& email,
                                   const std::string& password_hash, TimePoint now) = 0;
  virtual Result<std::optional<Tenant>> find_tenant(TenantId tenant_id) = 0;
  virtual Result<std::optional<Tenant>> find_tenant_by_name(const std::string& name) = 0;
  virtual Result<std::vector<Tenant>> list_tenants() = 0;
  virtual Result<std::optional<User>> find_user_by_email(const std::string& email) = 0;

  // --- bearer tokens (src/store/sql_store_tokens.cpp) ---
  virtual Status create_token(const std::string& token_hash, UserId user_id, TenantId tenant_id,
                              TimePoint created_at, TimePoint expires_at) = 0;
  /// The session of an unexpired token, or nullopt.
  virtual Result<std::optional<AuthSession>> find_session(const std::string& token_hash,
                                                          TimePoint now) = 0;
  virtual Status delete_token(const std::string& token_hash) = 0;
  /// Removes every token of the user (log out everywhere); returns how many.
  virtual Result<int> delete_user_tokens(TenantId tenant_id, UserId user_id) = 0;
  /// Removes expired tokens; returns how many.
  virtual Result<int> delete_expired_tokens(TimePoint now) = 0;
};

}  // namespace tenantsync::store
