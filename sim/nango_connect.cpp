// Nango connect sessions, simulated: POST /connect/sessions (secret key) answers a token that
// lives 30 minutes; GET /connect/session shows the session to its token's holder; the connect
// page (/connect-ui/) and POST /connect/sim/connections stand in for the provider's consent
// screen and create a connection with a random id that carries the session's tags and end user,
// as Nango copies them. The control API finishes a session without a browser.
#include <algorithm>
#include <cctype>
#include <set>
#include <variant>

#include "control_api.hpp"
#include "nango_state.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::nango {
namespace {

constexpr std::int64_t kSessionTtlMs = 30 * 60 * 1000;
constexpr std::size_t kMaxTags = 10;
constexpr std::size_t kMaxTagKey = 64;
constexpr std::size_t kMaxTagValue = 255;

// Nango's 400 for a body it does not accept: {error: {code: "invalid_body", errors: [...]}}.
http::Response invalid_body(const std::string& path, const std::string& message) {
  return json_response(
      400, {{"error",
             {{"code", "invalid_body"},
              {"errors",
               json::array({{{"code", "custom"}, {"message", message}, {"path", json::array({path})}}})}}}});
}

// The integrations the simulated environment has: a provider config key names its provider.
bool known_integration(const std::string& key) { return key == "hubspot" || key == "salesforce"; }

bool valid_tag_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxTagKey || !std::isalpha(static_cast<unsigned char>(key[0])))
    return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/';
  });
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A string field of an object: its value, nullopt when absent; `bad` when present but not a
// string of at most `max` characters.
std::optional<std::string> string_field(const json& object, const char* name, std::size_t max, bool& bad) {
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (!it->is_string() || it->get_ref<const std::string&>().size() > max) {
    bad = true;
    return std::nullopt;
  }
  return it->get<std::string>();
}

// Nango's tags from the deprecated end_user and organization (end_user_id, end_user_email,
// end_user_display_name, organization_id, organization_display_name, then end_user.tags).
Tags tags_of_end_user(const json& end_user, const json& organization) {
  Tags tags;
  const auto put = [&tags](const json& from, const char* field, const std::string& key) {
    if (from.is_object() && from.contains(field) && from[field].is_string() &&
        !from[field].get_ref<const std::string&>().empty())
      tags[key] = from[field].get<std::string>().substr(0, kMaxTagValue);
  };
  put(end_user, "id", "end_user_id");
  put(end_user, "email", "end_user_email");
  put(end_user, "display_name", "end_user_display_name");
  put(organization, "id", "organization_id");
  put(organization, "display_name", "organization_display_name");
  if (end_user.is_object() && end_user.contains("tags") && end_user["tags"].is_object()) {
    Tags merged = tags;
    for (const auto& [key, value] : end_user["tags"].items())
      if (value.is_string() && valid_tag_key(lower(key))) merged[lower(key)] = value.get<std::string>();
    if (merged.size() <= kMaxTags) tags = std::move(merged);  // Nango drops them all when too many
  }
  return tags;
}

// The session POST /connect/sessions asks for, or the 400 Nango answers.
std::variant<Session, http::Response> session_of(const json& body) {
  static const std::set<std::string> kFields{
      "end_user",  "organization",        "tags", "allowed_integrations", "integrations_config_defaults",
      "overrides", "webhook_url_override"};
  if (!body.is_object()) return invalid_body("", "Expected object");
  for (const auto& [key, value] : body.items())
    if (!kFields.count(key)) return invalid_body(key, "Unrecognized key: \"" + key + "\"");
  Session session;
  session.end_user = body.value("end_user", json(nullptr));
  session.organization = body.value("organization", json(nullptr));
  bool bad = false;
  if (!session.end_user.is_null()) {
    if (!session.end_user.is_object()) return invalid_body("end_user", "Expected object");
    const auto id = string_field(session.end_user, "id", 255, bad);
    if (bad || !id || id->empty())
      return invalid_body("end_user", "end_user.id is a string of 1 to 255 characters");
    const auto email = string_field(session.end_user, "email", 255, bad);
    if (bad || (email && email->find('@') == std::string::npos))
      return invalid_body("end_user", "end_user.email is not an e-mail address");
    string_field(session.end_user, "display_name", 255, bad);
    if (bad) return invalid_body("end_user", "end_user.display_name is a string of at most 255 characters");
  }
  if (!session.organization.is_null()) {
    if (!session.organization.is_object()) return invalid_body("organization", "Expected object");
    const auto id = string_field(session.organization, "id", 255, bad);
    if (bad || !id)
      return invalid_body("organization", "organization.id is a string of at most 255 characters");
  }
  Tags explicit_tags;
  if (body.contains("tags")) {
    auto tags = parse_tags(body["tags"]);
    if (!tags) return invalid_body("tags", tags.error().message);
    explicit_tags = std::move(*tags);
  }
  if (session.end_user.is_null() && !body.contains("tags")) return invalid_body("end_user", "Required");
  if (body.contains("allowed_integrations")) {
    const json& allowed = body["allowed_integrations"];
    if (!allowed.is_array()) return invalid_body("allowed_integrations", "Expected array");
    for (const auto& key : allowed) {
      if (!key.is_string() || !known_integration(key.get<std::string>()))
        return invalid_body("allowed_integrations", "Integration does not exist");
      session.allowed_integrations.push_back(key.get<std::string>());
    }
  }
  session.tags = tags_of_end_user(session.end_user, session.organization);
  for (auto& [key, value] : explicit_tags) session.tags[key] = value;
  if (session.tags.size() > kMaxTags) return invalid_body("tags", "Tags cannot contain more than 10 keys");
  return session;
}

