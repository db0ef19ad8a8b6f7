#include "control_api.hpp"

namespace tenantsync::sim {

http::Response control_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

http::Response control_error(const ProtocolError& error) {
  const int status = error.code == "not_found" ? 404 : error.code == "conflict" ? 409 : 400;
  return control_error(status, error.code, error.message);
}

http::Response control_answer(const Result<json>& result, int status) {
  if (!result) return control_error(result.error());
  return json_response(status, *result);
}

Result<json> object_body(const http::Request& request) {
  auto body = parse_json_body(request);
  if (!body || !body->is_object()) return make_error("bad_request", "the body must be a JSON object");
  return std::move(*body);
}

}  // namespace tenantsync::sim
