#pragma once
// Teams: the members of a tenant and their roles, invitations (one-time links, stored as token
// hashes), and erasing a whole tenant. A person (a user: one e-mail, one password) may be a member
// of several tenants, with a role in each (a membership); the user's own tenant_id is the tenant a
// login opens first (the home tenant). One area of the Store (store.hpp); the SQL is in
// sql_store_team.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/role.hpp"

namespace tenantsync::store {

struct Member {
  UserId id{0};
  std::string email;
  core::Role role = core::Role::viewer;
  std::int64_t created_at_ms = 0;
};

/// One tenant a person belongs to, with the role there.
struct Membership {
  TenantId tenant_id{0};
  std::string tenant_name;
  core::Role role = core::Role::viewer;
};

struct Invitation {
  std::int64_t id = 0;
  TenantId tenant_id{0};
  std::string email;
  core::Role role = core::Role::viewer;
  UserId invited_by{0};
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
};

class TeamStore {
 public:
  virtual ~TeamStore() = default;

  /// The tenant's members, oldest first.
  virtual Result<std::vector<Member>> list_members(TenantId tenant_id) = 0;
  virtual Result<std::optional<Member>> find_member(TenantId tenant_id, UserId user_id) = 0;
  /// Sets a member's role; "not_found" (no such member), "last_owner" (it would leave no owner).
  /// The owner count is checked in the same transaction as the change.
  virtual Result<Member> set_member_role(TenantId tenant_id, UserId user_id, core::Role role) = 0;
  /// Removes a member from the tenant, and with it every token of theirs there (signed out at
  /// once); "not_found", "last_owner". A person with no other membership is deleted; one whose home
  /// tenant this was gets their oldest other tenant as home.
  virtual Status remove_member(TenantId tenant_id, UserId user_id) = 0;
  /// The tenants a person belongs to, by tenant id.
  virtual Result<std::vector<Membership>> list_memberships(UserId user_id) = 0;

  virtual Result<Invitation> create_invitation(TenantId tenant_id, const std::string& token_hash,
                                               const std::string& email, core::Role role, UserId invited_by,
                                               TimePoint now, TimePoint expires_at) = 0;
  /// Invitations not yet accepted and not expired, newest first.
  virtual Result<std::vector<Invitation>> list_invitations(TenantId tenant_id, TimePoint now) = 0;
  /// Withdraws a pending invitation; "not_found".
  virtual Status revoke_invitation(TenantId tenant_id, std::int64_t invitation_id) = 0;
  /// The pending, unexpired invitation of that token, or nullopt (unknown, used and expired alike).
  virtual Result<std::optional<Invitation>> find_invitation(const std::string& token_hash, TimePoint now) = 0;
  /// Uses the invitation once: creates its user (home tenant: the inviting one) with the
  /// invitation's e-mail and role, in one transaction with marking it used. "not_found" (unknown,
  /// used or expired), "email_taken" (a person with that e-mail exists: they accept with their login).
  virtual Result<Member> accept_invitation(const std::string& token_hash, const std::string& password_hash,
                                           TimePoint now) = 0;
  /// Uses the invitation once for an existing person: adds their membership with the invitation's
  /// role. "not_found", "invitation_email_mismatch" (the person's e-mail is not the invited one),
  /// "already_member". On an error the invitation stays unused.
  virtual Result<Member> accept_invitation_as(const std::string& token_hash, UserId user_id, TimePoint now) = 0;

  /// Erases the tenant: its row and every row of every table with a tenant_id column (found in the
  /// database's catalog, so tables added later are covered), in one transaction. Members who
  /// belong to another tenant too keep their login (moved to their oldest other tenant); the others
  /// are deleted. Its tokens,
  /// secrets, jobs and runs go with it; a worker holding one of its jobs loses the lease.
  virtual Status delete_tenant(TenantId tenant_id) = 0;
  /// The tables with a tenant_id column, from the catalog.
  virtual Result<std::vector<std::string>> tenant_tables() = 0;
};

}  // namespace tenantsync::store
