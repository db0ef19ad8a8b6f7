#include "nango_sim.hpp"

#include "core/time_format.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim {

using nlohmann::json;

namespace {

// Nango refreshes a token that expires within this margin when the connection is fetched.
constexpr std::int64_t kRefreshMarginMs = 5 * 60 * 1000;

http::Response nango_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

http::Response control_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

std::string iso(std::int64_t ms) { return format_iso8601(from_epoch_ms(ms)); }

}  // namespace

NangoSim::NangoSim(const Clock& clock, HubSpotSim& hubspot, SalesforceSim& salesforce)
    : clock_(clock), hubspot_(hubspot), salesforce_(salesforce), secret_keys_{kDefaultSecretKey} {}

std::int64_t NangoSim::now_ms() const { return to_epoch_ms(clock_.now()); }

void NangoSim::reset() {
  std::lock_guard lock(mutex_);
  secret_keys_ = {kDefaultSecretKey};
  connections_.clear();
  next_number_ = 1;
}

void NangoSim::add_secret_key(const std::string& key) {
  std::lock_guard lock(mutex_);
  secret_keys_.insert(key);
}

Result<json> NangoSim::create_connection(const json& spec) {
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
  connection.created_ms = connection.updated_ms = now_ms();

  std::lock_guard lock(mutex_);
  if (connections_.count(connection.id))
    return make_error("conflict", "connection " + connection.id + " exists");
  // Mint the first token now, which also checks that the portal or org exists.
  if (auto minted = refresh(connection); !minted) return minted.error();
  connection.number = next_number_++;
  const auto [it, inserted] = connections_.emplace(connection.id, std::move(connection));
  return control_json(it->second);
}

Status NangoSim::refresh(Connection& connection) {
  if (connection.provider == "hubspot") {
    auto minted = hubspot_.mint_access_token(connection.portal_id, connection.token_ttl_s);
    if (!minted) return minted.error();
    connection.access_token = minted->first;
    connection.expires_at_ms = minted->second;
  } else {
    auto minted = salesforce_.mint_access_token(connection.org_id, connection.token_ttl_s);
    if (!minted) return minted.error();
    connection.access_token = minted->access_token;
    connection.expires_at_ms = minted->expires_at_ms;
  }
  connection.updated_ms = now_ms();
  return {};
}

json NangoSim::control_json(const Connection& connection) const {
  json out = {
      {"connection_id", connection.id},          {"provider_config_key", connection.provider_config_key},
      {"provider", connection.provider},         {"refresh_exhausted", connection.refresh_exhausted},
      {"access_token", connection.access_token}, {"expires_at", iso(connection.expires_at_ms)}};
  if (connection.provider == "hubspot")
    out["portal_id"] = connection.portal_id;
  else
    out["org_id"] = connection.org_id;
  if (connection.token_ttl_s) out["token_ttl_s"] = *connection.token_ttl_s;
  return out;
}

std::optional<http::Response> NangoSim::handle_api(const http::Request& request) {
  const auto seg = split_path(request.path);
  if (seg.size() != 2 || (seg[0] != "connections" && seg[0] != "connection")) return std::nullopt;
  if (request.method != "GET") return nango_error(405, "method_not_allowed", "Only GET is simulated here");
  std::lock_guard lock(mutex_);
  const std::string key = bearer_token(request);
  if (key.empty())
    return nango_error(401, "missing_api_key",
                       "Authentication failed. The request is missing a valid secret key.");
  if (!secret_keys_.count(key))
    return nango_error(401, "unknown_account", "The secret key is invalid for this environment.");
  return get_connection(request, seg[1]);
}

