#include "sim_http.hpp"

#include <charconv>

#include "core/time_format.hpp"

namespace tenantsync::sim {

http::Response json_response(int status, const json& body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump();
  return response;
}

std::optional<json> parse_json_body(const http::Request& request) {
  json parsed = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<long long> int_param(const http::Request& request, const std::string& name, long long fallback,
                                   long long min, long long max) {
  const auto text = request.query_param(name);
  if (!text) return fallback;
  const auto value = parse_integer(*text);
  if (!value || *value < min || *value > max) return std::nullopt;
  return value;
}

std::string instance_url(const http::Request& request) {
  const std::string host(request.header("host"));
  return "http://" + (host.empty() ? std::string("localhost") : host);
}

std::optional<std::int64_t> time_field(const json& input, const char* name, bool& bad) {
  if (!input.contains(name)) return std::nullopt;
  const json& v = input[name];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    if (const auto t = parse_iso8601(v.get<std::string>())) return to_epoch_ms(*t);
  }
  bad = true;
  return std::nullopt;
}

}  // namespace tenantsync::sim
