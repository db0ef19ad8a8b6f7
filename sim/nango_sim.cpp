// The simulated Nango: GET /connections/{id} (and the deprecated /connection/{id}) behind the
// secret key, answering credentials minted by the simulated HubSpot or Salesforce with the tags
// and end user of the connect session that made the connection; and the /_sim/nango/ control API
// (secret keys, connections). Connect sessions are nango_connect.cpp's.
#include "nango_sim.hpp"

#include <mutex>

#include "control_api.hpp"
#include "nango_state.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim {

using nango::Call;
using nango::Connection;
using nango::iso;
using nango::nango_error;
using nango::State;
using nlohmann::json;

http::Response nango::nango_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

json nango::tags_json(const Tags& tags) {
  json out = json::object();
  for (const auto& [key, value] : tags) out[key] = value;
  return out;
}

json nango::control_json(const Connection& connection) {
  json out = {
      {"connection_id", connection.id},          {"provider_config_key", connection.provider_config_key},
      {"provider", connection.provider},         {"refresh_exhausted", connection.refresh_exhausted},
      {"access_token", connection.access_token}, {"expires_at", iso(connection.expires_at_ms)},
      {"tags", tags_json(connection.tags)},      {"end_user", connection.end_user}};
  if (connection.provider == "hubspot")
    out["portal_id"] = connection.portal_id;
  else
    out["org_id"] = connection.org_id;
  if (connection.token_ttl_s) out["token_ttl_s"] = *connection.token_ttl_s;
  return out;
}

