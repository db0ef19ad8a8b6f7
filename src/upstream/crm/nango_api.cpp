#include "upstream/crm/nango_api.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/time_format.hpp"
#include "upstream/bounded_json.hpp"
#include "upstream/crm/answer_text.hpp"

namespace tenantsync::upstream {
namespace {

using Json = nlohmann::json;

std::int64_t read_expiry(const Json& value) {
  if (value.is_string()) {
    if (auto parsed = parse_iso8601(value.get<std::string>())) return to_epoch_ms(*parsed);
  }
  return 0;
}

// Nango's error body: {error: {code, message, errors?}} (older releases: {error: "...", type});
// the code and a sentence, either of which may be empty.
std::pair<std::string, std::string> error_of(const Json& root) {
  std::string code = text_at(root, "type");
  std::string message = text_at(root, "error");
  if (root.is_object() && root.contains("error") && root["error"].is_object()) {
    const Json& error = root["error"];
    code = text_at(error, "code");
    message = text_at(error, "message");
    if (message.empty() && error.contains("errors") && error["errors"].is_array() && !error["errors"].empty())
      message = text_at(error["errors"][0], "message");
  }
  return {code, message};
}

// What a person is told Nango said: its sentence, else its code, else the status.
std::string reason_of(int status, const std::string& code, const std::string& message) {
  if (!message.empty()) return message;
  return code.empty() ? fmt::format("HTTP {}", status) : code;
}

// The failures that say nothing about a particular connection: the secret key, the rate limit, the rest.
Error service_error(int status, const std::string& reason, const char* what) {
  if (status == 401 || status == 403)
    return make_error(core::ErrorCode::key_rejected,
                      fmt::format("Nango refused this server's secret key ({}). Check the Nango settings "
                                  "of the server.",
                                  trim_reason(reason)));
  if (status == 429)
    return make_error(core::ErrorCode::rate_limited,
                      "Nango is rate-limiting this server. Try again in a few minutes.");
  return make_error(
      core::ErrorCode::upstream_error,
      fmt::format("Nango answered {} for {} ({}). Try again later.", status, what, trim_reason(reason)));
}

std::map<std::string, std::string> tags_of(const Json& root) {
  std::map<std::string, std::string> tags;
  const auto it = root.find("tags");
  if (it == root.end() || !it->is_object()) return tags;
  for (const auto& [key, value] : it->items()) {
    if (!value.is_string()) continue;
    std::string lower = key;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    tags[lower] = value.get<std::string>();
  }
  return tags;
}

}  // namespace

std::string nango_end_user(TenantId tenant) { return std::to_string(tenant.value()); }

bool nango_connection_names(const NangoConnection& connection, std::string_view end_user) {
  if (end_user.empty()) return false;
  bool named = false;
  const auto agrees = [&](const std::string* value) {
    if (value == nullptr || value->empty()) return true;  // absent: says nothing
    named = true;
    return *value == end_user;
  };
  const auto tag = [&](const char* key) -> const std::string* {
    const auto it = connection.tags.find(key);
    return it == connection.tags.end() ? nullptr : &it->second;
  };
  return agrees(tag("end_user_id")) && agrees(tag("organization_id")) && agrees(&connection.end_user_id) &&
         agrees(&connection.end_user_organization_id) && named;
}

HttpNangoApi::HttpNangoApi(HttpClient& http, NangoApiOptions options)
    : http_(http), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

Result<NangoConnectSession> HttpNangoApi::create_connect_session(const NangoSessionRequest& request) {
  // end_user and organization for Nango servers that predate tags; tags for current ones (and
  // current servers also build the same tags from end_user and organization).
  Json body = {{"end_user", {{"id", request.end_user}}},
               {"organization", {{"id", request.end_user}}},
               {"tags", {{"end_user_id", request.end_user}, {"organization_id", request.end_user}}}};
  if (!request.allowed_integrations.empty()) body["allowed_integrations"] = request.allowed_integrations;
  HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = options_.base_url + "/connect/sessions";
  http_request.headers = {{"Authorization", "Bearer " + options_.secret_key},
                          {"Content-Type", "application/json"},
                          {"Accept", "application/json"}};
  http_request.body = body.dump();
  http_request.timeout = options_.request_timeout;
  auto response = http_.send(http_request);
  if (!response.ok()) return response.error();
  const Json root = parse_bounded_json(response->body);
  if (response->status < 200 || response->status >= 300) {
    const auto [code, message] = error_of(root);
    const std::string reason = reason_of(response->status, code, message);
    return service_error(response->status, reason, "a connect session");
  }
  const Json data = root.is_object() ? root.value("data", Json()) : Json();
  NangoConnectSession session;
  session.token = text_at(data, "token");
  session.connect_link = text_at(data, "connect_link");
  session.expires_at_ms =
      data.is_object() && data.contains("expires_at") ? read_expiry(data["expires_at"]) : 0;
  if (session.token.empty())
    return make_error(core::ErrorCode::upstream_malformed,
                      "Nango answered a connect session without a token. Try again later.");
  return session;
}

Result<NangoConnection> HttpNangoApi::get_connection(const std::string& connection_id,
                                                     const std::string& provider_config_key,
                                                     bool force_refresh) {
  HttpRequest request;
  request.url = fmt::format("{}/connections/{}?provider_config_key={}", options_.base_url,
                            url_encode(connection_id), url_encode(provider_config_key));
  if (force_refresh) request.url += "&force_refresh=true";
  request.headers = {{"Authorization", "Bearer " + options_.secret_key}, {"Accept", "application/json"}};
  request.timeout = options_.request_timeout;
  auto response = http_.send(request);
  if (!response.ok()) return response.error();
  const Json root = parse_bounded_json(response->body);
  if (response->status < 200 || response->status >= 300) {
    const auto [code, message] = error_of(root);
    const std::string reason = reason_of(response->status, code, message);
    const bool about_connection =
        code.find("connection") != std::string::npos || message.find("onnection") != std::string::npos;
    if (response->status == 424 || ((response->status == 400 || response->status == 404) && about_connection))
      return make_error(
          core::ErrorCode::needs_reauth,
          fmt::format("Reconnect your CRM: Nango cannot give this connection's credentials ({}).",
                      trim_reason(reason)));
    return service_error(response->status, reason, "the connection");
  }
  if (!root.is_object() || !root.contains("credentials") || !root["credentials"].is_object())
    return make_error(core::ErrorCode::upstream_malformed,
                      "Nango sent a connection without credentials. Try again later.");
  NangoConnection out;
  out.connection_id = text_at(root, "connection_id");
  out.provider_config_key = text_at(root, "provider_config_key");
  out.provider = text_at(root, "provider");
  out.tags = tags_of(root);
  if (auto end_user = root.find("end_user"); end_user != root.end() && end_user->is_object()) {
    out.end_user_id = text_at(*end_user, "id");
    if (auto org = end_user->find("organization"); org != end_user->end() && org->is_object())
      out.end_user_organization_id = text_at(*org, "id");
  }
  const Json& credentials = root["credentials"];
  AccessCredentials& access = out.credentials;
  access.access_token = text_at(credentials, "access_token");
  if (access.access_token.empty())
    access.access_token = text_at(credentials, "apiKey");  // API_KEY connections
  access.expires_at_ms = credentials.contains("expires_at") ? read_expiry(credentials["expires_at"]) : 0;
  access.refresh_token = text_at(credentials, "refresh_token");
  if (auto config = root.find("connection_config"); config != root.end() && config->is_object()) {
    access.instance_url = text_at(*config, "instance_url");
    access.account_id = text_at(*config, "portalId");
  }
  if (access.instance_url.empty() && credentials.contains("raw"))
    access.instance_url = text_at(credentials["raw"], "instance_url");
  return out;
}

}  // namespace tenantsync::upstream
