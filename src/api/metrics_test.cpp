#include "api/metrics.hpp"

#include <gtest/gtest.h>

namespace tenantsync::api {
namespace {

TEST(Metrics, CountsByRouteAndStatusWithHistogram) {
  Metrics metrics;
  metrics.observe_request("/api/agents", "GET", 200, 0.003);
  metrics.observe_request("/api/agents", "GET", 200, 0.2);
  metrics.observe_request("/api/agents", "GET", 401, 0.0005);
  metrics.add_collector([] { return std::string("tenantsync_extra 1\n"); });
  const auto text = metrics.render();
  EXPECT_NE(
      text.find("tenantsync_http_requests_total{route=\"/api/agents\",method=\"GET\",status=\"200\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("status=\"401\"} 1"), std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/api/agents\",le=\"0.005\"} 2"), std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/api/agents\",le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("duration_seconds_count{route=\"/api/agents\"} 3"), std::string::npos);
  EXPECT_NE(text.find("tenantsync_extra 1"), std::string::npos);
}

}  // namespace
}  // namespace tenantsync::api
