#include <algorithm>

#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "api/json.hpp"
#include "api/request_bodies.hpp"
#include "api/routes.hpp"

namespace tenantsync::api {
namespace {

Json user_json(UserId id, const std::string& email) { return {{"id", id}, {"email", email}}; }

void refuse_if_throttled(core::LoginThrottle& throttle, const std::vector<std::string>& keys, TimePoint now,
                         const std::string& what) {
  for (const auto& key : keys) {
    const auto decision = throttle.check(key, now);
    if (!decision.allowed) {
      const auto seconds = std::max<std::int64_t>(1, (decision.retry_after.count() + 999) / 1000);
      throw ApiError(429, core::ErrorCode::too_many_attempts, what + "; try again in " + std::to_string(seconds) + " s.");
    }
  }
}

}  // namespace

http::Response session_response(Services& s, int status, TenantId tenant_id, UserId user_id,
                                const std::string& email) {
  const auto token = crypto::new_token();
  const auto now = s.clock.now();
  auto created = s.stores.accounts.create_token(crypto::hash_token(token), user_id, tenant_id, now,
                                                now + s.options.token_ttl);
  if (!created.ok()) throw_error(created.error());
  return json_response(status, {{"token", token},
                                {"tenant_id", tenant_id},
                                {"user", user_json(user_id, email)},
                                {"expires_in", s.options.token_ttl.count() / 1000}});
}

void add_auth_routes(Router& router, Services& s) {
  router.add(
      {"POST", "/api/auth/signup", Access::open, [&s](RequestContext& ctx) {
         if (!s.options.allow_signup) {
           throw ApiError(403, core::ErrorCode::signup_disabled,
                          "Sign-up is disabled here; ask an administrator for an account.");
         }
         const auto [tenant_name, email, password] = parse_signup_body(ctx.request.body);
         // Every sign-up that gets this far costs a hash and may create a tenant, so each counts.
         const std::vector<std::string> keys = {"addr:" +
                                                http::client_address(ctx.request, s.options.trusted_proxies)};
         refuse_if_throttled(s.signup_throttle, keys, s.clock.now(), "Too many sign-ups from this address");
         s.signup_throttle.record_failure(keys.front(), s.clock.now());
         auto hash = s.passwords.hash(password);
         if (!hash.ok()) throw_error(hash.error());
         auto created = s.stores.accounts.create_tenant_with_user(tenant_name, email, *hash, s.clock.now());
         if (!created.ok()) {
           if (created.error().is(core::ErrorCode::email_taken)) {
             throw ApiError(409, core::ErrorCode::email_taken,
                            "An account with this e-mail already exists; sign in instead.");
           }
           throw_error(created.error());
         }
         const auto& [tenant, user] = *created;
         spdlog::info("event=signup tenant_id={} user_id={}", tenant.id, user.id);
         return session_response(s, 201, tenant.id, user.id, user.email);
       }});

  router.add(
      {"POST", "/api/auth/login", Access::open, [&s](RequestContext& ctx) {
         const auto [email, password] = parse_login_body(ctx.request.body);
         const std::vector<std::string> keys = {
             "account:" + email, "addr:" + http::client_address(ctx.request, s.options.trusted_proxies)};
         refuse_if_throttled(s.login_throttle, keys, s.clock.now(), "Too many failed sign-ins");
         auto user = s.stores.accounts.find_user_by_email(email);
         if (!user.ok()) throw_error(user.error());
         // An unknown e-mail is checked against a dummy hash, so timing does not reveal which
         // e-mails have accounts.
         auto valid = s.passwords.verify(password, user->has_value() ? &(*user)->password_hash : nullptr);
         if (!valid.ok()) throw_error(valid.error());
         const std::string address = http::client_address(ctx.request, s.options.trusted_proxies);
         if (!*valid) {
           for (const auto& key : keys) s.login_throttle.record_failure(key, s.clock.now());
           // Recorded in the tenant of the account tried; an unknown e-mail has no tenant to tell.
           if (user->has_value())
             Auditor(&s.stores.audit, &s.clock, (*user)->tenant_id, std::nullopt, email, address)
                 .record("login_failed", {{"email", email}});
           throw ApiError(401, core::ErrorCode::invalid_credentials, "The e-mail or password is wrong.");
         }
         for (const auto& key : keys) s.login_throttle.record_success(key);
         const auto& u = **user;
         Auditor(&s.stores.audit, &s.clock, u.tenant_id, u.id, u.email, address).record("login");
         if (s.hooks.on_login) s.hooks.on_login(u.tenant_id);
         return session_response(s, 200, u.tenant_id, u.id, u.email);
       }});

  router.add({"POST", "/api/auth/logout", Access::viewer, [&s](RequestContext& ctx) {
                auto deleted = s.stores.accounts.delete_token(crypto::hash_token(bearer_token(ctx.request)));
                if (!deleted.ok()) throw_error(deleted.error());
                http::Response res;
                res.status = 204;
                return res;
              }});

  // Signs the user out everywhere (a lost laptop, a leaked token): every token of the user goes,
  // the one of this request included.
  router.add({"POST", "/api/auth/logout-all", Access::viewer, [&s](RequestContext& ctx) {
                auto revoked =
                    s.stores.accounts.delete_user_tokens(ctx.session.tenant_id, ctx.session.user_id);
                if (!revoked.ok()) throw_error(revoked.error());
                spdlog::info("event=logout_all tenant_id={} user_id={} tokens={}", ctx.session.tenant_id,
                             ctx.session.user_id, *revoked);
                return json_response(200, {{"revoked", *revoked}});
              }});

  // The tenants the signed-in person belongs to, for the dashboard's switcher.
  router.add({"GET", "/api/auth/tenants", Access::viewer, [&s](RequestContext& ctx) {
                auto memberships = s.use_cases.team.memberships(ctx.session.user_id);
                if (!memberships.ok()) throw_error(memberships.error());
                Json items = Json::array();
                for (const auto& m : *memberships)
                  items.push_back({{"tenant_id", m.tenant_id},
                                   {"name", m.tenant_name},
                                   {"role", core::to_string(m.role)},
                                   {"current", m.tenant_id == ctx.session.tenant_id}});
                return json_response(200, Json{{"items", items}});
              }});

  // Opens another tenant the person belongs to: a new token for it, the answer of a login. The
  // token of this request stays valid for its own tenant.
  router.add({"POST", "/api/auth/switch", Access::viewer, [&s](RequestContext& ctx) {
                const TenantId tenant_id = parse_switch_body(ctx.request.body);
                auto memberships = s.use_cases.team.memberships(ctx.session.user_id);
                if (!memberships.ok()) throw_error(memberships.error());
                const bool member = std::any_of(memberships->begin(), memberships->end(),
                                                [&](const store::Membership& m) { return m.tenant_id == tenant_id; });
                // Another tenant's existence is not told apart from not belonging to it.
                if (!member) throw ApiError(404, core::ErrorCode::not_found, "You are not a member of that tenant.");
                Auditor(&s.stores.audit, &s.clock, tenant_id, ctx.session.user_id, ctx.session.email,
                        http::client_address(ctx.request, s.options.trusted_proxies))
                    .record("tenant_switched_in", {{"from_tenant_id", ctx.session.tenant_id}});
                return session_response(s, 200, tenant_id, ctx.session.user_id, ctx.session.email);
              }});

  router.add({"GET", "/api/auth/me", Access::viewer, [&s](RequestContext& ctx) {
                auto tenant = s.stores.accounts.find_tenant(ctx.session.tenant_id);
                if (!tenant.ok()) throw_error(tenant.error());
                if (!tenant->has_value())
                  throw ApiError(404, core::ErrorCode::not_found, "The tenant no longer exists.");
                const auto& t = **tenant;
                return json_response(
                    200,
                    {{"user", {{"id", ctx.session.user_id},
                               {"email", ctx.session.email},
                               {"role", core::to_string(ctx.session.role)}}},
                     {"tenant", {{"id", t.id}, {"name", t.name}, {"default_region", t.default_region}}}});
              }});
}

}  // namespace tenantsync::api
