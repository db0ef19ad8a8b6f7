#pragma once
// JSON at the request boundary: parsing bodies, reading fields with errors that name the
// field, and building responses. ApiError is the one exception handlers throw: the Api turns
// it into {"error", "message"} with its status.
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"
#include "sync/id_json.hpp"

namespace tenantsync::api {

using Json = nlohmann::json;

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, core::ErrorCode code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(code) {}
  int status() const { return status_; }
  core::ErrorCode code() const { return code_; }

 private:
  int status_;
  core::ErrorCode code_;
};

http::Response json_response(int status, const Json& body);
http::Response error_response(int status, core::ErrorCode code, const std::string& message);

/// The body as a JSON object; an empty body is {}. Throws ApiError 400 when malformed or not an object.
Json parse_object_body(std::string_view body);
/// parse_object_body of the request's body.
Json parse_object_body(const http::Request& request);

/// A required string field; throws 422 naming the field when missing, null or not a string.
std::string require_string(const Json& body, const std::string& field);
/// An optional string field; throws 422 when present but not a string or null.
std::optional<std::string> optional_string(const Json& body, const std::string& field);
std::optional<bool> optional_bool(const Json& body, const std::string& field);

/// A query parameter as a bounded positive integer (e.g. limit), or the default; 422 when malformed.
int query_int(const http::Request& request, const std::string& name, int fallback, int min, int max);

/// Maps a Store or upstream Error to the HTTP status that fits its code.
int status_for_error(const Error& error);

/// An epoch-ms time as ISO-8601 UTC text, or null when absent.
Json time_or_null(const std::optional<std::int64_t>& ms);
/// Throws the ApiError that fits the error.
[[noreturn]] void throw_error(const Error& error);

}  // namespace tenantsync::api
