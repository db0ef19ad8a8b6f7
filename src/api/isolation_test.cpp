// Tenant isolation, for every route in the router: tenant A's token can neither read nor
// change anything of tenant B. Routes come from the router itself, so a new route is covered
// the day it is added (give it a sample body below if it needs one).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "api/api.hpp"
#include "api/json.hpp"
#include "api/metrics.hpp"
#include "core/login_throttle.hpp"
#include "crypto/crypto.hpp"
#include "service/use_cases.hpp"
#include "store/store.hpp"
#include "support/fake_connectors.hpp"
#include "support/temp_store.hpp"
#include "sync/engine.hpp"

namespace tenantsync::api {
namespace {

struct Tenant {
  std::int64_t id = 0;
  std::string token;
  std::string email;
};

class IsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-isolation-", dir_, store_, secrets_));
    for (const char* key : {"bn-alpha-key-aaaa", "bn-bravo-key-bbbb", "bn-attacker-key-0000"})
      connectors_.accounts[key].account = {std::string("acct-") + key, "", ""};
    // The engine is never started: requested runs stay queued, which is all routes need here.
    engine_ = std::make_unique<sync::SyncEngine>(sync::SyncStores::of(*store_), clock_, *secrets_,
                                                 connectors_, events_, sync::EngineOptions{});
    ApiOptions options;
    service::UseCaseOptions use_case_options;
    use_case_options.sync_wait = std::chrono::milliseconds(0);
    use_case_options.key_change_wait = std::chrono::milliseconds(0);
    use_cases_ = std::make_unique<service::UseCases>(
        service::Wiring::of(*store_, clock_, *secrets_, connectors_, engine_.get()), use_case_options);
    api_ = std::make_unique<Api>(
        Services{Stores::of(*store_), *use_cases_, clock_, metrics_, throttle_, signup_throttle_, passwords_,
                 options, {}, &events_});
  }
  void TearDown() override {
    api_.reset();
    use_cases_.reset();
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  http::Response call(const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body = "") {
    http::Request req;
    req.method = method;
    req.path = path;
    req.target = path;
    req.body = body;
    req.remote_address = "127.0.0.1";
    if (!token.empty()) req.headers["authorization"] = "Bearer " + token;
    return http::await_response(api_->handle(req));
  }

  Tenant make_tenant(const std::string& name, const std::string& key) {
    const std::string email = name + "@example.com";
    auto res = call("POST", "/api/auth/signup", "",
                    Json{{"tenant_name", name}, {"email", email}, {"password", "password " + name}}.dump());
    EXPECT_EQ(res.status, 201) << res.body;
    auto body = Json::parse(res.body);
    Tenant t{body["tenant_id"].get<std::int64_t>(), body["token"].get<std::string>(), email};
    auto put = call("PUT", "/api/tenant/settings", t.token,
                    Json{{"voice_api_key", key}, {"voice_base_url", "https://" + name + ".example"}}.dump());
    EXPECT_EQ(put.status, 200) << put.body;
    return t;
  }

  // Everything of B's that A must never see or change, read through B's own token.
  std::string snapshot(const Tenant& t) {
    std::string out;
    for (const auto& route : api_->router().routes()) {
      if (route.method == "GET" && route.access == Access::user &&
          route.pattern.find('{') == std::string::npos && route.pattern != "/api/events") {
        out += route.pattern + " " + call("GET", route.pattern, t.token).body + "\n";
      }
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  Metrics metrics_;
  core::LoginThrottle throttle_;
  core::LoginThrottle signup_throttle_;
  crypto::PasswordHasher passwords_{crypto::PasswordCost::minimal, 2, std::chrono::seconds(10)};
  std::unique_ptr<crypto::SecretBox> secrets_;
  sync::test::FakeConnectors connectors_;
  sync::EventBus events_;
  std::unique_ptr<sync::SyncEngine> engine_;
  std::unique_ptr<service::UseCases> use_cases_;
  std::unique_ptr<Api> api_;
};

// A body that passes validation for routes that take one; others get {}.
const std::map<std::string, std::string> kSampleBodies = {
    {"PUT /api/tenant/settings",
     R"({"voice_api_key":"bn-attacker-key-0000","voice_base_url":"https://evil.example","default_region":"FR"})"},
};

TEST_F(IsolationTest, NoRouteLetsOneTenantReadOrChangeAnother) {
  const auto a = make_tenant("alpha", "bn-alpha-key-aaaa");
  const auto b = make_tenant("bravo", "bn-bravo-key-bbbb");
  const auto before = snapshot(b);
  ASSERT_NE(before.find("bbbb"), std::string::npos) << "B's snapshot must hold B's data: " << before;

  int user_routes = 0;
  for (const auto& route : api_->router().routes()) {
    if (route.access != Access::user || route.pattern == "/api/auth/logout" ||
        route.pattern == "/api/auth/logout-all" || route.pattern == "/api/events")
      continue;
    ++user_routes;
    // Path parameters get B's identifiers: a route must not find B's records through them.
    std::string path = route.pattern;
    for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      path.replace(open, path.find('}', open) - open + 1, std::to_string(b.id));
    }
    const auto key = route.method + " " + route.pattern;
    const auto sample = kSampleBodies.count(key) ? kSampleBodies.at(key) : std::string("{}");
    const auto res = call(route.method, path, a.token, sample);
    EXPECT_LT(res.status, 500) << key << ": " << res.body;
    EXPECT_EQ(res.body.find("bbbb"), std::string::npos) << key << " leaked B's key: " << res.body;
    EXPECT_EQ(res.body.find(b.email), std::string::npos) << key << " leaked B's e-mail: " << res.body;
    EXPECT_EQ(res.body.find("bravo.example"), std::string::npos)
        << key << " leaked B's settings: " << res.body;
  }
  EXPECT_GT(user_routes, 2);
  EXPECT_EQ(snapshot(b), before) << "a request with A's token changed B's data";

  // And without any token, no tenant route answers at all.
  for (const auto& route : api_->router().routes()) {
    if (route.access != Access::user) continue;
    EXPECT_EQ(call(route.method, route.pattern, "").status, 401) << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace tenantsync::api
