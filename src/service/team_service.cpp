#include "service/team_service.hpp"

#include "core/email.hpp"
#include "crypto/crypto.hpp"

namespace tenantsync::service {
namespace {

Error owners_only(const std::string& what) {
  return make_error(core::ErrorCode::forbidden_role, "Only an owner may " + what + ".");
}

}  // namespace

Result<IssuedInvitation> TeamService::invite(const TeamActor& actor, const std::string& email,
                                             core::Role role) {
  const std::string normalized = core::normalize_email(email);
  if (!core::looks_like_email(normalized)) {
    return make_error(core::ErrorCode::validation_failed, "The field \"email\" must be an e-mail address.");
  }
  if (role == core::Role::owner && actor.role != core::Role::owner) return owners_only("invite an owner");
  IssuedInvitation issued;
  issued.token = crypto::new_token();
  const TimePoint now = clock_.now();
  auto created = team_.create_invitation(actor.tenant_id, crypto::hash_token(issued.token), normalized, role,
                                         actor.user_id, now, now + kInvitationTtl);
  if (!created.ok()) return created.error();
  issued.invitation = std::move(created).value();
  return issued;
}

Result<store::Invitation> TeamService::pending_invitation(const std::string& token) {
  auto found = team_.find_invitation(crypto::hash_token(token), clock_.now());
  if (!found.ok()) return found.error();
  if (!*found) return make_error(core::ErrorCode::not_found, "The invitation is unknown, used or expired.");
  return **found;
}

Result<store::Member> TeamService::accept(const std::string& token, const std::string& password_hash) {
  auto accepted = team_.accept_invitation(crypto::hash_token(token), password_hash, clock_.now());
  // Unknown, used and expired answer alike, so a token cannot be probed for which it is.
  if (!accepted.ok() && accepted.error().is(core::ErrorCode::not_found))
    return make_error(core::ErrorCode::not_found, "The invitation is unknown, used or expired.");
  return accepted;
}

Result<store::Member> TeamService::accept_as(const std::string& token, UserId user_id) {
  auto accepted = team_.accept_invitation_as(crypto::hash_token(token), user_id, clock_.now());
  if (!accepted.ok() && accepted.error().is(core::ErrorCode::not_found))
    return make_error(core::ErrorCode::not_found, "The invitation is unknown, used or expired.");
  return accepted;
}

Result<store::Member> TeamService::change_role(const TeamActor& actor, UserId member, core::Role role) {
  auto current = team_.find_member(actor.tenant_id, member);
  if (!current.ok()) return current.error();
  if (!*current) return make_error(core::ErrorCode::not_found, "No such member.");
  if (actor.role != core::Role::owner && ((*current)->role == core::Role::owner || role == core::Role::owner))
    return owners_only("make or unmake owners");
  return team_.set_member_role(actor.tenant_id, member, role);
}

Result<store::Member> TeamService::remove(const TeamActor& actor, UserId member) {
  auto current = team_.find_member(actor.tenant_id, member);
  if (!current.ok()) return current.error();
  if (!*current) return make_error(core::ErrorCode::not_found, "No such member.");
  if (actor.role != core::Role::owner && (*current)->role == core::Role::owner)
    return owners_only("remove an owner");
  if (Status s = team_.remove_member(actor.tenant_id, member); !s.ok()) return s.error();
  return **current;
}

}  // namespace tenantsync::service
