#pragma once
// Inside the simulated Nango (nango_*.cpp): the secret keys, the connections with the tags and
// end user their connect session gave them, the connect sessions, and what a routed request
// carries to its handler.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "sim_result.hpp"
#include "core/time_format.hpp"
#include "http/message.hpp"
#include "hubspot_sim.hpp"
#include "id_gen.hpp"
#include "nango_sim.hpp"
#include "salesforce_sim.hpp"
#include "sim_routes.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim::nango {

using nlohmann::json;

/// Connection tags: lower-case keys, string values (Nango's "Tags").
using Tags = std::map<std::string, std::string>;

struct Connection {
  std::string id;
  std::string provider_config_key;
  std::string provider;  ///< "hubspot" or "salesforce"
  long long portal_id = 0;
  std::string org_id;
  std::optional<int> token_ttl_s;  ///< unset: the portal's / org's own lifetime
  bool refresh_exhausted = false;
  std::string access_token;
  std::int64_t expires_at_ms = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  long long number = 0;
  Tags tags;      ///< copied from the connect session that created it
  json end_user;  ///< Nango's deprecated end_user object, or null
};

/// A connect session: what POST /connect/sessions was given, for the connections made with its token.
struct Session {
  std::string token;
  json end_user;      ///< {id, email?, display_name?, tags?} or null
  json organization;  ///< {id, display_name?} or null
  Tags tags;          ///< the request's tags over those built from end_user and organization
  std::vector<std::string> allowed_integrations;  ///< empty: every integration
  std::int64_t created_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::vector<std::string> connection_ids;  ///< made with this session, oldest first
};

/// What the simulated Nango holds, as it is after a reset.
struct Contents {
  std::set<std::string> secret_keys{NangoSim::kDefaultSecretKey};
  std::map<std::string, Connection> connections;
  std::map<std::string, Session> sessions;  ///< by token
  long long next_number = 1;
  IdGen ids{0x4a460};
};

/// The contents behind one mutex (Guarded): the functions below expect it held.
struct State : Guarded<Contents> {
  State(const Clock& clock, HubSpotSim& hubspot, SalesforceSim& salesforce)
      : clock(clock), hubspot(hubspot), salesforce(salesforce) {}

  const Clock& clock;
  HubSpotSim& hubspot;
  SalesforceSim& salesforce;

  std::int64_t now_ms() const { return to_epoch_ms(clock.now()); }
  /// See NangoSim::create_connection.
  Result<json> create_connection(const json& spec);
  /// A new access token from the portal or org behind the connection.
  Status refresh(Connection& connection);
  /// The session of a token that has not expired, or nullptr.
  Session* live_session(const std::string& token);
  /// What a person finishing the connect flow of `session` creates: a connection with a new
  /// random id for {provider_config_key?, portal_id | org_id}, carrying the session's tags and
  /// end user. Answers the control view.
  Result<json> connect_for_session(Session& session, const json& spec);
};

/// A routed request and the records its path names.
struct Call : RouteCall {
  Connection* connection = nullptr;  ///< {connection} of a control path
  Session* session = nullptr;        ///< {token} of a control path
};

/// Nango's error body: {"error": {code, message}}.
http::Response nango_error(int status, const std::string& code, const std::string& message);
/// An epoch-ms time as Nango writes it.
inline std::string iso(std::int64_t ms) { return format_iso8601(from_epoch_ms(ms)); }
/// Tags as a JSON object.
json tags_json(const Tags& tags);
/// Tags as Nango takes them: at most 10, keys of a letter then letters, digits and _-./ (at most
/// 64, made lower-case), values of 1 to 255 characters.
Result<Tags> parse_tags(const json& value);
/// The control API's view of a connection.
json control_json(const Connection& connection);

/// The connect-session endpoints (POST /connect/sessions with the secret key, GET
/// /connect/session and the simulated consent with a session token) and the connect page;
/// nullopt when the path is none of them.
std::optional<http::Response> serve_connect_api(State& state, const http::Request& request);
/// /_sim/nango/connect_sessions...; nullopt for other paths.
std::optional<http::Response> serve_connect_control(State& state, const http::Request& request);
/// The connect page's HTML (nango_connect_page.cpp).
std::string connect_page_html();

}  // namespace tenantsync::sim::nango