namespace {

// Nango refreshes a token that expires within this margin when the connection is fetched.
constexpr std::int64_t kRefreshMarginMs = 5 * 60 * 1000;

http::Response api_connection(State& state, Call& call) {
  const http::Request& request = call.request;
  const std::string& id = call.param("connection");
  const auto config_key = request.query_param("provider_config_key");
  if (!config_key || config_key->empty())
    return nango_error(400, "missing_provider_config_key", "Missing provider_config_key");
  const auto it = state.connections.find(id);
  if (it == state.connections.end() || it->second.provider_config_key != *config_key)
    return nango_error(404, "unknown_connection",
                       "No connection matching the provided params of 'connection_id' and "
                       "'provider_config_key'.");
  Connection& connection = it->second;
  if (connection.refresh_exhausted)
    return nango_error(424, "refresh_exhausted",
                       "The refresh limit has been reached for this connection. The user must reconnect.");
  const std::int64_t now = state.now_ms();
  const bool stale =
      connection.expires_at_ms - now < kRefreshMarginMs ||
      request.query_param("force_refresh").value_or("") == "true" ||
      !(connection.provider == "hubspot" ? state.hubspot.access_token_valid(connection.access_token)
                                         : state.salesforce.access_token_valid(connection.access_token));
  if (stale) {
    if (auto refreshed = state.refresh(connection); !refreshed)
      // The portal or org behind it is gone: to Nango that is a refresh that cannot succeed.
      return nango_error(424, "refresh_exhausted",
                         "Failed to refresh the token: " + refreshed.error().message);
  }

  const std::string base_url = instance_url(request);
  const std::int64_t expires_in = (connection.expires_at_ms - now) / 1000;
  json raw = {
      {"access_token", connection.access_token}, {"token_type", "bearer"}, {"expires_in", expires_in}};
  json config;
  if (connection.provider == "hubspot") {
    config = {{"portalId", connection.portal_id}};
  } else {
    config = {{"instance_url", base_url}};
    raw["instance_url"] = base_url;
    raw["issued_at"] = std::to_string(connection.updated_ms);
  }
  return json_response(200, {{"id", connection.number},
                             {"connection_id", connection.id},
                             {"provider_config_key", connection.provider_config_key},
                             {"provider", connection.provider},
                             {"environment_id", 1},
                             {"created_at", iso(connection.created_ms)},
                             {"updated_at", iso(connection.updated_ms)},
                             {"last_fetched_at", iso(now)},
                             {"metadata", nullptr},
                             {"errors", json::array()},
                             {"tags", nango::tags_json(connection.tags)},
                             {"end_user", connection.end_user},
                             {"connection_config", config},
                             {"credentials",
                              {{"type", "OAUTH2"},
                               {"access_token", connection.access_token},
                               {"expires_at", iso(connection.expires_at_ms)},
                               {"raw", raw}}}});
}

std::optional<http::Response> resolve(State& state, Call& call) {
  const std::string* id = call.find_param("connection");
  if (!id) return std::nullopt;
  const auto it = state.connections.find(*id);
  if (it == state.connections.end()) return control_error(404, "not_found", "no connection " + *id);
  call.connection = &it->second;
  return std::nullopt;
}

http::Response list_secret_keys(State& state, Call&) { return json_response(200, state.secret_keys); }

// Accepts another secret key: {secret_key}.
http::Response accept_secret_key(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  const std::string key = body && body->is_object() ? body->value("secret_key", "") : "";
  if (key.empty()) return control_error(400, "bad_request", "secret_key is required");
  state.secret_keys.insert(key);
  return json_response(201, state.secret_keys);
}

http::Response remove_secret_key(State& state, Call& call) {
  if (!state.secret_keys.erase(call.param("key")))
    return control_error(404, "not_found", "no such secret key");
  return json_response(200, state.secret_keys);
}

http::Response list_connections(State& state, Call&) {
  return json_response(
      200, json_array_of(state.connections, [](const auto& entry) { return control_json(entry.second); }));
}

http::Response get_connection(State&, Call& call) {
  return json_response(200, control_json(*call.connection));
}

// {refresh_exhausted?, token_ttl_s?, expire_token?, tags?}: an expired token is refreshed on the
// next fetch; tags replace the connection's, as Nango's PATCH /connections/{id} does.
http::Response patch_connection(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  Connection& connection = *call.connection;
  if (body->contains("tags")) {
    auto tags = nango::parse_tags((*body)["tags"]);
    if (!tags) return control_error(tags.error());
    connection.tags = std::move(*tags);
  }
  connection.refresh_exhausted = body->value("refresh_exhausted", connection.refresh_exhausted);
  if (body->contains("token_ttl_s")) connection.token_ttl_s = (*body)["token_ttl_s"].get<int>();
  if (body->value("expire_token", false)) connection.expires_at_ms = state.now_ms();
  return json_response(200, control_json(connection));
}

http::Response delete_connection(State& state, Call& call) {
  const std::string id = call.connection->id;
  state.connections.erase(id);
  return json_response(200, {{"deleted", id}});
}

}  // namespace

NangoSim::NangoSim(const Clock& clock, HubSpotSim& hubspot, SalesforceSim& salesforce)
    : state_(std::make_unique<State>(clock, hubspot, salesforce)) {}
NangoSim::~NangoSim() = default;

void NangoSim::reset() { state_->reset(); }

void NangoSim::add_secret_key(const std::string& key) {
  std::lock_guard lock(state_->mutex);
  state_->secret_keys.insert(key);
}

Result<json> NangoSim::create_connection(const json& spec) {
  std::lock_guard lock(state_->mutex);
  return state_->create_connection(spec);
}

std::optional<http::Response> NangoSim::handle_api(const http::Request& request) {
  {
    std::lock_guard lock(state_->mutex);
    if (auto connect = nango::serve_connect_api(*state_, request)) return connect;
  }
  static const SimRoutes<http::Response (*)(State&, Call&)> kRoutes{
      {"GET", "/connections/{connection}", api_connection},
      {"GET", "/connection/{connection}", api_connection},  // the deprecated spelling
  };
  const auto match = kRoutes.match(request);
  if (match.outcome == http::MatchOutcome::not_found) return std::nullopt;
  if (match.outcome == http::MatchOutcome::method_not_allowed)
    return nango_error(405, "method_not_allowed", "Only GET is simulated here");
  State& state = *state_;
  std::lock_guard lock(state.mutex);
  const std::string key = http::bearer_token(request);
  if (key.empty())
    return nango_error(401, "missing_api_key",
                       "Authentication failed. The request is missing a valid secret key.");
  if (!state.secret_keys.count(key))
    return nango_error(401, "unknown_account", "The secret key is invalid for this environment.");
  Call call{RouteCall{request, match.params}};
  return match.route->handler(state, call);
}