json session_json(const Session& session, std::int64_t now_ms) {
  return {{"token", session.token},
          {"end_user", session.end_user},
          {"organization", session.organization},
          {"tags", tags_json(session.tags)},
          {"allowed_integrations", session.allowed_integrations},
          {"created_at", iso(session.created_ms)},
          {"expires_at", iso(session.expires_at_ms)},
          {"expired", session.expires_at_ms <= now_ms},
          {"connection_ids", session.connection_ids}};
}

// The session a bearer session token opens, or Nango's 401.
std::variant<Session*, http::Response> session_of_token(State& state, const http::Request& request) {
  const std::string token = http::bearer_token(request);
  if (token.empty())
    return nango_error(401, "missing_auth_header",
                       "Authentication failed. The request is missing the Authorization header.");
  Session* session = state.live_session(token);
  if (!session)
    return nango_error(401, "unknown_connect_session_token",
                       "The connect session token is unknown or has expired.");
  return session;
}

http::Response create_session(State& state, const http::Request& request) {
  const std::string key = http::bearer_token(request);
  if (key.empty())
    return nango_error(401, "missing_api_key",
                       "Authentication failed. The request is missing a valid secret key.");
  if (!state.secret_keys.count(key))
    return nango_error(401, "unknown_account", "The secret key is invalid for this environment.");
  const auto body = parse_json_body(request);
  if (!body) return invalid_body("", "The body must be JSON");
  auto parsed = session_of(*body);
  if (auto* refused = std::get_if<http::Response>(&parsed)) return std::move(*refused);
  Session session = std::get<Session>(std::move(parsed));
  session.token = "nango_connect_session_" + state.ids.hex(64);
  session.created_ms = state.now_ms();
  session.expires_at_ms = session.created_ms + kSessionTtlMs;
  const auto [it, inserted] = state.sessions.emplace(session.token, std::move(session));
  const Session& created = it->second;
  return json_response(
      201, {{"data",
             {{"token", created.token},
              {"connect_link", instance_url(request) + "/connect-ui/?session_token=" + created.token},
              {"expires_at", iso(created.expires_at_ms)}}}});
}

http::Response get_session(State& state, const http::Request& request) {
  auto found = session_of_token(state, request);
  if (auto* refused = std::get_if<http::Response>(&found)) return std::move(*refused);
  const Session& session = *std::get<Session*>(found);
  return json_response(
      200, {{"data",
             {{"end_user", session.end_user},
              {"organization", session.organization},
              {"tags", tags_json(session.tags)},
              {"allowed_integrations",
               session.allowed_integrations.empty() ? json(nullptr) : json(session.allowed_integrations)},
              {"integrations_config_defaults", nullptr},
              {"isReconnecting", false}}}});
}

http::Response delete_session(State& state, const http::Request& request) {
  auto found = session_of_token(state, request);
  if (auto* refused = std::get_if<http::Response>(&found)) return std::move(*refused);
  state.sessions.erase(std::get<Session*>(found)->token);
  http::Response response;
  response.status = 204;
  return response;
}

// The simulated consent: the person chose an integration and an account and authorized it.
http::Response consent(State& state, const http::Request& request) {
  auto found = session_of_token(state, request);
  if (auto* refused = std::get_if<http::Response>(&found)) return std::move(*refused);
  const auto body = parse_json_body(request);
  if (!body) return invalid_body("", "The body must be JSON");
  auto created = state.connect_for_session(*std::get<Session*>(found), *body);
  if (!created) return invalid_body("", created.error().message);
  return json_response(200, {{"providerConfigKey", (*created)["provider_config_key"]},
                             {"connectionId", (*created)["connection_id"]}});
}

http::Response connect_page() {
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = connect_page_html();
  return response;
}

std::optional<http::Response> resolve(State& state, Call& call) {
  const std::string* token = call.find_param("token");
  if (!token) return std::nullopt;
  const auto it = state.sessions.find(*token);
  if (it == state.sessions.end()) return control_error(404, "not_found", "no connect session " + *token);
  call.session = &it->second;
  return std::nullopt;
}

http::Response list_sessions(State& state, Call&) {
  const std::int64_t now = state.now_ms();
  return json_response(200, json_array_of(state.sessions, [now](const auto& entry) {
                         return session_json(entry.second, now);
                       }));
}

