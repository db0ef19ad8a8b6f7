#include "api/query_params.hpp"

#include <charconv>

#include "api/run_json.hpp"
#include "core/time_format.hpp"

namespace tenantsync::api {
namespace {

std::optional<std::int64_t> positive_integer(const std::string& text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

}  // namespace

void bad_parameter(const std::string& name, const std::string& problem) {
  throw ApiError(400, core::ErrorCode::validation_failed, "The parameter \"" + name + "\" " + problem);
}

std::string text_param(const http::Request& request, const std::string& name, std::size_t max_bytes) {
  std::string value = request.query_param(name).value_or("");
  if (value.size() > max_bytes)
    bad_parameter(name, "must be at most " + std::to_string(max_bytes) + " bytes long.");
  return value;
}

std::optional<std::int64_t> time_param(const http::Request& request, const std::string& name) {
  const std::string text = text_param(request, name, 64);
  if (text.empty()) return std::nullopt;
  auto t = parse_iso8601(text);
  if (!t) bad_parameter(name, "must be an ISO-8601 time such as 2024-05-01T00:00:00Z.");
  return to_epoch_ms(*t);
}

int limit_param(const http::Request& request, int fallback, int max) {
  const std::string text = text_param(request, "limit", 16);
  if (text.empty()) return fallback;
  auto value = positive_integer(text);
  if (!value || *value > max)
    bad_parameter("limit", "must be a number from 1 to " + std::to_string(max) + ".");
  return static_cast<int>(*value);
}

std::optional<store::PageCursor> cursor_param(const http::Request& request) {
  const std::string text = text_param(request, "cursor", 64);
  if (text.empty()) return std::nullopt;
  auto cursor = decode_cursor(text);
  if (!cursor) bad_parameter("cursor", "is not a cursor this server gave out.");
  return cursor;
}

std::string choice_param(const http::Request& request, const std::string& name,
                         std::initializer_list<const char*> allowed) {
  const std::string text = text_param(request, name, 64);
  if (text.empty()) return text;
  std::string choices;
  for (const char* choice : allowed) {
    if (text == choice) return text;
    choices += (choices.empty() ? "" : ", ") + std::string(choice);
  }
  bad_parameter(name, "must be one of: " + choices + ".");
}

std::optional<std::int64_t> id_param(const http::Request& request, const std::string& name) {
  const std::string text = text_param(request, name, 32);
  if (text.empty()) return std::nullopt;
  auto value = positive_integer(text);
  if (!value) bad_parameter(name, "must be a positive whole number.");
  return value;
}

std::int64_t path_id(const std::string& text, const std::string& what) {
  auto value = positive_integer(text);
  if (!value) throw ApiError(404, core::ErrorCode::not_found, "No such " + what + ".");
  return *value;
}

}  // namespace tenantsync::api
