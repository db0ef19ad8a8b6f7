#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "api/json.hpp"
#include "api/routes.hpp"
#include "core/email.hpp"

namespace tenantsync::api {
namespace {

constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 1024;

Json user_json(UserId id, const std::string& email) { return {{"id", id}, {"email", email}}; }

std::string valid_email(const Json& body) {
  const auto email = core::normalize_email(require_string(body, "email"));
  if (!core::looks_like_email(email) || email.size() > 254) {
    throw ApiError(422, core::ErrorCode::validation_failed, "The field \"email\" must be an e-mail address.");
  }
  return email;
}

// Issues a token and answers with it: the shape signup and login share.
http::Response session_response(Services& s, int status, TenantId tenant_id, UserId user_id,
                                const std::string& email) {
  const auto token = crypto::new_token();
  const auto now = s.clock.now();
  auto created = s.stores.accounts.create_token(crypto::hash_token(token), user_id, tenant_id,
                                                now, now + s.options.token_ttl);
  if (!created.ok()) throw_error(created.error());
  return json_response(status, {{"token", token},
                                {"tenant_id", tenant_id},
                                {"user", user_json(user_id, email)},
                                {"expires_in", s.options.token_ttl.count() / 1000}});
}

void refuse_if_throttled(Services& s, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    const auto decision = s.login_throttle.check(key, s.clock.now());
    if (!decision.allowed) {
      const auto seconds = std::max<std::int64_t>(1, (decision.retry_after.count() + 999) / 1000);
      throw ApiError(429, core::ErrorCode::too_many_attempts,
                     "Too many failed sign-ins; try again in " + std::to_string(seconds) + " s.");
    }
  }
}

}  // namespace

void add_auth_routes(Router& router, Services& s) {
  router.add(
      {"POST", "/api/auth/signup", Access::open, [&s](RequestContext& ctx) {
         if (!s.options.allow_signup) {
           throw ApiError(403, core::ErrorCode::signup_disabled,
                          "Sign-up is disabled here; ask an administrator for an account.");
         }
         const auto body = parse_object_body(ctx.request);
         auto tenant_name = require_string(body, "tenant_name");
         const auto email = valid_email(body);
         const auto password = require_string(body, "password");
         if (tenant_name.empty() || tenant_name.size() > 200) {
           throw ApiError(422, core::ErrorCode::validation_failed,
                          "The field \"tenant_name\" must be 1 to 200 characters.");
         }
         if (password.size() < kMinPassword || password.size() > kMaxPassword) {
           throw ApiError(422, core::ErrorCode::validation_failed,
                          "The field \"password\" must be at least 8 characters.");
         }
         auto hash = crypto::hash_password(password, s.options.password_cost);
         if (!hash.ok()) throw_error(hash.error());
         auto created =
             s.stores.accounts.create_tenant_with_user(tenant_name, email, *hash, s.clock.now());
         if (!created.ok()) {
           if (created.error().code == core::ErrorCode::email_taken) {
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
         const auto body = parse_object_body(ctx.request);
         const auto email = core::normalize_email(require_string(body, "email"));
         const auto password = require_string(body, "password");
         const std::vector<std::string> keys = {"account:" + email, "addr:" + ctx.request.remote_address};
         refuse_if_throttled(s, keys);
         auto user = s.stores.accounts.find_user_by_email(email);
         if (!user.ok()) throw_error(user.error());
         // Verify against a fixed hash when the user is unknown, so timing does not reveal which
         // e-mails have accounts.
         static const std::string kDummyHash =
             *crypto::hash_password("dummy-password", s.options.password_cost);
         const bool valid =
             crypto::verify_password(password, user->has_value() ? (*user)->password_hash : kDummyHash) &&
             user->has_value();
         if (!valid) {
           for (const auto& key : keys) s.login_throttle.record_failure(key, s.clock.now());
           throw ApiError(401, core::ErrorCode::invalid_credentials, "The e-mail or password is wrong.");
         }
         for (const auto& key : keys) s.login_throttle.record_success(key);
         const auto& u = **user;
         if (s.hooks.on_login) s.hooks.on_login(u.tenant_id);
         return session_response(s, 200, u.tenant_id, u.id, u.email);
       }});

  router.add({"POST", "/api/auth/logout", Access::user, [&s](RequestContext& ctx) {
                auto deleted = s.stores.accounts.delete_token(crypto::hash_token(bearer_token(ctx.request)));
                if (!deleted.ok()) throw_error(deleted.error());
                http::Response res;
                res.status = 204;
                return res;
              }});

  router.add({"GET", "/api/auth/me", Access::user, [&s](RequestContext& ctx) {
                auto tenant = s.stores.accounts.find_tenant(ctx.session.tenant_id);
                if (!tenant.ok()) throw_error(tenant.error());
                if (!tenant->has_value())
                  throw ApiError(404, core::ErrorCode::not_found, "The tenant no longer exists.");
                const auto& t = **tenant;
                return json_response(
                    200,
                    {{"user", user_json(ctx.session.user_id, ctx.session.email)},
                     {"tenant", {{"id", t.id}, {"name", t.name}, {"default_region", t.default_region}}}});
              }});
}

}  // namespace tenantsync::api
