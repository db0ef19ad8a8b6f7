#include "faults.hpp"

#include <gtest/gtest.h>

namespace tenantsync::sim {
namespace {

using nlohmann::json;

TEST(SimFaultPaths, PrefixOrGlob) {
  EXPECT_TRUE(path_matches("/v2/agent", "/v2/agent/all"));
  EXPECT_FALSE(path_matches("/v2/agent", "/user/me"));
  EXPECT_TRUE(path_matches("/v2/agent/*/executions", "/v2/agent/abc/executions"));
  EXPECT_FALSE(path_matches("/v2/agent/*/executions", "/v2/agent/abc/executions/x"));
  EXPECT_TRUE(path_matches("*/all", "/phone-numbers/all"));
  EXPECT_TRUE(path_matches("/batches/*", "/batches/a/all"));
}

TEST(SimFaultParse, ValidatesTheSpec) {
  EXPECT_FALSE(parse_fault(json{{"status", 500}}).ok());                            // no path
  EXPECT_FALSE(parse_fault(json{{"path_pattern", "/x"}}).ok());                     // no effect
  EXPECT_FALSE(parse_fault(json{{"path_pattern", "/x"}, {"status", 700}}).ok());    // not a status
  EXPECT_FALSE(parse_fault(json{{"path_pattern", "/x"}, {"status", "500"}}).ok());  // not an integer
  EXPECT_FALSE(parse_fault(json{{"path_pattern", "/x"}, {"status", 500}, {"times", 0}}).ok());
  const auto fault = parse_fault(json{{"path_pattern", "/x"}, {"method", "get"}, {"truncate", true}});
  ASSERT_TRUE(fault.ok());
  EXPECT_EQ(fault->method, "GET");
  EXPECT_TRUE(fault->truncate);
}

TEST(SimFaultSet, TimesCountDownThenTheFaultClears) {
  FaultSet faults;
  faults.add(*parse_fault(json{{"path_pattern", "/user/me"}, {"status", 503}, {"times", 2}}));
  EXPECT_TRUE(faults.take("GET", "/user/me", std::nullopt));
  EXPECT_TRUE(faults.take("GET", "/user/me", std::nullopt));
  EXPECT_FALSE(faults.take("GET", "/user/me", std::nullopt));
  EXPECT_EQ(faults.to_json().size(), 0u);
}

TEST(SimFaultSet, MethodAndPageNarrowTheMatch) {
  FaultSet faults;
  faults.add(*parse_fault(json{{"path_pattern", "/v2/agent/"}, {"method", "POST"}, {"status", 500}}));
  faults.add(*parse_fault(json{{"path_pattern", "/v2/agent/"}, {"on_page", 2}, {"status", 502}}));
  EXPECT_FALSE(faults.take("GET", "/v2/agent/a/executions", 1));
  EXPECT_FALSE(faults.take("GET", "/v2/agent/all", std::nullopt));
  const auto hit = faults.take("GET", "/v2/agent/a/executions", 2);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->status, 502);
  EXPECT_EQ(faults.take("POST", "/v2/agent/x", std::nullopt)->status, 500);
}

TEST(SimRequestLog, IsBoundedAndCountsWhatItDropped) {
  RequestLog log(3);
  for (int i = 0; i < 5; ++i) {
    LoggedRequest entry;
    entry.method = "GET";
    entry.path = "/p" + std::to_string(i);
    entry.status = 200;
    log.record(entry);
  }
  const json out = log.to_json();
  ASSERT_EQ(out["requests"].size(), 3u);
  EXPECT_EQ(out["requests"][0]["path"], "/p2");
  EXPECT_EQ(out["dropped"], 2);
  EXPECT_EQ(log.to_json("/p4")["requests"].size(), 1u);
  log.clear();
  EXPECT_EQ(log.size(), 0u);
}

}  // namespace
}  // namespace tenantsync::sim
