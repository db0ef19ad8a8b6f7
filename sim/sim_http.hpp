#pragma once
// Small request/response helpers shared by the simulated upstreams. They read Request's
// fields directly so the simulator does not depend on anything beyond the message types.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace tenantsync::sim {

using nlohmann::json;

/// A response with a JSON body.
http::Response json_response(int status, const json& body);
/// Path split on '/', empty segments dropped ("/a/b/" -> {"a","b"}).
std::vector<std::string> split_path(std::string_view path);
/// First value of a query parameter.
std::optional<std::string> query_value(const http::Request& request, const std::string& name);
/// Header by lower-case name, or empty.
std::string header_value(const http::Request& request, const std::string& lower_name);
/// The token of "Authorization: Bearer <token>", or empty.
std::string bearer_token(const http::Request& request);
/// The body parsed as JSON; nullopt when it is not JSON.
std::optional<json> parse_json_body(const http::Request& request);
/// A strictly parsed decimal integer; nullopt on anything else.
std::optional<long long> parse_integer(std::string_view text);

}  // namespace tenantsync::sim
