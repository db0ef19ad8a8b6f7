#include "simulator.hpp"

#include <thread>

#include "control_api.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim {
namespace {

// Cut inside the first record so a client that does not check its parser's result notices.
constexpr const char* kMalformedBody = R"({"data":[{"id":"4c06b4d1-4096-4561-919a-4f9453)";

http::Response fault_response(const Fault& fault) {
  http::Response response;
  response.status = *fault.status;
  if (fault.body && fault.body->is_string()) {
    response.body = fault.body->get<std::string>();
  } else if (fault.body) {
    response.body = fault.body->dump();
  } else {
    response.body = json{{"error", *fault.status}, {"message", "injected fault"}}.dump();
  }
  return response;
}

http::Response health(Simulator&, RouteCall&) { return json_response(200, {{"ok", true}}); }

http::Response reset_all(Simulator& simulator, RouteCall&) {
  simulator.reset();
  return json_response(200, {{"reset", true}});
}

http::Response list_faults(Simulator& simulator, RouteCall&) {
  return json_response(200, simulator.faults().to_json());
}

// One fault or an array of them; none is added when one is bad.
http::Response add_faults(Simulator& simulator, RouteCall& call) {
  const auto body = parse_json_body(call.request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  const json specs = body->is_array() ? *body : json::array({*body});
  std::vector<Fault> parsed;
  for (const auto& spec : specs) {
    auto fault = parse_fault(spec);
    if (!fault) return control_error(400, fault.error().code, fault.error().message);
    parsed.push_back(std::move(*fault));
  }
  json added = json::array();
  for (auto& fault : parsed) added.push_back(fault_to_json(simulator.faults().add(std::move(fault))));
  return json_response(201, body->is_array() ? added : added[0]);
}

http::Response clear_faults(Simulator& simulator, RouteCall&) {
  simulator.faults().clear();
  return json_response(200, {{"cleared", true}});
}

http::Response list_requests(Simulator& simulator, RouteCall& call) {
  return json_response(200,
                       simulator.requests().to_json(call.request.query_param("path_prefix").value_or("")));
}

http::Response clear_requests(Simulator& simulator, RouteCall&) {
  simulator.requests().clear();
  return json_response(200, {{"cleared", true}});
}

}  // namespace

Simulator::Simulator(const Clock& clock)
    : clock_(clock),
      bolna_(clock),
      hubspot_(clock),
      salesforce_(clock),
      nango_(clock, hubspot_, salesforce_),
      upstreams_{&bolna_, &hubspot_, &salesforce_, &nango_} {}

void Simulator::reset() {
  for (SimulatedUpstream* upstream : upstreams_) upstream->reset();
  faults_.clear();
  requests_.clear();
}

std::optional<int> Simulator::page_of(const http::Request& request) {
  for (SimulatedUpstream* upstream : upstreams_)
    if (auto page = upstream->page_of(request)) return page;
  return std::nullopt;
}

http::Response Simulator::handle(const http::Request& request) {
  if (request.path == "/_sim" || request.path.rfind("/_sim/", 0) == 0) {
    try {
      return handle_control(request);
    } catch (const json::exception& e) {
      // A field of the wrong JSON type in a control body: the caller's mistake, not a crash.
      return control_error(400, "bad_request", std::string("bad control body: ") + e.what());
    }
  }

  const auto fault = faults_.take(request.method, request.path, page_of(request));
  http::Response response;
  if (fault && fault->latency_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(fault->latency_ms));
  if (fault && fault->status) {
    response = fault_response(*fault);
  } else {
    response = dispatch_upstream(request);
    if (fault && fault->truncate) response.body.resize(response.body.size() / 2);
  }
  if (fault && fault->malformed) response.body = kMalformedBody;
  if (fault && fault->retry_after)
    response.headers.emplace_back("Retry-After", std::to_string(*fault->retry_after));

  LoggedRequest entry;
  entry.at_ms = to_epoch_ms(clock_.now());
  entry.method = request.method;
  entry.path = request.path;
  entry.query = request.query;
  entry.body = request.body;
  entry.credential = http::bearer_token(request);
  entry.status = response.status;
  if (fault) entry.fault_id = fault->id;
  requests_.record(std::move(entry));
  return response;
}

http::Response Simulator::dispatch_upstream(const http::Request& request) {
  for (SimulatedUpstream* upstream : upstreams_)
    if (auto response = upstream->handle_api(request)) return std::move(*response);
  return json_response(404, {{"error", 404}, {"message", "Not Found"}});
}

http::Response Simulator::handle_control(const http::Request& request) {
  static const ControlRoutes<Simulator, RouteCall> kRoutes{
      {"/_sim/health", {{"*", health}}},
      {"/_sim/reset", {{"POST", reset_all}}},
      {"/_sim/faults", {{"GET", list_faults}, {"POST", add_faults}, {"DELETE", clear_faults}}},
      {"/_sim/requests", {{"GET", list_requests}, {"DELETE", clear_requests}}},
  };
  if (auto response = dispatch_control(*this, kRoutes, nullptr, request)) return std::move(*response);
  for (SimulatedUpstream* upstream : upstreams_)
    if (auto response = upstream->handle_control(request)) return std::move(*response);
  return control_error(404, "not_found", "no such control endpoint");
}

}  // namespace tenantsync::sim
