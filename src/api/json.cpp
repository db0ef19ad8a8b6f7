#include "api/json.hpp"

#include <charconv>

#include "core/error_code.hpp"
#include "core/json_depth.hpp"
#include "core/time_format.hpp"

namespace tenantsync::api {

http::Response json_response(int status, const Json& body) {
  http::Response res;
  res.status = status;
  res.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return res;
}

http::Response error_response(int status, core::ErrorCode code, const std::string& message) {
  return json_response(status, Json{{"error", code}, {"message", message}});
}

Json parse_object_body(std::string_view text) {
  if (text.empty()) return Json::object();
  // Copies and dumps of a parsed value recurse: a body nested 100k deep must not get that far.
  if (!core::json_depth_within(text))
    throw ApiError(400, core::ErrorCode::malformed_json,
                   "The request body nests more deeply than the API allows.");
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded())
    throw ApiError(400, core::ErrorCode::malformed_json, "The request body is not valid JSON.");
  if (!body.is_object())
    throw ApiError(400, core::ErrorCode::malformed_json, "The request body must be a JSON object.");
  return body;
}

Json parse_object_body(const http::Request& request) { return parse_object_body(request.body); }

std::string require_string(const Json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    throw ApiError(422, core::ErrorCode::validation_failed, "The field \"" + field + "\" is required.");
  }
  if (!it->is_string())
    throw ApiError(422, core::ErrorCode::validation_failed, "The field \"" + field + "\" must be a string.");
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const Json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw ApiError(422, core::ErrorCode::validation_failed, "The field \"" + field + "\" must be a string.");
  return it->get<std::string>();
}

std::optional<bool> optional_bool(const Json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The field \"" + field + "\" must be true or false.");
  }
  return it->get<bool>();
}

int query_int(const http::Request& request, const std::string& name, int fallback, int min, int max) {
  auto value = request.query_param(name);
  if (!value) return fallback;
  int parsed = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (ec != std::errc() || ptr != value->data() + value->size() || parsed < min || parsed > max) {
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The parameter \"" + name + "\" must be a number from " + std::to_string(min) + " to " +
                       std::to_string(max) + ".");
  }
  return parsed;
}

int status_for_error(const Error& error) {
  using enum core::ErrorCode;
  switch (error.code) {
    case not_found:
      return 404;
    case unauthorized:
      return 401;
    case malformed_json:
    case bad_request:
      return 400;
    case payload_too_large:
      return 413;
    case email_taken:
    case conflict:
    case plan_not_found:
    case last_owner:
    case already_member:
      return 409;
    case forbidden_role:
    case invitation_email_mismatch:
      return 403;
    case validation_failed:
    case key_rejected:
    case credentials_rejected:
    case forbidden_upstream:
      return 422;
    case rate_limited:
    case limit_exceeded:
      return 429;
    case upstream_timeout:
    case upstream_unreachable:
    case upstream_too_large:
    case upstream_not_found:
    case upstream_error:
    case upstream_malformed:
    case upstream_paging_loop:
      return 502;
    case sync_unavailable:
    case server_busy:
    case overloaded:
    case store_busy:
    case store_full:
    case store_unavailable:
      return 503;
    default:
      return 500;
  }
}

Json time_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? Json(format_iso8601(from_epoch_ms(*ms))) : Json(nullptr);
}

void throw_error(const Error& error) { throw ApiError(status_for_error(error), error.code, error.message); }

}  // namespace tenantsync::api
