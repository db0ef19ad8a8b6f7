#pragma once
// Small request/response helpers shared by the simulated upstreams: JSON bodies in and out, strict
// integers, times, the base URL. Path matching, headers, query values and bearer tokens are
// http/'s (router.hpp, message.hpp); the control API's conventions are in control_api.hpp.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "sim_result.hpp"

namespace tenantsync::sim {

using nlohmann::json;

/// A response with a JSON body.
http::Response json_response(int status, const json& body);
/// The body parsed as JSON; nullopt when it is not JSON.
std::optional<json> parse_json_body(const http::Request& request);
/// A strictly parsed decimal integer; nullopt on anything else.
std::optional<long long> parse_integer(std::string_view text);

/// A query parameter as an integer in [min, max]: `fallback` when absent, nullopt when it is not a
/// strict integer or out of range.
std::optional<long long> int_param(const http::Request& request, const std::string& name, long long fallback,
                                   long long min, long long max);

/// The simulator's base URL as the client reached it (its Host header): what it hands out as a
/// Salesforce instance_url, so clients call it back on the same address.
std::string instance_url(const http::Request& request);

/// An optional time field of a control body, as epoch ms or ISO-8601; sets `bad` when it is neither.
std::optional<std::int64_t> time_field(const json& input, const char* name, bool& bad);

}  // namespace tenantsync::sim
