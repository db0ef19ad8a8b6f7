#include "simulator.hpp"

#include <gtest/gtest.h>

#include "sim_test_support.hpp"

namespace tenantsync::sim {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::make_request;

class SimulatorTest : public ::testing::Test {
 protected:
  SimulatorTest() : sim_(clock_) {
    EXPECT_EQ(call("POST", "/_sim/bolna/accounts", {{"id", "a1"}, {"key", "k1"}}).status, 201);
    EXPECT_EQ(call("POST", "/_sim/bolna/accounts/a1/agents", {{"id", "agent-1"}}).status, 201);
  }
  http::Response call(const std::string& method, const std::string& target, const json& body = nullptr,
                      const std::string& key = {}) {
    return sim_.handle(make_request(method, target, key, body.is_null() ? std::string() : body.dump()));
  }
  http::Response api(const std::string& target) { return call("GET", target, nullptr, "k1"); }
  json requests() { return body_of(call("GET", "/_sim/requests"))["requests"]; }

  FakeClock clock_;
  Simulator sim_;
};

TEST_F(SimulatorTest, StatusFaultWithRetryAfterThenRecovers) {
  ASSERT_EQ(call("POST", "/_sim/faults",
                 {{"path_pattern", "/v2/agent/all"}, {"status", 429}, {"retry_after", 2}, {"times", 1}})
                .status,
            201);
  auto response = api("/v2/agent/all");
  EXPECT_EQ(response.status, 429);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Retry-After", "2"}));
  EXPECT_EQ(api("/v2/agent/all").status, 200);

  const json log = requests();
  ASSERT_EQ(log.size(), 2u);  // control calls are not logged
  EXPECT_EQ(log[0]["status"], 429);
  EXPECT_FALSE(log[0]["fault_id"].is_null());
  EXPECT_EQ(log[1]["status"], 200);
  EXPECT_EQ(log[1]["path"], "/v2/agent/all");
  EXPECT_EQ(log[1]["credential"], "k1");  // tests tell accounts apart by it
}

TEST_F(SimulatorTest, CustomFaultBodyIsSentAsGiven) {
  ASSERT_EQ(call("POST", "/_sim/faults",
                 {{"path_pattern", "/user/me"}, {"status", 403}, {"body", {{"detail", "x"}}}})
                .status,
            201);
  const auto response = api("/user/me");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(body_of(response), json({{"detail", "x"}}));
}

TEST_F(SimulatorTest, MalformedAndTruncatedBodiesAreNotJson) {
  ASSERT_EQ(call("POST", "/_sim/faults",
                 json::array({{{"path_pattern", "/v2/agent/all"}, {"malformed", true}, {"times", 1}},
                              {{"path_pattern", "/phone-numbers/all"}, {"truncate", true}, {"times", 1}}}))
                .status,
            201);
  const auto malformed = api("/v2/agent/all");
  EXPECT_EQ(malformed.status, 200);
  EXPECT_TRUE(json::parse(malformed.body, nullptr, false).is_discarded());
  ASSERT_EQ(
      call("POST", "/_sim/bolna/accounts/a1/phone_numbers", json::array({json::object(), json::object()}))
          .status,
      201);
  const auto full_length = api("/phone-numbers/all").body.size();  // the truncate fault fires first
  EXPECT_TRUE(json::parse(api("/phone-numbers/all").body, nullptr, false).is_array());
  EXPECT_GT(full_length, 0u);
}

TEST_F(SimulatorTest, PageFaultHitsOnlyThatPage) {
  json list = json::array();
  for (int i = 0; i < 60; ++i) list.push_back({{"id", "e" + std::to_string(i)}});
  ASSERT_EQ(call("POST", "/_sim/bolna/accounts/a1/agents/agent-1/executions", list).status, 201);
  ASSERT_EQ(call("POST", "/_sim/bolna/quirks", {{"executions_require_window", false}}).status, 200);
  ASSERT_EQ(call("POST", "/_sim/faults",
                 {{"path_pattern", "/v2/agent/*/executions"}, {"on_page", 2}, {"status", 500}})
                .status,
            201);
  const std::string base = "/v2/agent/agent-1/executions?page_size=50";
  EXPECT_EQ(api(base).status, 200);  // no page_number: page 1
  EXPECT_EQ(api(base + "&page_number=2").status, 500);
  EXPECT_EQ(api(base + "&page_number=2").status, 500);  // forever by default
  ASSERT_EQ(call("DELETE", "/_sim/faults").status, 200);
  EXPECT_EQ(api(base + "&page_number=2").status, 200);
}

TEST_F(SimulatorTest, LatencyDelaysTheRealAnswer) {
  ASSERT_EQ(call("POST", "/_sim/faults", {{"path_pattern", "/user/me"}, {"latency_ms", 50}}).status, 201);
  const auto started = std::chrono::steady_clock::now();
  const auto response = api("/user/me");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(50));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response)["id"], "a1");
}

TEST_F(SimulatorTest, ResetClearsEverything) {
  ASSERT_EQ(call("POST", "/_sim/faults", {{"path_pattern", "/user/me"}, {"status", 500}}).status, 201);
  EXPECT_EQ(api("/user/me").status, 500);
  ASSERT_EQ(call("POST", "/_sim/reset").status, 200);
  EXPECT_TRUE(requests().empty());
  EXPECT_TRUE(body_of(call("GET", "/_sim/faults")).empty());
  EXPECT_EQ(api("/user/me").status, 401);  // the account is gone too
}

TEST_F(SimulatorTest, UnknownPathsAndBadControlCalls) {
  EXPECT_EQ(api("/nope").status, 404);
  EXPECT_EQ(call("POST", "/_sim/faults", {{"status", 500}}).status, 400);
  EXPECT_EQ(call("GET", "/_sim/reset").status, 405);
  EXPECT_EQ(call("GET", "/_sim/health").status, 200);
  EXPECT_EQ(call("POST", "/_sim/bolna/quirks", {{"no_such_quirk", true}}).status, 400);
  EXPECT_EQ(call("POST", "/_sim/hubspot/portals", {{"burst_max", "many"}}).status, 400);  // wrong JSON type
}

}  // namespace
}  // namespace tenantsync::sim
