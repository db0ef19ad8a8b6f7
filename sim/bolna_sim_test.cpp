#include "bolna_sim.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "demo_seed.hpp"
#include "sim_test_support.hpp"
#include "simulator.hpp"

namespace tenantsync::sim {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::kNow;
using testing::make_request;

constexpr std::int64_t kDay = 86'400'000;

std::string iso(std::int64_t ms) { return format_iso8601(from_epoch_ms(ms)); }

class BolnaSimTest : public testing::SimulatorFixture {
 protected:
  // Creates account "a1" (key k1) with one agent "agent-1".
  void make_account() {
    ASSERT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", "a1"}, {"key", "k1"}, {"name", "One"}}).status,
              201);
    ASSERT_EQ(
        call("POST", "/_sim/bolna/accounts/a1/agents", {}, {{"id", "agent-1"}, {"agent_name", "Alfred"}})
            .status,
        201);
  }
  // Adds `count` executions one hour apart, newest at kNow - 1h.
  void add_executions(int count, const std::string& status = "completed", const std::string& batch = {}) {
    json list = json::array();
    for (int i = 0; i < count; ++i) {
      json e = {{"id", "ex-" + status + "-" + std::to_string(i)},
                {"status", status},
                {"created_at", iso(kNow - (i + 1) * 3'600'000LL)}};
      if (!batch.empty()) e["batch_id"] = batch;
      list.push_back(e);
    }
    ASSERT_EQ(call("POST", "/_sim/bolna/accounts/a1/agents/agent-1/executions", {}, list).status, 201);
  }
  std::string window(std::int64_t from, std::int64_t to) { return "from=" + iso(from) + "&to=" + iso(to); }
};

TEST_F(BolnaSimTest, UserMeIdentifiesTheAccountBehindTheKey) {
  make_account();
  const auto response = call("GET", "/user/me", "k1");
  ASSERT_EQ(response.status, 200);
  const json me = body_of(response);
  EXPECT_EQ(me["id"], "a1");
  EXPECT_EQ(me["name"], "One");
  EXPECT_TRUE(me["concurrency"].contains("max"));
}

TEST_F(BolnaSimTest, BadKeyIs401AccessDeniedOr403DetailWithLiveErrors) {
  make_account();
  auto response = call("GET", "/v2/agent/all", "wrong");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(body_of(response), json({{"error", 401}, {"message", "Access denied"}}));
  EXPECT_EQ(call("GET", "/user/me").status, 401);  // no key at all

  ASSERT_EQ(call("POST", "/_sim/bolna/quirks", {}, {{"live_errors", true}}).status, 200);
  response = call("GET", "/v2/agent/all", "wrong");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(body_of(response), json({{"detail", "Invalid API key"}}));
}

TEST_F(BolnaSimTest, AgentsAreABareArrayScopedToTheAccount) {
  make_account();
  ASSERT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", "a2"}, {"key", "k2"}}).status, 201);
  ASSERT_EQ(call("POST", "/_sim/bolna/accounts/a2/agents", {}, json::array({json::object(), json::object()}))
                .status,
            201);
  const json one = body_of(call("GET", "/v2/agent/all", "k1"));
  ASSERT_TRUE(one.is_array());
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["agent_name"], "Alfred");
  EXPECT_EQ(one[0]["agent_status"], "processed");
  const json two = body_of(call("GET", "/v2/agent/all", "k2"));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0]["id"].get<std::string>().size(), 36u);         // server-assigned uuid
  EXPECT_EQ(call("GET", "/v2/agent/agent-1", "k2").status, 404);  // another account's agent
  EXPECT_EQ(body_of(call("GET", "/v2/agent/agent-1", "k1"))["id"], "agent-1");
}

