#pragma once
// The team of a tenant: inviting people by e-mail (a one-time link, no mail server needed),
// accepting an invitation, changing a member's role, removing a member. The rules of who may do
// what to whom live here; the route table has already checked the caller's least role.
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/role.hpp"
#include "store/team_store.hpp"

namespace tenantsync::service {

/// Who asks: the signed-in member.
struct TeamActor {
  TenantId tenant_id{0};
  UserId user_id{0};
  core::Role role = core::Role::viewer;
};

struct IssuedInvitation {
  store::Invitation invitation;
  std::string token;  ///< the one-time token of the link; shown once, only its hash is stored
};

class TeamService {
 public:
  /// How long an invitation link stays valid.
  static constexpr std::chrono::hours kInvitationTtl{24 * 7};

  TeamService(store::TeamStore& team, const Clock& clock) : team_(team), clock_(clock) {}

  Result<std::vector<store::Member>> members(TenantId tenant_id) { return team_.list_members(tenant_id); }
  Result<std::vector<store::Invitation>> invitations(TenantId tenant_id) {
    return team_.list_invitations(tenant_id, clock_.now());
  }
  /// Invites `email` with `role`; only an owner may invite an owner. "validation_failed" (e-mail),
  /// "forbidden_role".
  Result<IssuedInvitation> invite(const TeamActor& actor, const std::string& email, core::Role role);
  Status revoke_invitation(const TeamActor& actor, std::int64_t invitation_id) {
    return team_.revoke_invitation(actor.tenant_id, invitation_id);
  }
  /// The pending invitation of a token (to show whom it is for), or "not_found".
  Result<store::Invitation> pending_invitation(const std::string& token);
  /// Accepts with a password hash for the new account; "not_found" (unknown, used or expired),
  /// "email_taken" (the person has a login: they accept with it, accept_as).
  Result<store::Member> accept(const std::string& token, const std::string& password_hash);
  /// Accepts for a signed-in person, who joins the inviting tenant with the login they have;
  /// "not_found", "invitation_email_mismatch", "already_member".
  Result<store::Member> accept_as(const std::string& token, UserId user_id);
  /// The tenants a person belongs to, with their role in each.
  Result<std::vector<store::Membership>> memberships(UserId user_id) { return team_.list_memberships(user_id); }
  /// Changes a member's role. Only an owner makes or unmakes owners; "forbidden_role",
  /// "not_found", "last_owner".
  Result<store::Member> change_role(const TeamActor& actor, UserId member, core::Role role);
  /// Removes a member (their tokens go at once). Only an owner removes an owner. "forbidden_role",
  /// "not_found", "last_owner".
  Result<store::Member> remove(const TeamActor& actor, UserId member);
  /// Erases the whole tenant (TeamStore::delete_tenant). The caller has checked the password.
  Status delete_tenant(const TeamActor& actor) { return team_.delete_tenant(actor.tenant_id); }

 private:
  store::TeamStore& team_;
  const Clock& clock_;
};

}  // namespace tenantsync::service
