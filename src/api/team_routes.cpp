// The team: members and their roles, invitations (one-time links shown once to the inviter), and
// deleting the tenant. Who may call each route is in its declaration; the finer rules (only an
// owner makes owners) are the use case's (service/team_service).
#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/request_bodies.hpp"
#include "api/routes.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

Json member_json(const store::Member& m) {
  return {{"id", m.id},
          {"email", m.email},
          {"role", core::to_string(m.role)},
          {"created_at", time_or_null(m.created_at_ms)}};
}

Json invitation_json(const store::Invitation& i) {
  return {{"id", i.id},
          {"email", i.email},
          {"role", core::to_string(i.role)},
          {"invited_by", i.invited_by},
          {"created_at", time_or_null(i.created_at_ms)},
          {"expires_at", time_or_null(i.expires_at_ms)}};
}

service::TeamActor actor_of(const RequestContext& ctx) {
  return {ctx.session.tenant_id, ctx.session.user_id, ctx.session.role};
}

std::string password_hash(Services& s, const std::string& password) {
  auto hash = s.passwords.hash(password);
  if (!hash.ok()) throw_error(hash.error());
  return std::move(hash).value();
}

http::Response no_content() {
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void add_team_routes(Router& router, Services& s) {
  service::TeamService& team = s.use_cases.team;

  router.add({"GET", "/api/team/members", Access::viewer, [&team](RequestContext& ctx) {
                auto members = team.members(ctx.session.tenant_id);
                if (!members.ok()) throw_error(members.error());
                Json items = Json::array();
                for (const auto& m : *members) items.push_back(member_json(m));
                return json_response(200, Json{{"items", items}});
              }});

  router.add({"PATCH", "/api/team/members/{id}", Access::admin, [&team](RequestContext& ctx) {
                const core::Role role = parse_role_body(ctx.request.body);
                const UserId member{path_id(ctx.param("id"), "member")};
                auto before = team.members(ctx.session.tenant_id);
                auto changed = team.change_role(actor_of(ctx), member, role);
                if (!changed.ok()) throw_error(changed.error());
                std::string from;
                if (before.ok())
                  for (const auto& m : *before)
                    if (m.id == member) from = core::to_string(m.role);
                ctx.auditor.record("member_role_changed", {{"member_id", changed->id},
                                                           {"email", changed->email},
                                                           {"from", from},
                                                           {"to", core::to_string(changed->role)}});
                return json_response(200, member_json(*changed));
              }});

  router.add({"DELETE", "/api/team/members/{id}", Access::admin, [&team](RequestContext& ctx) {
                auto removed = team.remove(actor_of(ctx), UserId{path_id(ctx.param("id"), "member")});
                if (!removed.ok()) throw_error(removed.error());
                ctx.auditor.record("member_removed", {{"member_id", removed->id},
                                                      {"email", removed->email},
                                                      {"role", core::to_string(removed->role)}});
                return no_content();
              }});

  router.add({"GET", "/api/team/invitations", Access::admin, [&team](RequestContext& ctx) {
                auto pending = team.invitations(ctx.session.tenant_id);
                if (!pending.ok()) throw_error(pending.error());
                Json items = Json::array();
                for (const auto& i : *pending) items.push_back(invitation_json(i));
                return json_response(200, Json{{"items", items}});
              }});

  // The token is in this answer only: the inviter passes the link on (no mail server is assumed).
  router.add({"POST", "/api/team/invitations", Access::admin, [&team](RequestContext& ctx) {
                const auto body = parse_invitation_body(ctx.request.body);
                auto issued = team.invite(actor_of(ctx), body.email, body.role);
                if (!issued.ok()) throw_error(issued.error());
                ctx.auditor.record("member_invited", {{"invitation_id", issued->invitation.id},
                                                      {"email", issued->invitation.email},
                                                      {"role", core::to_string(issued->invitation.role)}});
                Json out = invitation_json(issued->invitation);
                out["token"] = issued->token;
                out["accept_path"] = "/#/accept-invitation/" + issued->token;
                return json_response(201, out);
              }});

  router.add({"DELETE", "/api/team/invitations/{id}", Access::admin, [&team](RequestContext& ctx) {
                const std::int64_t id = path_id(ctx.param("id"), "invitation");
                if (auto revoked = team.revoke_invitation(actor_of(ctx), id); !revoked.ok())
                  throw_error(revoked.error());
                ctx.auditor.record("invitation_revoked", {{"invitation_id", id}});
                return no_content();
              }});

  // What the link accepts: the tenant, the invited e-mail and the role, so the page can say "Join
  // Acme as ann@…" before the click. The token is the capability, as for accepting; unknown, used
  // and expired tokens answer the same 404.
  router.add({"GET", "/api/team/invitations/{token}/accept", Access::open, [&s, &team](RequestContext& ctx) {
                auto pending = team.pending_invitation(ctx.param("token"));
                if (!pending.ok()) throw_error(pending.error());
                auto tenant = s.stores.accounts.find_tenant(pending->tenant_id);
                if (!tenant.ok()) throw_error(tenant.error());
                if (!tenant->has_value())
                  throw ApiError(404, core::ErrorCode::not_found, "The invitation is unknown, used or expired.");
                return json_response(200, {{"tenant_name", (*tenant)->name},
                                           {"email", pending->email},
                                           {"role", core::to_string(pending->role)},
                                           {"expires_at", time_or_null(pending->expires_at_ms)}});
              }});

  // Accepting with a password creates the person's login; accepting signed in (a bearer token and
  // no password) adds the login the person has to the inviting tenant. Either way the answer signs
  // them in there. Unknown, used and expired tokens answer the same 404.
  router.add({"POST", "/api/team/invitations/{token}/accept", Access::open, [&s, &team](RequestContext& ctx) {
                const std::optional<std::string> password = parse_accept_body(ctx.request.body);
                const std::string& token = ctx.param("token");
                auto pending = team.pending_invitation(token);
                if (!pending.ok()) throw_error(pending.error());
                auto member = password ? team.accept(token, password_hash(s, *password))
                                       : team.accept_as(token, authenticate(s, ctx.request).user_id);
                if (!member.ok()) {
                  if (member.error().is(core::ErrorCode::email_taken))
                    throw ApiError(409, core::ErrorCode::email_taken,
                                   "An account with this e-mail already exists: sign in with it, then open the "
                                   "invitation again to join with that login.");
                  throw_error(member.error());
                }
                const TenantId tenant_id = pending->tenant_id;
                Auditor(&s.stores.audit, &s.clock, tenant_id, member->id, member->email,
                        http::client_address(ctx.request, s.options.trusted_proxies))
                    .record("invitation_accepted",
                            {{"invitation_id", pending->id},
                             {"role", core::to_string(member->role)},
                             {"with", password ? "a new password" : "an existing login"}});
                return session_response(s, 201, tenant_id, member->id, member->email);
              }});

  // Erases the tenant: the owner types the password again. Everything of the tenant goes, the
  // audit log included, so the event is written to the server's log instead.
  router.add({"DELETE", "/api/tenant", Access::owner, [&s, &team](RequestContext& ctx) {
                const std::string password = parse_password_body(ctx.request.body, 1);
                auto user = s.stores.accounts.find_user_by_email(ctx.session.email);
                if (!user.ok()) throw_error(user.error());
                if (!user->has_value()) throw ApiError(401, core::ErrorCode::unauthorized, "Sign in again.");
                auto valid = s.passwords.verify(password, &(*user)->password_hash);
                if (!valid.ok()) throw_error(valid.error());
                if (!*valid)
                  throw ApiError(403, core::ErrorCode::invalid_credentials, "The password is wrong.");
                if (auto done = team.delete_tenant(actor_of(ctx)); !done.ok()) throw_error(done.error());
                spdlog::warn("event=tenant_deleted tenant_id={} user_id={} address={}", ctx.session.tenant_id,
                             ctx.session.user_id,
                             http::client_address(ctx.request, s.options.trusted_proxies));
                return no_content();
              }});
}

}  // namespace tenantsync::api
