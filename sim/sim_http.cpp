#include "sim_http.hpp"

#include <cctype>
#include <charconv>

namespace tenantsync::sim {

http::Response json_response(int status, const json& body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump();
  return response;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    const std::size_t stop = end == std::string_view::npos ? path.size() : end;
    if (stop > start) segments.emplace_back(path.substr(start, stop - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return segments;
}

std::optional<std::string> query_value(const http::Request& request, const std::string& name) {
  const auto it = request.query.find(name);
  if (it == request.query.end()) return std::nullopt;
  return it->second;
}

std::string header_value(const http::Request& request, const std::string& lower_name) {
  const auto it = request.headers.find(lower_name);
  return it == request.headers.end() ? std::string() : it->second;
}

std::string bearer_token(const http::Request& request) {
  const std::string value = header_value(request, "authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size()) return {};
  // The scheme is case-insensitive (RFC 7235); upstream clients send "Bearer".
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i])))
      return {};
  }
  return value.substr(kPrefix.size());
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

}  // namespace tenantsync::sim