TEST_F(BolnaSimTest, PatchAndDeleteChangeWhatTheApiLists) {
  make_account();
  clock_.advance(std::chrono::minutes(5));
  const auto patched =
      call("PATCH", "/_sim/bolna/accounts/a1/agents/agent-1", {}, {{"agent_name", "Batman"}});
  ASSERT_EQ(patched.status, 200);
  EXPECT_EQ(body_of(patched)["updated_at"], iso(kNow + 300'000));
  EXPECT_EQ(body_of(call("GET", "/v2/agent/all", "k1"))[0]["agent_name"], "Batman");
  ASSERT_EQ(call("DELETE", "/_sim/bolna/accounts/a1/agents/agent-1").status, 200);
  EXPECT_TRUE(body_of(call("GET", "/v2/agent/all", "k1")).empty());
  EXPECT_EQ(call("DELETE", "/_sim/bolna/accounts/a1/agents/agent-1").status, 404);
}

TEST_F(BolnaSimTest, ThePublicPatchSetsAndRemovesAnAgentsWebhookUrl) {
  make_account();
  // A URL the control API put under agent_config gives way to the one the public API sets.
  ASSERT_EQ(call("PATCH", "/_sim/bolna/accounts/a1/agents/agent-1", {},
                 {{"agent_config", {{"webhook_url", "http://old.example/hook"}}}})
                .status,
            200);
  const auto set = call("PATCH", "/v2/agent/agent-1", "k1", {{"agent_config", {{"webhook_url", "http://x/hooks/bolna/t"}}}});
  ASSERT_EQ(set.status, 200);
  EXPECT_EQ(body_of(set)["state"], "updated");
  auto agent = body_of(call("GET", "/v2/agent/agent-1", "k1"));
  EXPECT_EQ(agent["webhook_url"], "http://x/hooks/bolna/t");
  EXPECT_FALSE(agent["agent_config"].contains("webhook_url"));
  ASSERT_EQ(call("PATCH", "/v2/agent/agent-1", "k1", {{"agent_config", {{"webhook_url", nullptr}}}}).status, 200);
  EXPECT_FALSE(body_of(call("GET", "/v2/agent/agent-1", "k1")).contains("webhook_url"));
  EXPECT_EQ(call("PATCH", "/v2/agent/agent-x", "k1", {{"agent_config", json::object()}}).status, 404);
  EXPECT_EQ(call("PATCH", "/v2/agent/agent-1", "k1", {{"agent_config", "x"}}).status, 400);
  EXPECT_EQ(call("PATCH", "/v2/agent/agent-1", "nope", json::object()).status, 401);
}

TEST_F(BolnaSimTest, DuplicateIdsAndBadBodiesAreRefused) {
  make_account();
  EXPECT_EQ(call("POST", "/_sim/bolna/accounts/a1/agents", {}, {{"id", "agent-1"}}).status, 409);
  EXPECT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", "a1"}, {"key", "other"}}).status, 409);
  EXPECT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", "a3"}, {"key", "k1"}}).status, 409);
  EXPECT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", "a4"}}).status, 400);  // no key
  EXPECT_EQ(
      call("POST", "/_sim/bolna/accounts/a1/agents/agent-1/executions", {}, {{"created_at", "yesterday"}})
          .status,
      400);
  EXPECT_EQ(call("POST", "/_sim/bolna/accounts/nope/agents", {}, json::object()).status, 404);
}

TEST_F(BolnaSimTest, PhoneNumbersAndBatches) {
  make_account();
  // Creates one record through the control API; the API's listing must then hold it alone.
  auto create_and_list = [&](const std::string& control_path, const json& body, const std::string& api_path,
                             json& listed) {
    ASSERT_EQ(call("POST", control_path, {}, body).status, 201);
    listed = body_of(call("GET", api_path, "k1"));
    ASSERT_EQ(listed.size(), 1u);
  };
  json numbers, batches;
  ASSERT_NO_FATAL_FAILURE(create_and_list("/_sim/bolna/accounts/a1/phone_numbers",
                                          {{"phone_number", "+14155550100"}, {"agent_id", "agent-1"}},
                                          "/phone-numbers/all", numbers));
  EXPECT_EQ(numbers[0]["phone_number"], "+14155550100");
  EXPECT_EQ(numbers[0]["id"].get<std::string>().size(), 32u);
  EXPECT_EQ(numbers[0]["price"], "$5.0");

  ASSERT_NO_FATAL_FAILURE(create_and_list("/_sim/bolna/accounts/a1/agents/agent-1/batches",
                                          {{"batch_id", "b1"}, {"status", "running"}}, "/batches/agent-1/all",
                                          batches));
  EXPECT_EQ(batches[0]["batch_id"], "b1");
  EXPECT_EQ(batches[0]["status"], "running");
  EXPECT_TRUE(batches[0]["execution_status"].is_object());
  EXPECT_EQ(call("GET", "/batches/unknown/all", "k1").status, 404);
}

TEST_F(BolnaSimTest, ExecutionsRequireAWindowOfAtMostSevenDays) {
  make_account();
  add_executions(3);
  const std::string base = "/v2/agent/agent-1/executions";
  auto response = call("GET", base, "k1");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(body_of(response)["error"], 400);
  EXPECT_EQ(call("GET", base + "?from=" + iso(kNow - kDay), "k1").status, 400);
  EXPECT_EQ(call("GET", base + "?" + window(kNow - 8 * kDay, kNow), "k1").status, 400);
  EXPECT_EQ(call("GET", base + "?" + window(kNow - 7 * kDay, kNow), "k1").status, 200);
  EXPECT_EQ(call("GET", base + "?" + window(kNow, kNow - kDay), "k1").status, 400);  // from after to
  EXPECT_EQ(call("GET", base + "?from=garbage&to=" + iso(kNow), "k1").status, 400);

  ASSERT_EQ(call("POST", "/_sim/bolna/quirks", {}, {{"executions_require_window", false}}).status, 200);
  response = call("GET", base, "k1");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response)["total"], 3);
}

