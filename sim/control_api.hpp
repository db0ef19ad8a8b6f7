#pragma once
// The conventions of the /_sim/ control API, shared by every simulated upstream: one error shape,
// records looked up before the method is checked, one record or an array of them per POST.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "sim_http.hpp"
#include "sim_result.hpp"
#include "sim_routes.hpp"

namespace tenantsync::sim {

/// A control API error: {"error": code, "message": message}.
http::Response control_error(int status, const std::string& code, const std::string& message);
/// A control API error from a Result's error: not_found 404, conflict 409, anything else 400.
http::Response control_error(const ProtocolError& error);
/// The value with `status`, or the error as control_error answers it.
http::Response control_answer(const Result<json>& result, int status = 200);
/// The body as a JSON object; a bad_request error when it is not one.
Result<json> object_body(const http::Request& request);

/// A JSON array of `render(element)` for every element of `range`.
template <class Range, class Render>
json json_array_of(const Range& range, Render render) {
  json list = json::array();
  for (const auto& element : range) list.push_back(render(element));
  return list;
}

/// POST of a top-level record (an account, a portal...): `kCreate`, a State member that takes the
/// body and returns a Result<json>, answers 201; 400 when the body is not JSON.
template <auto kCreate, class State, class Call>
http::Response create_from_body(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  return control_answer((state.*kCreate)(*body), 201);
}

/// GET of every top-level record: `kRecords`, a State member mapping ids to pointers, rendered by
/// their summary().
template <auto kRecords, class State, class Call>
http::Response list_summaries(State& state, Call&) {
  return json_response(
      200, json_array_of(state.*kRecords, [](const auto& entry) { return entry.second->summary(); }));
}

/// GET of one top-level record: the summary() of the one `kRecord`, a Call member, points at.
template <auto kRecord, class State, class Call>
http::Response get_summary(State&, Call& call) {
  return json_response(200, (call.*kRecord)->summary());
}

/// PATCH of a top-level record: `apply(record, body)` takes the JSON object body's fields into
/// the one `kRecord`, a Call member, points at; answers its summary(), or 400 when the body is
/// not a JSON object.
template <auto kRecord, class Call, class Apply>
http::Response patch_summary(Call& call, Apply apply) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  auto& record = *(call.*kRecord);
  apply(record, *body);
  return json_response(200, record.summary());
}

/// Sets each `field` to the value `body` holds under its `name` (json::value: a field the body
/// does not name keeps its value); the arguments after the body are name, field pairs.
inline void take_values(const json&) {}
template <class Field, class... Rest>
void take_values(const json& body, const char* name, Field& field, Rest&&... rest) {
  field = body.value(name, field);
  take_values(body, std::forward<Rest>(rest)...);
}

/// How add_one_or_many reports a bad record of an array: as it is, or with its index and how
/// many before it were added.
enum class BatchErrors { plain, numbered };

/// The answer to a POST of one record or an array of them, each added by `add_one` (a
/// Result<json> per record): 201 with the same shape. Stops at the first bad record; the ones
/// before it stay added.
template <class AddOne>
http::Response add_one_or_many(const http::Request& request, AddOne add_one,
                               BatchErrors errors = BatchErrors::plain) {
  const auto body = parse_json_body(request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (!body->is_array()) return control_answer(add_one(*body), 201);
  json created = json::array();
  for (std::size_t i = 0; i < body->size(); ++i) {
    auto added = add_one((*body)[i]);
    if (!added) {
      ProtocolError error = added.error();
      if (errors == BatchErrors::numbered)
        error.message = "record " + std::to_string(i) + ": " + error.message + " (" + std::to_string(i) +
                        " earlier records were added)";
      return control_error(error);
    }
    created.push_back(*added);
  }
  return json_response(201, created);
}

/// A control API table, one entry a resource: its path pattern and the handler of each method it
/// takes. A handler works on an area's `State` with its `Call` (a RouteCall plus the records the
/// path names).
template <class State, class Call>
class ControlRoutes {
 public:
  using Handler = http::Response (*)(State&, Call&);
  struct Resource {
    std::string pattern;
    std::vector<std::pair<std::string, Handler>> methods;
  };

  ControlRoutes(std::initializer_list<Resource> resources) {
    for (const auto& resource : resources)
      for (const auto& [method, handler] : resource.methods) routes_.add({method, resource.pattern, handler});
  }
  typename SimRoutes<Handler>::Match match(const http::Request& request) const {
    return routes_.match(request);
  }

 private:
  SimRoutes<Handler> routes_;
};

/// Serves a /_sim/ control request from an area's table; nullopt when no route's pattern fits
/// the path. Otherwise `resolve` (when given) first looks up the records the path names and
/// answers 404 for a missing one, whatever the method; then a method the path does not take is
/// 405, and anything else goes to the route's handler.
template <class State, class Call>
std::optional<http::Response> dispatch_control(
    State& state, const ControlRoutes<State, Call>& routes,
    std::type_identity_t<std::optional<http::Response> (*)(State&, Call&)> resolve,
    const http::Request& request) {
  const auto match = routes.match(request);
  if (match.outcome == http::MatchOutcome::not_found) return std::nullopt;
  Call call{RouteCall{request, match.params}};
  if (resolve) {
    if (auto missing = resolve(state, call)) return missing;
  }
  if (match.outcome == http::MatchOutcome::method_not_allowed)
    return control_error(405, "method_not_allowed", "method not allowed here");
  return match.route->handler(state, call);
}

}  // namespace tenantsync::sim