http::Response NangoSim::get_connection(const http::Request& request, const std::string& id) {
  const auto config_key = query_value(request, "provider_config_key");
  if (!config_key || config_key->empty())
    return nango_error(400, "missing_provider_config_key", "Missing provider_config_key");
  const auto it = connections_.find(id);
  if (it == connections_.end() || it->second.provider_config_key != *config_key)
    return nango_error(404, "unknown_connection",
                       "No connection matching the provided params of 'connection_id' and "
                       "'provider_config_key'.");
  Connection& connection = it->second;
  if (connection.refresh_exhausted)
    return nango_error(424, "refresh_exhausted",
                       "The refresh limit has been reached for this connection. The user must reconnect.");
  const std::int64_t now = now_ms();
  const bool stale =
      connection.expires_at_ms - now < kRefreshMarginMs ||
      query_value(request, "force_refresh").value_or("") == "true" ||
      !(connection.provider == "hubspot" ? hubspot_.access_token_valid(connection.access_token)
                                         : salesforce_.access_token_valid(connection.access_token));
  if (stale) {
    if (auto refreshed = refresh(connection); !refreshed)
      // The portal or org behind it is gone: to Nango that is a refresh that cannot succeed.
      return nango_error(424, "refresh_exhausted",
                         "Failed to refresh the token: " + refreshed.error().message);
  }

  const std::string host = header_value(request, "host");
  const std::string instance_url = "http://" + (host.empty() ? std::string("localhost") : host);
  const std::int64_t expires_in = (connection.expires_at_ms - now) / 1000;
  json raw = {
      {"access_token", connection.access_token}, {"token_type", "bearer"}, {"expires_in", expires_in}};
  json config;
  if (connection.provider == "hubspot") {
    config = {{"portalId", connection.portal_id}};
  } else {
    config = {{"instance_url", instance_url}};
    raw["instance_url"] = instance_url;
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
                             {"connection_config", config},
                             {"credentials",
                              {{"type", "OAUTH2"},
                               {"access_token", connection.access_token},
                               {"expires_at", iso(connection.expires_at_ms)},
                               {"raw", raw}}}});
}

http::Response NangoSim::handle_control(const http::Request& request,
                                        const std::vector<std::string>& segments) {
  const std::string& method = request.method;
  const auto body = parse_json_body(request);
  if (segments.size() >= 1 && segments[0] == "secret_keys") {
    std::lock_guard lock(mutex_);
    if (segments.size() == 1 && method == "GET") return json_response(200, secret_keys_);
    if (segments.size() == 1 && method == "POST") {
      const std::string key = body && body->is_object() ? body->value("secret_key", "") : "";
      if (key.empty()) return control_error(400, "bad_request", "secret_key is required");
      secret_keys_.insert(key);
      return json_response(201, secret_keys_);
    }
    if (segments.size() == 2 && method == "DELETE") {
      if (!secret_keys_.erase(segments[1])) return control_error(404, "not_found", "no such secret key");
      return json_response(200, secret_keys_);
    }
    return control_error(405, "method_not_allowed", "method not allowed here");
  }
  if (segments.empty() || segments[0] != "connections")
    return control_error(404, "not_found", "no such control endpoint");
  if (segments.size() == 1) {
    if (method == "GET") {
      std::lock_guard lock(mutex_);
      json list = json::array();
      for (const auto& [id, connection] : connections_) list.push_back(control_json(connection));
      return json_response(200, list);
    }
    if (method != "POST") return control_error(405, "method_not_allowed", "method not allowed here");
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto created = create_connection(*body);
    if (!created) {
      const auto& error = created.error();
      return control_error(error.code == "conflict"    ? 409
                           : error.code == "not_found" ? 404
                                                       : 400,
                           error.code, error.message);
    }
    return json_response(201, *created);
  }
  std::lock_guard lock(mutex_);
  const auto it = connections_.find(segments[1]);
  if (segments.size() != 2 || it == connections_.end())
    return control_error(404, "not_found", "no connection " + segments[1]);
  if (method == "GET") return json_response(200, control_json(it->second));
  if (method == "DELETE") {
    connections_.erase(it);
    return json_response(200, {{"deleted", segments[1]}});
  }
  if (method != "PATCH") return control_error(405, "method_not_allowed", "method not allowed here");
  if (!body || !body->is_object()) return control_error(400, "bad_request", "the body must be a JSON object");
  Connection& connection = it->second;
  connection.refresh_exhausted = body->value("refresh_exhausted", connection.refresh_exhausted);
  if (body->contains("token_ttl_s")) connection.token_ttl_s = (*body)["token_ttl_s"].get<int>();
  if (body->value("expire_token", false)) connection.expires_at_ms = now_ms();  // refreshed on the next fetch
  return json_response(200, control_json(connection));
}

}  // namespace tenantsync::sim
