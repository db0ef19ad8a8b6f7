#include "simulator.hpp"

#include <thread>

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

}  // namespace

Simulator::Simulator(const Clock& clock)
    : clock_(clock),
      bolna_(clock),
      hubspot_(clock),
      salesforce_(clock),
      nango_(clock, hubspot_, salesforce_) {}

void Simulator::reset() {
  bolna_.reset();
  hubspot_.reset();
  salesforce_.reset();
  nango_.reset();
  faults_.clear();
  requests_.clear();
}

std::optional<int> Simulator::page_of(const http::Request& request) {
  if (auto page = BolnaSim::page_of(request)) return page;
  if (auto page = hubspot_.page_of(request)) return page;
  return salesforce_.page_of(request);
}

http::Response Simulator::handle(const http::Request& request) {
  if (request.path == "/_sim" || request.path.rfind("/_sim/", 0) == 0) {
    try {
      return handle_control(request);
    } catch (const json::exception& e) {
      // A field of the wrong JSON type in a control body: the caller's mistake, not a crash.
      return json_response(
          400, {{"error", "bad_request"}, {"message", std::string("bad control body: ") + e.what()}});
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
  entry.status = response.status;
  if (fault) entry.fault_id = fault->id;
  requests_.record(std::move(entry));
  return response;
}

http::Response Simulator::dispatch_upstream(const http::Request& request) {
  if (auto response = bolna_.handle_api(request)) return std::move(*response);
  if (auto response = hubspot_.handle_api(request)) return std::move(*response);
  if (auto response = salesforce_.handle_api(request)) return std::move(*response);
  if (auto response = nango_.handle_api(request)) return std::move(*response);
  return json_response(404, {{"error", 404}, {"message", "Not Found"}});
}

http::Response Simulator::handle_control(const http::Request& request) {
  const auto segments = split_path(request.path);
  const std::string& method = request.method;
  auto bad_method = [] {
    return json_response(405, {{"error", "method_not_allowed"}, {"message", "method not allowed here"}});
  };
  if (segments.size() == 2 && segments[1] == "health") return json_response(200, {{"ok", true}});
  if (segments.size() == 2 && segments[1] == "reset") {
    if (method != "POST") return bad_method();
    reset();
    return json_response(200, {{"reset", true}});
  }
  if (segments.size() == 2 && segments[1] == "faults") {
    if (method == "GET") return json_response(200, faults_.to_json());
    if (method == "DELETE") {
      faults_.clear();
      return json_response(200, {{"cleared", true}});
    }
    if (method != "POST") return bad_method();
    const auto body = parse_json_body(request);
    if (!body) return json_response(400, {{"error", "bad_request"}, {"message", "the body must be JSON"}});
    // One fault or an array of them.
    const json specs = body->is_array() ? *body : json::array({*body});
    std::vector<Fault> parsed;
    for (const auto& spec : specs) {
      auto fault = parse_fault(spec);
      if (!fault)
        return json_response(400, {{"error", fault.error().code}, {"message", fault.error().message}});
      parsed.push_back(std::move(*fault));
    }
    json added = json::array();
    for (auto& fault : parsed) added.push_back(fault_to_json(faults_.add(std::move(fault))));
    return json_response(201, body->is_array() ? added : added[0]);
  }
  if (segments.size() == 2 && segments[1] == "requests") {
    if (method == "GET")
      return json_response(200, requests_.to_json(query_value(request, "path_prefix").value_or("")));
    if (method == "DELETE") {
      requests_.clear();
      return json_response(200, {{"cleared", true}});
    }
    return bad_method();
  }
  if (segments.size() >= 2 && segments[1] == "bolna")
    return bolna_.handle_control(request, std::vector<std::string>(segments.begin() + 2, segments.end()));
  if (segments.size() >= 2 && segments[1] == "hubspot")
    return hubspot_.handle_control(request, std::vector<std::string>(segments.begin() + 2, segments.end()));
  if (segments.size() >= 2 && segments[1] == "salesforce")
    return salesforce_.handle_control(request,
                                      std::vector<std::string>(segments.begin() + 2, segments.end()));
  if (segments.size() >= 2 && segments[1] == "nango")
    return nango_.handle_control(request, std::vector<std::string>(segments.begin() + 2, segments.end()));
  return json_response(404, {{"error", "not_found"}, {"message", "no such control endpoint"}});
}

}  // namespace tenantsync::sim
