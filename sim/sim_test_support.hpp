#pragma once
// Builds requests for the simulator's unit tests, which call its handlers directly.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "http/message.hpp"

namespace tenantsync::sim::testing {

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

}  // namespace tenantsync::sim::testing
