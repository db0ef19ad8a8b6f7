#pragma once
// The OAuth side of a simulated CRM account (a HubSpot portal, a Salesforce org): its refresh
// grants and access tokens, and the control calls that shape them, the same for both CRMs.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "control_api.hpp"
#include "http/message.hpp"

namespace tenantsync::sim {

struct RefreshGrant {
  std::string client_id;  ///< empty: any client may use it
  std::string client_secret;
};

struct OAuthTokens {
  std::map<std::string, std::int64_t> access_tokens;  ///< token → expires at (ms)
  std::map<std::string, RefreshGrant> refresh_tokens;
};

/// Ends every access token now; answers how many there are.
http::Response expire_all_access_tokens(OAuthTokens& tokens, std::int64_t now_ms);

// Control API handlers for either CRM: `kAccount` is the Call member pointing at the account (a
// portal or an org), `kIndex` the State member mapping every refresh token to its account's id.

/// POST .../refresh_tokens {refresh_token, client_id?, client_secret?}: 201 with the account.
template <auto kAccount, auto kIndex, class State, class Call>
http::Response add_refresh_token(State& state, Call& call) {
  auto& account = *(call.*kAccount);
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  const std::string token = body->value("refresh_token", std::string());
  if (token.empty()) return control_error(400, "bad_request", "refresh_token is required");
  if ((state.*kIndex).count(token))
    return control_error(409, "conflict", "the refresh token is already in use");
  account.refresh_tokens[token] = {body->value("client_id", std::string()),
                                   body->value("client_secret", std::string())};
  (state.*kIndex)[token] = account.id;
  return json_response(201, account.summary());
}

/// DELETE .../refresh_tokens/{token}: the next refresh with it is refused.
template <auto kAccount, auto kIndex, class State, class Call>
http::Response revoke_refresh_token(State& state, Call& call) {
  const std::string& token = call.param("token");
  if (!(call.*kAccount)->refresh_tokens.erase(token))
    return control_error(404, "not_found", "no such refresh token");
  (state.*kIndex).erase(token);
  return json_response(200, {{"revoked", token}});
}

/// POST .../access_tokens/expire: every access token of the account ends now (a refresh is due).
template <auto kAccount, class State, class Call>
http::Response expire_access_tokens(State& state, Call& call) {
  return expire_all_access_tokens(*(call.*kAccount), state.now_ms());
}

}  // namespace tenantsync::sim
