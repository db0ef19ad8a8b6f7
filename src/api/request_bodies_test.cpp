#include "api/request_bodies.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "api/json.hpp"

namespace tenantsync::api {
namespace {

// The status and code of the ApiError `parse` throws; fails the test when it throws none.
std::pair<int, core::ErrorCode> refusal(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const ApiError& e) {
    EXPECT_FALSE(std::string(e.what()).empty());
    return {e.status(), e.code()};
  }
  ADD_FAILURE() << "no ApiError";
  return {0, core::ErrorCode::internal_error};
}

TEST(RequestBodiesTest, SignupNormalizesTheEmailAndKeepsThePassword) {
  const auto body =
      parse_signup_body(R"({"tenant_name":"Acme","email":"  Ops@Acme.TEST ","password":"correct horse"})");
  EXPECT_EQ(body.tenant_name, "Acme");
  EXPECT_EQ(body.email, "ops@acme.test");
  EXPECT_EQ(body.password, "correct horse");
}

TEST(RequestBodiesTest, SignupRefusesEachBadFieldWith422) {
  const std::pair<int, core::ErrorCode> invalid{422, core::ErrorCode::validation_failed};
  EXPECT_EQ(refusal([] { parse_signup_body(R"({"email":"a@b.co","password":"12345678"})"); }), invalid);
  EXPECT_EQ(
      refusal([] { parse_signup_body(R"({"tenant_name":"","email":"a@b.co","password":"12345678"})"); }),
      invalid);
  EXPECT_EQ(
      refusal([] { parse_signup_body(R"({"tenant_name":"A","email":"not-mail","password":"12345678"})"); }),
      invalid);
  EXPECT_EQ(refusal([] { parse_signup_body(R"({"tenant_name":"A","email":"a@b.co","password":"short"})"); }),
            invalid);
  const std::string long_email =
      R"({"tenant_name":"A","email":")" + std::string(400, 'a') + R"(@b.co","password":"12345678"})";
  EXPECT_EQ(refusal([&] { parse_signup_body(long_email); }), invalid);
  const std::string long_name = R"({"tenant_name":")" + std::string(kMaxTenantName + 1, 'n') +
                                R"(","email":"a@b.co","password":"12345678"})";
  EXPECT_EQ(refusal([&] { parse_signup_body(long_name); }), invalid);
}

TEST(RequestBodiesTest, LoginAcceptsAShortPasswordButNotAnEmptyOrHugeOne) {
  EXPECT_EQ(parse_login_body(R"({"email":"a@b.co","password":"x"})").password, "x");
  const std::pair<int, core::ErrorCode> invalid{422, core::ErrorCode::validation_failed};
  EXPECT_EQ(refusal([] { parse_login_body(R"({"email":"a@b.co","password":""})"); }), invalid);
  const std::string huge = R"({"email":"a@b.co","password":")" + std::string(kMaxPassword + 1, 'p') + "\"}";
  EXPECT_EQ(refusal([&] { parse_login_body(huge); }), invalid);
}

TEST(RequestBodiesTest, ABodyThatIsNoJsonObjectIs400) {
  const std::pair<int, core::ErrorCode> malformed{400, core::ErrorCode::malformed_json};
  EXPECT_EQ(refusal([] { parse_settings_body("{"); }), malformed);
  EXPECT_EQ(refusal([] { parse_manual_lead_body("[]"); }), malformed);
  EXPECT_EQ(refusal([] { parse_voice_sync_body("\"text\""); }), malformed);
  EXPECT_EQ(refusal([] { parse_confirm_body(std::string(100, '[') + std::string(100, ']')); }), malformed);
}

TEST(RequestBodiesTest, OptionalFieldsOfTheWrongTypeAre422) {
  const std::pair<int, core::ErrorCode> invalid{422, core::ErrorCode::validation_failed};
  EXPECT_EQ(refusal([] { parse_settings_body(R"({"voice_api_key":5})"); }), invalid);
  EXPECT_EQ(refusal([] { parse_manual_lead_body(R"({"phone":["1"]})"); }), invalid);
  EXPECT_EQ(refusal([] { parse_voice_sync_body(R"({"dry_run":"yes"})"); }), invalid);
  EXPECT_EQ(refusal([] { parse_confirm_body(R"({"plan_id":1})"); }), invalid);
}

