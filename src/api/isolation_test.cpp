// Tenant isolation, for every route in the router: tenant A's token can neither read nor
// change anything of tenant B. Routes come from the router itself, so a new route is covered
// the day it is added (give it a sample body below if it needs one).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

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
    const auto mark = path.find('?');
    req.path = path.substr(0, mark);
    if (mark != std::string::npos) req.query = http::parse_query(std::string_view(path).substr(mark + 1));
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

// The browsing routes whose {id} is a row of the tenant's data: each gets B's real row id below,
// so a route that forgot its tenant filter would find it. A new such route needs a case here.
const std::map<std::string, std::string> kRowRoutes = {
    {"GET /api/executions/{id}", "execution"}, {"GET /api/agents/{id}", "agent"},
    {"GET /api/campaigns/{id}", "campaign"},   {"GET /api/leads/{id}", "lead"},
    {"GET /api/leads/{id}/calls", "lead"},
    {"GET /api/webhooks/{id}", "webhook"},   {"PATCH /api/webhooks/{id}", "webhook"},
    {"POST /api/webhooks/{id}/rotate-secret", "webhook"}, {"GET /api/webhooks/{id}/deliveries", "webhook"},
};
// Routes with ids that are not rows of the browsing tables (covered by the test above).
const std::set<std::string> kOtherIdRoutes = {
    "DELETE /api/crm/connections/{id}", "POST /api/archive/{resource}/{id}/restore",
    "GET /api/sync/runs/{id}", "POST /api/sync/runs/{id}/confirm", "POST /api/sync/runs/{id}/cancel",
    // B's webhook is used by the cases above; deleting it as B would end them.
    "DELETE /api/webhooks/{id}", "POST /api/webhooks/{id}/deliveries/{delivery}/redeliver"};

TEST_F(IsolationTest, BrowsingRoutesDoNotFindAnotherTenantsRows) {
  const auto a = make_tenant("alpha", "bn-alpha-key-aaaa");
  const auto b = make_tenant("bravo", "bn-bravo-key-bbbb");
  // B's mirror: an agent, a campaign and a call to the number of B's lead.
  const TenantId b_id{b.id};
  auto ticket = store_->request_run(b_id, core::RunTarget::voice(), core::RunTrigger::manual, true,
                                    std::chrono::minutes(10), clock_.now(), 0);
  ASSERT_TRUE(ticket.ok()) << ticket.error().message;
  const auto record = [](const std::string& id, const std::string& fields) {
    core::UpstreamRecord r;
    r.upstream_id = id;
    r.name = id + "-bbbb";
    r.agent_id = "ag-b";
    r.batch_id = "b-b";
    r.fields_json = fields;
    r.raw_json = "{}";
    r.content_hash = id;
    return r;
  };
  std::vector<core::ResourcePlan> plans(3);
  plans[0].resource = core::Resource::agents;
  plans[0].creates = {record("ag-b", "{}")};
  plans[1].resource = core::Resource::campaigns;
  plans[1].creates = {record("b-b", "{}")};
  plans[2].resource = core::Resource::executions;
  plans[2].creates = {record("ex-b", R"({"to_number":"+14155552671"})")};
  store::RunOutcome outcome;
  ASSERT_TRUE(
      store_->apply_voice_plans(b_id, ticket->run.id, plans, {}, {}, outcome, std::nullopt, clock_.now())
          .ok());
  auto lead = call("POST", "/api/leads", b.token, R"({"name":"Bea bbbb","phone":"+1 415 555 2671"})");
  ASSERT_EQ(lead.status, 201) << lead.body;

  auto webhook = call("POST", "/api/webhooks", b.token, R"({"url":"https://hooks.example.com/bbbb"})");
  ASSERT_EQ(webhook.status, 201) << webhook.body;

  std::map<std::string, std::int64_t> ids;
  ids["lead"] = Json::parse(lead.body)["id"].get<std::int64_t>();
  ids["webhook"] = Json::parse(webhook.body)["id"].get<std::int64_t>();
  for (const char* kind : {"execution", "agent", "campaign"}) {
    const std::string list =
        std::string("/api/") + (kind == std::string("execution") ? "executions" : std::string(kind) + "s");
    auto listed = call("GET", list, b.token);
    ASSERT_EQ(listed.status, 200) << listed.body;
    ids[kind] = Json::parse(listed.body)["items"].at(0)["id"].get<std::int64_t>();
  }
  // B sees its own call through its lead; A sees nothing of it.
  auto own = call("GET", "/api/leads/" + std::to_string(ids["lead"]) + "/calls", b.token);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Json::parse(own.body)["items"].size(), 1u) << own.body;

  for (const auto& route : api_->router().routes()) {
    if (route.access != Access::user || route.pattern.find('{') == std::string::npos) continue;
    const std::string key = route.method + " " + route.pattern;
    const auto found = kRowRoutes.find(key);
    if (found == kRowRoutes.end()) {
      EXPECT_TRUE(kOtherIdRoutes.count(key)) << key << " has an id but no isolation case in kRowRoutes";
      continue;
    }
    std::string path = route.pattern;
    path.replace(path.find("{id}"), 4, std::to_string(ids.at(found->second)));
    EXPECT_EQ(call(route.method, path, b.token).status, 200) << key << " as B";
    const auto res = call(route.method, path, a.token);
    EXPECT_EQ(res.status, 404) << key << " as A: " << res.body;
    EXPECT_EQ(res.body.find("bbbb"), std::string::npos) << key << " leaked B's data: " << res.body;
  }
  for (const char* list : {"/api/executions", "/api/executions?q=4155552671", "/api/leads?q=4155552671",
                           "/api/stats/agents", "/api/stats/calls", "/api/stats/leads"}) {
    const auto res = call("GET", list, a.token);
    EXPECT_EQ(res.status, 200) << list << ": " << res.body;
    EXPECT_EQ(res.body.find("bbbb"), std::string::npos) << list << " leaked B's data: " << res.body;
    EXPECT_EQ(res.body.find("ex-b"), std::string::npos) << list << " leaked B's call: " << res.body;
  }
}

}  // namespace
}  // namespace tenantsync::api