std::optional<http::Response> NangoSim::handle_control(const http::Request& request) {
  static const ControlRoutes<State, Call> kRoutes{
      {"/_sim/nango/secret_keys", {{"GET", list_secret_keys}, {"POST", accept_secret_key}}},
      {"/_sim/nango/secret_keys/{key}", {{"DELETE", remove_secret_key}}},
      {"/_sim/nango/connections",
       {{"GET", list_connections}, {"POST", create_from_body<&State::create_connection>}}},
      {"/_sim/nango/connections/{connection}",
       {{"GET", get_connection}, {"PATCH", patch_connection}, {"DELETE", delete_connection}}},
  };
  std::lock_guard lock(state_->mutex);
  if (auto connect = nango::serve_connect_control(*state_, request)) return connect;
  return dispatch_control(*state_, kRoutes, resolve, request);
}

Result<json> State::create_connection(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "a connection is a JSON object");
  Connection connection;
  connection.id = spec.value("connection_id", "");
  connection.provider = spec.value("provider", "");
  if (connection.id.empty()) return make_error("bad_request", "connection_id is required");
  if (connection.provider == "hubspot") {
    if (!spec.contains("portal_id") || !spec["portal_id"].is_number_integer())
      return make_error("bad_request", "a hubspot connection needs portal_id (an integer)");
    connection.portal_id = spec["portal_id"].get<long long>();
  } else if (connection.provider == "salesforce") {
    connection.org_id = spec.value("org_id", "");
    if (connection.org_id.empty()) return make_error("bad_request", "a salesforce connection needs org_id");
  } else {
    return make_error("bad_request", "provider is hubspot or salesforce");
  }
  connection.provider_config_key = spec.value("provider_config_key", connection.provider);
  if (spec.contains("token_ttl_s")) connection.token_ttl_s = spec["token_ttl_s"].get<int>();
  connection.refresh_exhausted = spec.value("refresh_exhausted", false);
  // A connection made here has no connect session: tests give it the tags or end user one would.
  if (spec.contains("tags")) {
    auto tags = nango::parse_tags(spec["tags"]);
    if (!tags) return make_error("bad_request", tags.error().message);
    connection.tags = std::move(*tags);
  }
  connection.end_user = spec.value("end_user", json(nullptr));
  if (!connection.end_user.is_null() && !connection.end_user.is_object())
    return make_error("bad_request", "end_user is an object");
  connection.created_ms = connection.updated_ms = now_ms();

  if (connections.count(connection.id))
    return make_error("conflict", "connection " + connection.id + " exists");
  // Mint the first token now, which also checks that the portal or org exists.
  if (auto minted = refresh(connection); !minted) return minted.error();
  connection.number = next_number++;
  const auto [it, inserted] = connections.emplace(connection.id, std::move(connection));
  return control_json(it->second);
}

Status State::refresh(Connection& connection) {
  if (connection.provider == "hubspot") {
    auto minted = hubspot.mint_access_token(connection.portal_id, connection.token_ttl_s);
    if (!minted) return minted.error();
    connection.access_token = minted->first;
    connection.expires_at_ms = minted->second;
  } else {
    auto minted = salesforce.mint_access_token(connection.org_id, connection.token_ttl_s);
    if (!minted) return minted.error();
    connection.access_token = minted->access_token;
    connection.expires_at_ms = minted->expires_at_ms;
  }
  connection.updated_ms = now_ms();
  return {};
}

}  // namespace tenantsync::sim