TEST(RequestBodiesTest, EmptyBodiesAndNullsMeanAbsent) {
  const auto sync = parse_voice_sync_body("");
  EXPECT_FALSE(sync.dry_run);
  EXPECT_FALSE(sync.confirm_plan);
  EXPECT_FALSE(parse_confirm_body(""));
  const auto settings = parse_settings_body(R"({"voice_api_key":null,"default_region":"FR"})");
  EXPECT_FALSE(settings.voice_api_key);
  EXPECT_EQ(settings.default_region, "FR");
  const auto lead = parse_manual_lead_body(R"({"name":"Ann"})");
  EXPECT_EQ(lead.name, "Ann");
  EXPECT_EQ(lead.email, "");
  EXPECT_EQ(parse_voice_sync_body(R"({"dry_run":true,"confirm_plan":"p1"})").confirm_plan, "p1");
  EXPECT_EQ(parse_confirm_body(R"({"plan_id":"p2"})"), "p2");
}

TEST(RequestBodiesTest, ConnectTakesTheFirstCredentialGiven) {
  const auto nango = parse_connect_crm_body(
      R"({"provider":"hubspot","nango_connection_id":"conn-1","provider_config_key":"hs","access_token":"tok"})");
  EXPECT_EQ(nango.provider, core::CrmProvider::hubspot);
  EXPECT_EQ(nango.auth_kind, core::CrmAuthKind::nango);
  EXPECT_EQ(nango.secret, "conn-1");
  EXPECT_EQ(nango.provider_config_key, "hs");
  const auto token = parse_connect_crm_body(
      R"({"provider":"salesforce","instance_url":"https://x.my.salesforce.com","access_token":"tok"})");
  EXPECT_EQ(token.auth_kind, core::CrmAuthKind::access_token);
  EXPECT_EQ(token.instance_url, "https://x.my.salesforce.com");
  EXPECT_EQ(parse_connect_crm_body(R"({"provider":"hubspot","refresh_token":"r"})").auth_kind,
            core::CrmAuthKind::refresh_token);
  const auto none = parse_connect_crm_body(R"({"provider":"pipedrive"})");
  EXPECT_FALSE(none.provider);
  EXPECT_FALSE(none.auth_kind);
}

TEST(RequestBodiesTest, ACredentialFieldWithControlCharactersIsRefusedEvenWhenAnotherWins) {
  const std::pair<int, core::ErrorCode> invalid{422, core::ErrorCode::validation_failed};
  EXPECT_EQ(
      refusal([] {
        parse_connect_crm_body(R"({"provider":"hubspot","access_token":"ok","refresh_token":"a\r\nb"})");
      }),
      invalid);
  EXPECT_EQ(refusal([] { parse_connect_crm_body(R"({"access_token":"ok"})"); }), invalid);
  EXPECT_EQ(
      refusal([] { parse_connect_session_body(R"({"provider":"hubspot","provider_config_key":"a b"})"); }),
      invalid);
}

TEST(RequestBodiesTest, AnEmptyConfigKeyOfAConnectSessionIsTheDefault) {
  const auto session = parse_connect_session_body(R"({"provider":"salesforce","provider_config_key":""})");
  EXPECT_EQ(session.provider, core::CrmProvider::salesforce);
  EXPECT_FALSE(session.provider_config_key);
}

TEST(RequestBodiesTest, AnAcceptWithoutAPasswordIsOneWithALogin) {
  EXPECT_FALSE(parse_accept_body(""));
  EXPECT_FALSE(parse_accept_body("{}"));
  EXPECT_FALSE(parse_accept_body(R"({"password":null})"));
  EXPECT_EQ(parse_accept_body(R"({"password":"long enough"})"), "long enough");
  EXPECT_THROW(parse_accept_body(R"({"password":"short"})"), ApiError);
  EXPECT_THROW(parse_accept_body(R"({"password":7})"), ApiError);
  EXPECT_THROW(parse_accept_body("[]"), ApiError);
}

TEST(RequestBodiesTest, ASwitchNamesATenantById) {
  EXPECT_EQ(parse_switch_body(R"({"tenant_id":42})"), TenantId{42});
  for (const char* bad : {"{}", R"({"tenant_id":0})", R"({"tenant_id":-3})", R"({"tenant_id":"42"})",
                          R"({"tenant_id":1.5})", R"({"tenant_id":null})"}) {
    EXPECT_THROW(parse_switch_body(bad), ApiError) << bad;
  }
}

}  // namespace
}  // namespace tenantsync::api
