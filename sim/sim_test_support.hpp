#pragma once
// Shared by the simulator's unit tests, which call its handlers directly: requests as the server
// builds them, and a Simulator on a fake clock.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "http/message.hpp"
#include "simulator.hpp"

namespace tenantsync::sim::testing {

/// The tests' "now": 2026-09-21.
inline constexpr std::int64_t kNow = 1'790'000'000'000;

inline http::Request make_request(std::string method, std::string path_and_query, std::string key = {},
                                  std::string body = {}) {
  http::Request request;
  request.method = std::move(method);
  request.target = path_and_query;
  const auto q = path_and_query.find('?');
  request.path = path_and_query.substr(0, q);
  if (q != std::string::npos)
    request.query = http::parse_query(std::string_view(path_and_query).substr(q + 1));
  if (!key.empty()) request.headers["authorization"] = "Bearer " + key;
  request.body = std::move(body);
  return request;
}

inline nlohmann::json body_of(const http::Response& response) { return nlohmann::json::parse(response.body); }

/// A Simulator on a fake clock at kNow.
class SimulatorFixture : public ::testing::Test {
 protected:
  static constexpr std::int64_t kNow = testing::kNow;

  SimulatorFixture() : sim_(clock_) {}

  /// A response header's value, or empty.
  static std::string header(const http::Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers)
      if (key == name) return value;
    return {};
  }

  /// A request with an optional bearer token and JSON body.
  http::Response call(const std::string& method, const std::string& target, const std::string& token = {},
                      const nlohmann::json& body = nullptr) {
    return sim_.handle(make_request(method, target, token, body.is_null() ? std::string() : body.dump()));
  }
  /// A control call: no token.
  http::Response control(const std::string& method, const std::string& target,
                         const nlohmann::json& body = nullptr) {
    return call(method, target, {}, body);
  }

  FakeClock clock_{kNow};
  Simulator sim_;
};

}  // namespace tenantsync::sim::testing
