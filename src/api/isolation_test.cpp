// Tenant isolation, for every route in the router: tenant A's token can neither read nor
// change anything of tenant B. And roles, for every route and every role: a member below the
// route's least role is refused with 403 forbidden_role and changes nothing. Routes come from the
// router itself, so a new route is covered the day it is added (give it a sample body below if it
// needs one).
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
    api_ = std::make_unique<Api>(Services{Stores::of(*store_),
                                          *use_cases_,
                                          clock_,
                                          metrics_,
                                          throttle_,
                                          signup_throttle_,
                                          passwords_,
                                          options,
                                          {},
                                          &events_});
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
      // Exports are left out: each one is itself written to the audit log the snapshot reads.
      if (route.method == "GET" && signed_in(route.access) && route.pattern.find('{') == std::string::npos &&
          route.pattern != "/api/events" && !route.pattern.ends_with("/export")) {
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
    {"POST /api/team/invitations", R"({"email":"mallory@example.com","role":"owner"})"},
    {"PATCH /api/team/members/{id}", R"({"role":"viewer"})"},
    {"POST /api/tenant/sync", R"({"confirm_plan":"plan-1"})"},
    {"POST /api/tenant/call-webhook/agents", R"({"enabled":true,"replace_others":true})"},
};

TEST_F(IsolationTest, NoRouteLetsOneTenantReadOrChangeAnother) {
  const auto a = make_tenant("alpha", "bn-alpha-key-aaaa");
  const auto b = make_tenant("bravo", "bn-bravo-key-bbbb");
  const auto before = snapshot(b);
  ASSERT_NE(before.find("bbbb"), std::string::npos) << "B's snapshot must hold B's data: " << before;

  int user_routes = 0;
  for (const auto& route : api_->router().routes()) {
    if (!signed_in(route.access) || route.pattern == "/api/auth/logout" ||
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
    if (!signed_in(route.access)) continue;
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
    "GET /api/sync/runs/{id}",          "POST /api/sync/runs/{id}/confirm",
    "POST /api/sync/runs/{id}/cancel",  "PATCH /api/team/members/{id}",
    "DELETE /api/team/members/{id}",    "DELETE /api/team/invitations/{id}",
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
    if (!signed_in(route.access) || route.pattern.find('{') == std::string::npos) continue;
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

namespace tenantsync::api {
namespace {

// The role matrix: a tenant with one member of each role; every route is called by every role
// below its least role, with a body that would pass validation and ids that exist, and must
// answer 403 forbidden_role and change nothing the owner can see.
TEST_F(IsolationTest, EveryRouteRefusesEveryRoleBelowItsLeast) {
  const auto owner = make_tenant("alpha", "bn-alpha-key-aaaa");
  auto me = call("GET", "/api/auth/me", owner.token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json::parse(me.body)["user"]["role"], "owner");
  const std::int64_t owner_id = Json::parse(me.body)["user"]["id"].get<std::int64_t>();

  std::map<core::Role, std::string> tokens{{core::Role::owner, owner.token}};
  for (core::Role role : {core::Role::viewer, core::Role::member, core::Role::admin}) {
    const std::string name(core::to_string(role));
    auto invited = call("POST", "/api/team/invitations", owner.token,
                        Json{{"email", name + "@alpha.example"}, {"role", name}}.dump());
    ASSERT_EQ(invited.status, 201) << invited.body;
    auto accepted = call(
        "POST", "/api/team/invitations/" + Json::parse(invited.body)["token"].get<std::string>() + "/accept",
        "", Json{{"password", "password " + name}}.dump());
    ASSERT_EQ(accepted.status, 201) << accepted.body;
    tokens[role] = Json::parse(accepted.body)["token"].get<std::string>();
    auto who = call("GET", "/api/auth/me", tokens[role]);
    EXPECT_EQ(Json::parse(who.body)["user"]["role"], name) << who.body;
  }
  auto lead = call("POST", "/api/leads", owner.token, R"({"name":"Ada aaaa","phone":"+1 415 555 2671"})");
  ASSERT_EQ(lead.status, 201) << lead.body;
  const std::string before = snapshot(owner);

  // Bodies that would do harm if a refusal failed: the tenant's own password, the owner's id.
  std::map<std::string, std::string> bodies(kSampleBodies.begin(), kSampleBodies.end());
  bodies["DELETE /api/tenant"] = R"({"password":"password alpha"})";
  bodies["POST /api/leads"] = R"({"name":"Mallory","phone":"+1 415 555 0000"})";
  int refusals = 0;
  std::set<Access> seen;
  for (const auto& route : api_->router().routes()) {
    const auto least = least_role(route.access);
    if (!least) continue;
    seen.insert(route.access);
    const std::string key = route.method + " " + route.pattern;
    std::string path = route.pattern;
    for (auto open = path.find('{'); open != std::string::npos; open = path.find('{'))
      path.replace(open, path.find('}', open) - open + 1, std::to_string(owner_id));
    const std::string body = bodies.count(key) ? bodies.at(key) : std::string("{}");
    for (const auto& [role, token] : tokens) {
      if (core::role_at_least(role, *least)) continue;
      const auto res = call(route.method, path, token, body);
      EXPECT_EQ(res.status, 403) << key << " as " << core::to_string(role) << ": " << res.body;
      EXPECT_NE(res.body.find("forbidden_role"), std::string::npos) << key << ": " << res.body;
      ++refusals;
    }
  }
  EXPECT_EQ(seen, (std::set<Access>{Access::viewer, Access::member, Access::admin, Access::owner}));
  EXPECT_GT(refusals, 20);
  EXPECT_EQ(snapshot(owner), before) << "a refused request changed the tenant";

  // Reading is every role's: no GET route without an id refuses a role at or above its least.
  for (const auto& route : api_->router().routes()) {
    const auto least = least_role(route.access);
    if (!least || route.method != "GET" || route.pattern.find('{') != std::string::npos ||
        route.pattern == "/api/events")
      continue;
    for (const auto& [role, token] : tokens) {
      if (!core::role_at_least(role, *least)) continue;
      EXPECT_NE(call("GET", route.pattern, token).status, 403)
          << route.pattern << " as " << core::to_string(role);
    }
  }
  // A member may start a sync but not confirm a held plan through it.
  const auto confirm =
      call("POST", "/api/tenant/sync", tokens[core::Role::member], R"({"confirm_plan":"p"})");
  EXPECT_EQ(confirm.status, 403) << confirm.body;
}

// The team's own rules, past the route table: only an owner makes owners, the last owner stays,
// a removed member's token stops working at once, an invitation works once.
TEST_F(IsolationTest, TeamRulesHold) {
  const auto owner = make_tenant("alpha", "bn-alpha-key-aaaa");
  const auto invite = [&](const std::string& token, const std::string& email, const std::string& role) {
    return call("POST", "/api/team/invitations", token, Json{{"email", email}, {"role", role}}.dump());
  };
  auto invited = invite(owner.token, "ann@alpha.example", "admin");
  ASSERT_EQ(invited.status, 201) << invited.body;
  const std::string link = Json::parse(invited.body)["token"].get<std::string>();
  auto listed = call("GET", "/api/team/invitations", owner.token);
  EXPECT_EQ(listed.body.find(link), std::string::npos) << "the token is shown once: " << listed.body;
  auto accepted =
      call("POST", "/api/team/invitations/" + link + "/accept", "", R"({"password":"password ann"})");
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  const std::string admin = Json::parse(accepted.body)["token"].get<std::string>();
  const std::int64_t admin_id = Json::parse(accepted.body)["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(
      call("POST", "/api/team/invitations/" + link + "/accept", "", R"({"password":"password ann"})").status,
      404);
  EXPECT_EQ(call("POST", "/api/team/invitations/nope/accept", "", R"({"password":"password ann"})").status,
            404);

  const std::int64_t owner_id =
      Json::parse(call("GET", "/api/auth/me", owner.token).body)["user"]["id"].get<std::int64_t>();
  // An admin neither invites nor makes nor unmakes owners.
  EXPECT_EQ(invite(admin, "eve@alpha.example", "owner").status, 403);
  EXPECT_EQ(
      call("PATCH", "/api/team/members/" + std::to_string(owner_id), admin, R"({"role":"viewer"})").status,
      403);
  EXPECT_EQ(call("DELETE", "/api/team/members/" + std::to_string(owner_id), admin).status, 403);
  // The last owner can be neither demoted nor removed.
  auto demote =
      call("PATCH", "/api/team/members/" + std::to_string(owner_id), owner.token, R"({"role":"admin"})");
  EXPECT_EQ(demote.status, 409) << demote.body;
  EXPECT_NE(demote.body.find("last_owner"), std::string::npos) << demote.body;
  EXPECT_EQ(call("DELETE", "/api/team/members/" + std::to_string(owner_id), owner.token).status, 409);
  // With a second owner, the first may step down.
  EXPECT_EQ(call("PATCH", "/api/team/members/" + std::to_string(admin_id), owner.token, R"({"role":"owner"})")
                .status,
            200);
  EXPECT_EQ(call("PATCH", "/api/team/members/" + std::to_string(owner_id), owner.token, R"({"role":"admin"})")
                .status,
            200);
  // Removing a member signs them out at once.
  EXPECT_EQ(call("GET", "/api/auth/me", owner.token).status, 200);
  EXPECT_EQ(call("DELETE", "/api/team/members/" + std::to_string(owner_id), admin).status, 204);
  EXPECT_EQ(call("GET", "/api/auth/me", owner.token).status, 401);

  // Each of these is in the audit log, with who did it; the token is not.
  auto audit = call("GET", "/api/audit?limit=100", admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  for (const char* action :
       {"member_invited", "invitation_accepted", "member_role_changed", "member_removed"})
    EXPECT_NE(audit.body.find(action), std::string::npos) << action << " missing: " << audit.body;
  EXPECT_EQ(audit.body.find(link), std::string::npos) << "the audit log holds the invitation token";
  auto removals = call("GET", "/api/audit?action=member_removed", admin);
  const auto items = Json::parse(removals.body)["items"];
  ASSERT_EQ(items.size(), 1u) << removals.body;
  EXPECT_EQ(items[0]["actor"]["id"], admin_id);
  EXPECT_EQ(items[0]["address"], "127.0.0.1");
}

}  // namespace
}  // namespace tenantsync::api