TEST_F(BolnaSimTest, ExecutionsPageNewestFirstWithHasMoreAndTotal) {
  make_account();
  add_executions(120);
  const std::string base = "/v2/agent/agent-1/executions?" + window(kNow - 7 * kDay, kNow) + "&page_size=50";
  std::vector<std::string> ids;
  for (int page = 1;; ++page) {
    const auto response = call("GET", base + "&page_number=" + std::to_string(page), "k1");
    ASSERT_EQ(response.status, 200);
    const json body = body_of(response);
    EXPECT_EQ(body["page_number"], page);
    EXPECT_EQ(body["page_size"], 50);
    EXPECT_EQ(body["total"], 120);
    for (const auto& row : body["data"]) ids.push_back(row["id"]);
    if (!body["has_more"].get<bool>()) {
      EXPECT_EQ(page, 3);
      EXPECT_EQ(body["data"].size(), 20u);
      break;
    }
    ASSERT_LT(page, 5);
  }
  ASSERT_EQ(ids.size(), 120u);
  EXPECT_EQ(ids.front(), "ex-completed-0");  // newest
  EXPECT_EQ(ids.back(), "ex-completed-119");
  EXPECT_EQ(
      call("GET", "/v2/agent/agent-1/executions?" + window(kNow - kDay, kNow) + "&page_size=51", "k1").status,
      400);
  EXPECT_EQ(call("GET", "/v2/agent/agent-1/executions?" + window(kNow - kDay, kNow) + "&page_number=0", "k1")
                .status,
            400);
}

TEST_F(BolnaSimTest, WindowBoundsAreInclusiveAndFiltersApply) {
  make_account();
  add_executions(10, "completed", "b1");
  add_executions(5, "busy");
  // Executions sit at kNow - 1h .. kNow - 10h; [kNow-3h, kNow-1h] holds exactly three completed and three
  // busy.
  const std::string base =
      "/v2/agent/agent-1/executions?" + window(kNow - 3 * 3'600'000LL, kNow - 3'600'000LL);
  EXPECT_EQ(body_of(call("GET", base, "k1"))["total"], 6);
  EXPECT_EQ(body_of(call("GET", base + "&status=busy", "k1"))["total"], 3);
  EXPECT_EQ(body_of(call("GET", base + "&batch_id=b1", "k1"))["total"], 3);
  EXPECT_EQ(body_of(call("GET", base + "&batch_id=b1&status=busy", "k1"))["total"], 0);
}

