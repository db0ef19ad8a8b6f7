#include "oauth_tokens.hpp"

#include <algorithm>

namespace tenantsync::sim {

http::Response expire_all_access_tokens(OAuthTokens& tokens, std::int64_t now_ms) {
  for (auto& [token, expiry] : tokens.access_tokens) expiry = std::min(expiry, now_ms);
  return json_response(200, {{"expired", tokens.access_tokens.size()}});
}

}  // namespace tenantsync::sim
