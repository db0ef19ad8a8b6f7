// The JSON bodies of the API's routes (api/request_bodies): the first byte picks the route, the
// rest is the body. Each is a value within the route's bounds, or an ApiError 400/422 with a
// message; nothing else is thrown.
#include "api/json.hpp"
#include "api/request_bodies.hpp"
#include "core/credential_text.hpp"
#include "core/email.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;
using namespace tenantsync::api;

namespace {

void check_credential(const std::string& secret) {
  fuzz::check(secret.empty() || core::is_credential_text(secret), "a credential with bytes a token cannot hold");
}

void parse(std::uint8_t route, std::string_view body) {
  switch (route % 13) {
    case 0: {
      const auto signup = parse_signup_body(body);
      fuzz::check(!signup.tenant_name.empty() && signup.tenant_name.size() <= kMaxTenantName, "a tenant name out of bounds");
      fuzz::check(core::looks_like_email(signup.email), "a sign-up e-mail that is no address");
      fuzz::check(signup.password.size() >= kMinPassword && signup.password.size() <= kMaxPassword,
                  "a sign-up password out of bounds");
      break;
    }
    case 1: {
      const auto login = parse_login_body(body);
      fuzz::check(core::looks_like_email(login.email), "a login e-mail that is no address");
      fuzz::check(!login.password.empty() && login.password.size() <= kMaxPassword, "a login password out of bounds");
      break;
    }
    case 2:
      parse_settings_body(body);
      break;
    case 3:
      parse_manual_lead_body(body);
      break;
    case 4: {
      const auto connect = parse_connect_crm_body(body);
      check_credential(connect.secret);
      fuzz::check(connect.auth_kind.has_value() == !connect.secret.empty(), "a credential kind without a secret");
      if (connect.provider_config_key) check_credential(*connect.provider_config_key);
      break;
    }
    case 5: {
      const auto session = parse_connect_session_body(body);
      if (session.provider_config_key) {
        fuzz::check(!session.provider_config_key->empty(), "an empty config key kept");
        check_credential(*session.provider_config_key);
      }
      break;
    }
    case 6:
      parse_voice_sync_body(body);
      break;
    case 7:
      parse_confirm_body(body);
      break;
    case 8: {
      const auto invitation = parse_invitation_body(body);
      fuzz::check(core::looks_like_email(invitation.email), "an invited e-mail that is no address");
      break;
    }
    case 9:
      parse_role_body(body);
      break;
    case 10: {
      const auto password = parse_password_body(body, 1);
      fuzz::check(!password.empty() && password.size() <= kMaxPassword, "a password out of bounds");
      break;
    }
    case 11:
      fuzz::check(parse_switch_body(body).value() >= 1, "a tenant id below 1");
      break;
    default: {
      const auto password = parse_accept_body(body);
      fuzz::check(!password || (password->size() >= kMinPassword && password->size() <= kMaxPassword),
                  "an accepting password out of bounds");
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  try {
    parse(data[0], fuzz::text_of(data + 1, size - 1));
  } catch (const ApiError& e) {
    fuzz::check(e.status() == 400 || e.status() == 422, "a refusal that is neither 400 nor 422");
    fuzz::check(e.status() != 400 || e.code() == core::ErrorCode::malformed_json, "a 400 that is not malformed_json");
    fuzz::check(e.status() != 422 || e.code() == core::ErrorCode::validation_failed,
                "a 422 that is not validation_failed");
    fuzz::check(std::string_view(e.what()).size() > 0, "a refusal without a message");
  }
  return 0;
}