http::Response get_session_control(State& state, Call& call) {
  return json_response(200, session_json(*call.session, state.now_ms()));
}

// {expire: true}: the session ends now, as 30 minutes later.
http::Response patch_session(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  if (body->value("expire", false)) call.session->expires_at_ms = state.now_ms();
  return json_response(200, session_json(*call.session, state.now_ms()));
}

// What the person would do on the connect page: {provider_config_key?, portal_id | org_id}.
http::Response finish_session(State& state, Call& call) {
  if (call.session->expires_at_ms <= state.now_ms())
    return control_error(409, "conflict", "the connect session has expired");
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  return control_answer(state.connect_for_session(*call.session, *body), 201);
}

}  // namespace

Result<Tags> parse_tags(const json& value) {
  if (!value.is_object()) return make_error("bad_request", "tags is an object of strings");
  if (value.size() > kMaxTags) return make_error("bad_request", "Tags cannot contain more than 10 keys");
  Tags tags;
  for (const auto& [key, text] : value.items()) {
    if (!valid_tag_key(key))
      return make_error("bad_request",
                        "Tag keys must start with a letter and contain only alphanumerics, underscores, "
                        "hyphens, periods, or slashes (at most 64)");
    if (!text.is_string() || text.get_ref<const std::string&>().empty() ||
        text.get_ref<const std::string&>().size() > kMaxTagValue)
      return make_error("bad_request", "Tag values are strings of 1 to 255 characters");
    if (!tags.emplace(lower(key), text.get<std::string>()).second)
      return make_error("bad_request", "Duplicate tag key after case normalization: \"" + lower(key) + "\"");
  }
  return tags;
}

Session* State::live_session(const std::string& token) {
  const auto it = sessions.find(token);
  if (it == sessions.end() || it->second.expires_at_ms <= now_ms()) return nullptr;
  return &it->second;
}

Result<json> State::connect_for_session(Session& session, const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "the body is a JSON object");
  std::string key = spec.value("provider_config_key", "");
  if (key.empty() && session.allowed_integrations.size() == 1) key = session.allowed_integrations.front();
  if (key.empty()) return make_error("bad_request", "provider_config_key is required");
  if (!known_integration(key)) return make_error("bad_request", "Integration does not exist");
  if (!session.allowed_integrations.empty() &&
      std::find(session.allowed_integrations.begin(), session.allowed_integrations.end(), key) ==
          session.allowed_integrations.end())
    return make_error("bad_request", "This connect session does not allow the integration " + key);
  json create = {{"connection_id", ids.uuid()}, {"provider", key}, {"provider_config_key", key}};
  if (key == "hubspot") {
    // The page sends what the person typed: an integer or its digits.
    const json& portal = spec.value("portal_id", json(nullptr));
    std::optional<long long> id;
    if (portal.is_number_integer()) id = portal.get<long long>();
    if (portal.is_string()) id = parse_integer(portal.get<std::string>());
    if (!id) return make_error("bad_request", "a HubSpot connection needs portal_id (an integer)");
    create["portal_id"] = *id;
  } else {
    create["org_id"] = spec.value("org_id", "");
  }
  auto created = create_connection(create);
  if (!created) return created;
  Connection& connection = connections.at((*created)["connection_id"].get<std::string>());
  connection.tags = session.tags;
  connection.end_user = session.end_user;
  if (connection.end_user.is_object())
    connection.end_user["organization"] = session.organization;  // the deprecated shape nests it
  session.connection_ids.push_back(connection.id);
  return control_json(connection);
}

std::optional<http::Response> serve_connect_api(State& state, const http::Request& request) {
  using Handler = http::Response (*)(State&, const http::Request&);
  static const SimRoutes<Handler> kRoutes{
      {"POST", "/connect/sessions", create_session},
      {"GET", "/connect/session", get_session},
      {"DELETE", "/connect/session", delete_session},
      {"POST", "/connect/sim/connections", consent},
      {"GET", "/connect-ui/",
       [](State&, const http::Request&) { return connect_page(); }},  // with or without the /
  };
  const auto match = kRoutes.match(request);
  if (match.outcome == http::MatchOutcome::not_found) return std::nullopt;
  if (match.outcome == http::MatchOutcome::method_not_allowed)
    return nango_error(405, "method_not_allowed", "Method not allowed here");
  return match.route->handler(state, request);
}

std::optional<http::Response> serve_connect_control(State& state, const http::Request& request) {
  static const ControlRoutes<State, Call> kRoutes{
      {"/_sim/nango/connect_sessions", {{"GET", list_sessions}}},
      {"/_sim/nango/connect_sessions/{token}", {{"GET", get_session_control}, {"PATCH", patch_session}}},
      {"/_sim/nango/connect_sessions/{token}/connections", {{"POST", finish_session}}},
  };
  return dispatch_control(state, kRoutes, resolve, request);
}

}  // namespace tenantsync::sim::nango