TEST_F(BolnaSimTest, ListRowsAreTrimmedAndTheDetailEndpointHasTheRest) {
  make_account();
  ASSERT_EQ(call("POST", "/_sim/bolna/accounts/a1/agents/agent-1/executions", {},
                 {{"id", "e1"},
                  {"created_at", iso(kNow - 60'000)},
                  {"total_cost", 12.5},
                  {"transcript", "hello"},
                  {"extracted_data", {{"interested", true}}},
                  {"telephony_data", {{"to_number", "+14155550101"}, {"recording_url", "https://r/1.mp3"}}}})
                .status,
            201);
  const std::string list = "/v2/agent/agent-1/executions?" + window(kNow - kDay, kNow);
  const json row = body_of(call("GET", list, "k1"))["data"][0];
  EXPECT_EQ(row["id"], "e1");
  EXPECT_FALSE(row.contains("transcript"));
  EXPECT_FALSE(row.contains("total_cost"));
  EXPECT_FALSE(row["telephony_data"].contains("recording_url"));
  EXPECT_EQ(row["telephony_data"]["to_number"], "+14155550101");

  const json full = body_of(call("GET", "/executions/e1", "k1"));
  EXPECT_EQ(full["agent_id"], "agent-1");
  EXPECT_EQ(full["total_cost"], 12.5);
  EXPECT_EQ(full["transcript"], "hello");
  EXPECT_EQ(full["extracted_data"]["interested"], true);
  EXPECT_EQ(full["telephony_data"]["recording_url"], "https://r/1.mp3");
  EXPECT_EQ(call("GET", "/executions/nope", "k1").status, 404);

  ASSERT_EQ(call("POST", "/_sim/bolna/quirks", {}, {{"trim_list_rows", false}}).status, 200);
  EXPECT_EQ(body_of(call("GET", list, "k1"))["data"][0]["transcript"], "hello");
}

TEST_F(BolnaSimTest, PatchingCreatedAtMovesAnExecutionBetweenWindows) {
  make_account();
  add_executions(1);
  const std::string recent = "/v2/agent/agent-1/executions?" + window(kNow - kDay, kNow);
  EXPECT_EQ(body_of(call("GET", recent, "k1"))["total"], 1);
  ASSERT_EQ(call("PATCH", "/_sim/bolna/accounts/a1/agents/agent-1/executions/ex-completed-0", {},
                 {{"created_at", iso(kNow - 3 * kDay)}, {"status", "failed"}})
                .status,
            200);
  EXPECT_EQ(body_of(call("GET", recent, "k1"))["total"], 0);
  const json older =
      body_of(call("GET", "/v2/agent/agent-1/executions?" + window(kNow - 4 * kDay, kNow), "k1"));
  ASSERT_EQ(older["total"], 1);
  EXPECT_EQ(older["data"][0]["status"], "failed");
  ASSERT_EQ(call("DELETE", "/_sim/bolna/accounts/a1/agents/agent-1/executions/ex-completed-0").status, 200);
  EXPECT_EQ(call("GET", "/executions/ex-completed-0", "k1").status, 404);
}

TEST_F(BolnaSimTest, GenerateIsDeterministicAndFillsTheAccount) {
  auto generate = [&](const std::string& id) {
    EXPECT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", id}, {"key", "key-" + id}}).status, 201);
    const auto response = call("POST", "/_sim/bolna/accounts/" + id + "/generate", {},
                               {{"agents", 4},
                                {"phone_numbers", 5},
                                {"batches", 2},
                                {"executions", 400},
                                {"days", 10},
                                {"seed", 7}});
    EXPECT_EQ(response.status, 201);
    return body_of(call("GET", "/v2/agent/all", "key-" + id));
  };
  const json first = generate("g1");
  ASSERT_EQ(first.size(), 4u);
  const json summary = body_of(call("GET", "/_sim/bolna/accounts/g1"));
  EXPECT_EQ(summary["counts"]["agents"], 4);
  EXPECT_EQ(summary["counts"]["phone_numbers"], 5);
  EXPECT_EQ(summary["counts"]["batches"], 8);
  EXPECT_EQ(summary["counts"]["executions"], 400);

  // The same seed on a fresh simulator gives the same ids.
  ASSERT_EQ(call("POST", "/_sim/reset").status, 200);
  const json again = generate("g1");
  EXPECT_EQ(again, first);

  // Every execution lies in the last 10 days, 100 per agent.
  long long seen = 0;
  for (const auto& agent : first) {
    // [now-14d, now-7d-1ms] and [now-7d, now]: adjacent, disjoint, both within the limit.
    for (int w = 0; w < 2; ++w) {
      const std::int64_t to = w == 0 ? kNow : kNow - 7 * kDay - 1;
      const std::string base = "/v2/agent/" + agent["id"].get<std::string>() + "/executions?" +
                               window(w == 0 ? kNow - 7 * kDay : kNow - 14 * kDay, to) + "&page_size=1";
      seen += body_of(call("GET", base, "key-g1"))["total"].get<long long>();
    }
  }
  EXPECT_EQ(seen, 400);
}

TEST_F(BolnaSimTest, WindowQueriesOverManyExecutionsAreFast) {
  ASSERT_EQ(call("POST", "/_sim/bolna/accounts", {}, {{"id", "big"}, {"key", "kb"}}).status, 201);
  BolnaGenerateSpec spec;
  spec.agents = 1;
  spec.executions = 100'000;
  spec.days = 365;
  spec.seed = 3;
  ASSERT_TRUE(sim_.bolna().generate("big", spec).ok());
  const std::string agent = body_of(call("GET", "/v2/agent/all", "kb"))[0]["id"];
  const auto started = std::chrono::steady_clock::now();
  long long total = 0;
  for (int i = 0; i < 20; ++i) {
    const std::int64_t to = kNow - i * 7 * kDay;
    total += body_of(call(
        "GET", "/v2/agent/" + agent + "/executions?" + window(to - 7 * kDay + 1, to) + "&page_size=50",
        "kb"))["total"]
                 .get<long long>();
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GT(total, 30'000);  // 20 of 52 weeks
  EXPECT_LT(total, 47'000);
  EXPECT_LT(elapsed, std::chrono::seconds(5));  // generous: sanitizer builds are slow too
}

TEST_F(BolnaSimTest, KeyRotationThroughPatchSwitchesWhichKeyWorks) {
  make_account();
  ASSERT_EQ(call("PATCH", "/_sim/bolna/accounts/a1", {}, {{"key", "k1-new"}}).status, 200);
  EXPECT_EQ(call("GET", "/user/me", "k1").status, 401);
  EXPECT_EQ(call("GET", "/user/me", "k1-new").status, 200);
}

TEST(BolnaDemoSeed, CreatesTheTwoDemoAccounts) {
  FakeClock clock(kNow);
  Simulator sim(clock);
  ASSERT_TRUE(seed_demo(sim.bolna()).ok());
  const json one = body_of(sim.handle(make_request("GET", "/_sim/bolna/accounts/acct-demo-1")));
  EXPECT_EQ(one["key"], "bn-demo-key-1");
  EXPECT_EQ(one["counts"]["agents"], 3);
  EXPECT_EQ(one["counts"]["phone_numbers"], 4);
  EXPECT_EQ(one["counts"]["batches"], 6);
  EXPECT_EQ(one["counts"]["executions"], 40);
  const json two = body_of(sim.handle(make_request("GET", "/_sim/bolna/accounts/acct-demo-2")));
  EXPECT_EQ(two["counts"]["agents"], 1);
  EXPECT_EQ(body_of(sim.handle(make_request("GET", "/user/me", "bn-demo-key-2")))["id"], "acct-demo-2");

  ASSERT_TRUE(seed_demo(sim.hubspot()).ok());
  const json portal = body_of(sim.handle(make_request("GET", "/_sim/hubspot/portals/4000001")));
  EXPECT_EQ(portal["counts"]["contacts"], 25);
  EXPECT_EQ(portal["counts"]["owners"], 3);
  EXPECT_EQ(
      body_of(sim.handle(make_request("GET", "/account-info/v3/details", "pat-demo-hubspot-1")))["portalId"],
      4000001);
}

}  // namespace
}  // namespace tenantsync::sim
