// The simulated Salesforce API: its route tables, token checks and the daily API limit, the
// OAuth token endpoint, userinfo, limits, and the page of a query request (for page-scoped
// faults); SalesforceSim's entry points. Queries are in salesforce_query.cpp, the control API in
// salesforce_control.cpp.
#include <algorithm>
#include <cstdlib>

#include "salesforce_state.hpp"
#include "sim_http.hpp"
#include "sim_routes.hpp"

namespace tenantsync::sim {

using nlohmann::json;
using salesforce::Call;
using salesforce::Org;
using salesforce::State;
using salesforce::User;

namespace {

constexpr double kMinVersion = 20.0;
constexpr double kMaxVersion = 67.0;

/// "v58.0" → "58.0" when it is a version the simulator serves.
std::optional<std::string> parse_version(const std::string& segment) {
  if (segment.size() < 4 || segment[0] != 'v' || segment.find('.') == std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(segment.c_str() + 1, &end);
  if (end != segment.c_str() + segment.size() || value < kMinVersion || value > kMaxVersion)
    return std::nullopt;
  return segment.substr(1);
}

// The org of the call's access token (Bearer, or the older "OAuth <token>"), when live.
std::optional<http::Response> authorize(State& state, Call& call) {
  std::string token = http::bearer_token(call.request);
  if (token.empty()) {
    const std::string_view auth = call.request.header("authorization");
    if (auth.rfind("OAuth ", 0) == 0) token = std::string(auth.substr(6));
  }
  const auto owner = state.token_org.find(token);
  const std::int64_t now = state.now_ms();
  if (owner == state.token_org.end())
    return salesforce::error_response(401, "INVALID_SESSION_ID", "Session expired or invalid");
  Org& org = *state.orgs.at(owner->second);
  if (const auto expiry = org.access_tokens.find(token);
      expiry == org.access_tokens.end() || expiry->second <= now)
    return salesforce::error_response(401, "INVALID_SESSION_ID", "Session expired or invalid");
  call.org = &org;
  return std::nullopt;
}

http::Response api_versions(State&, Call&) {
  json versions = json::array();
  for (int v = 58; v <= static_cast<int>(kMaxVersion); ++v) {
    static const char* const kSeasons[] = {"Summer", "Winter", "Spring"};
    const int season_year = 23 + (v - 58 + 2) / 3;  // v58 is Summer '23, then three releases a year
    versions.push_back({{"label", std::string(kSeasons[(v - 58) % 3]) + " '" + std::to_string(season_year)},
                        {"url", "/services/data/v" + std::to_string(v) + ".0"},
                        {"version", std::to_string(v) + ".0"}});
  }
  return json_response(200, versions);
}

http::Response api_userinfo(State&, Call& call) {
  const Org& org = *call.org;
  const std::string base = instance_url(call.request);
  const User& user = org.users.at(org.api_user_id);
  return json_response(200, {{"sub", base + "/id/" + org.id + "/" + user.id},
                             {"user_id", user.id},
                             {"organization_id", org.id},
                             {"preferred_username", user.email},
                             {"name", user.name},
                             {"email", user.email},
                             {"zoneinfo", "America/Los_Angeles"},
                             {"active", true},
                             {"urls",
                              {{"rest", base + "/services/data/v{version}/"},
                               {"query", base + "/services/data/v{version}/query/"}}}});
}

http::Response api_version_root(State&, Call& call) {
  const std::string root = "/services/data/v" + call.version;
  return json_response(200, {{"sobjects", root + "/sobjects"},
                             {"query", root + "/query"},
                             {"queryAll", root + "/queryAll"},
                             {"limits", root + "/limits"}});
}

http::Response api_limits(State&, Call& call) {
  const Org& org = *call.org;
  return json_response(
      200, {{"DailyApiRequests", {{"Max", org.api_limit}, {"Remaining", org.api_limit - org.api_usage}}}});
}

http::Response api_token(State& state, Call& call) {
  const http::Request& request = call.request;
  const auto form = http::parse_query(request.body);
  auto field = [&](const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  auto refuse = [](const std::string& error, const std::string& description) {
    return json_response(400, {{"error", error}, {"error_description", description}});
  };
  if (field("grant_type") != "refresh_token")
    return refuse("unsupported_grant_type", "grant type not supported");
  const std::string refresh = field("refresh_token");
  const auto owner = state.refresh_org.find(refresh);
  if (refresh.empty() || owner == state.refresh_org.end())
    return refuse("invalid_grant", "expired access/refresh token");
  Org& org = *state.orgs.at(owner->second);
  const RefreshGrant& grant = org.refresh_tokens.at(refresh);
  if (!grant.client_id.empty() && field("client_id") != grant.client_id)
    return refuse("invalid_client_id", "client identifier invalid");
  if (!grant.client_secret.empty() && field("client_secret") != grant.client_secret)
    return refuse("invalid_client", "invalid client credentials");
  const SalesforceToken token = state.mint(org, org.access_token_ttl_s);
  const std::string base = instance_url(request);
  return json_response(200, {{"access_token", token.access_token},
                             {"signature", state.ids.hex(43)},
                             {"scope", "refresh_token api"},
                             {"instance_url", base},
                             {"id", base + "/id/" + org.id + "/" + org.api_user_id},
                             {"token_type", "Bearer"},
                             {"issued_at", std::to_string(state.now_ms())}});
}

}  // namespace

http::Response salesforce::error_response(int status, const std::string& code, const std::string& message) {
  return json_response(status, json::array({{{"message", message}, {"errorCode", code}}}));
}

template class StatefulUpstream<State>;

SalesforceSim::SalesforceSim(const Clock& clock) : StatefulUpstream(std::in_place, clock) {}

Result<SalesforceToken> SalesforceSim::mint_access_token(const std::string& org_id,
                                                         std::optional<int> ttl_s) {
  std::lock_guard lock(state_->mutex);
  salesforce::Org* org = state_->find_org(org_id);
  if (!org) return make_error("not_found", "no Salesforce org " + org_id);
  return state_->mint(*org, ttl_s.value_or(org->access_token_ttl_s));
}

bool SalesforceSim::access_token_valid(const std::string& token) {
  std::lock_guard lock(state_->mutex);
  const auto owner = state_->token_org.find(token);
  if (owner == state_->token_org.end()) return false;
  const salesforce::Org& org = *state_->orgs.at(owner->second);
  const auto expiry = org.access_tokens.find(token);
  return expiry != org.access_tokens.end() && expiry->second > state_->now_ms();
}

std::optional<int> salesforce::request_page(State& state, const http::Request& request) {
  http::PathParams params;
  if (http::match_path("/services/data/{version}/query", request.path) ||
      http::match_path("/services/data/{version}/queryAll", request.path))
    return 1;
  if (!http::match_path("/services/data/{version}/query/{locator}", request.path, &params) &&
      !http::match_path("/services/data/{version}/queryAll/{locator}", request.path, &params))
    return std::nullopt;
  const std::string& locator = params.at("locator");
  const auto dash = locator.rfind('-');
  if (dash == std::string::npos) return std::nullopt;
  const auto offset = parse_integer(std::string_view(locator).substr(dash + 1));
  if (!offset) return std::nullopt;
  std::lock_guard lock(state.mutex);
  for (const auto& [id, org] : state.orgs) {
    const auto cursor = org->cursors.find(locator.substr(0, dash));
    if (cursor != org->cursors.end())
      return static_cast<int>(std::min<long long>(*offset / cursor->second.batch + 1, 1'000'000));
  }
  return std::nullopt;
}

std::optional<http::Response> salesforce::serve_api(State& state, const http::Request& request) {
  using Routes = SimRoutes<http::Response (*)(State&, Call&)>;
  // No token needed, and not counted.
  static const Routes kOpen{
      {"GET", "/services/data", api_versions},
      {"POST", "/services/oauth2/token", api_token},
  };
  // A live access token needed; every call counts against the org's daily API limit.
  static const Routes kMetered{
      {"GET", "/id/{org}/{user}", api_userinfo},
      {"GET", "/services/oauth2/userinfo", api_userinfo},
      {"GET", "/services/data/{version}", api_version_root},
      {"GET", "/services/data/{version}/limits", api_limits},
      {"GET", "/services/data/{version}/query", salesforce::api_query},
      {"GET", "/services/data/{version}/queryAll", salesforce::api_query_all},
      {"GET", "/services/data/{version}/query/{locator}", salesforce::api_next_batch},
      {"GET", "/services/data/{version}/queryAll/{locator}", salesforce::api_next_batch},
  };
  if (const auto open = kOpen.match(request); open.outcome != http::MatchOutcome::not_found) {
    std::lock_guard lock(state.mutex);
    if (open.outcome == http::MatchOutcome::method_not_allowed)
      return salesforce::error_response(405, "METHOD_NOT_ALLOWED", "HTTP Method not allowed");
    Call call{RouteCall{request, open.params}};
    return open.route->handler(state, call);
  }

  const auto match = kMetered.match(request);
  // Anything under /services/data/{version}/ is the REST API: an unknown resource there still
  // needs a token, counts, and is a 404 of Salesforce's own shape.
  const auto segments = http::split_path(request.path);
  const bool rest_api = segments.size() >= 3 && segments[0] == "services" && segments[1] == "data";
  if (match.outcome == http::MatchOutcome::not_found && !rest_api) return std::nullopt;
  std::lock_guard lock(state.mutex);
  Call call{RouteCall{request, match.params}};
  if (rest_api) {
    const auto version = parse_version(segments[2]);
    if (!version)
      return salesforce::error_response(404, "NOT_FOUND", "The requested resource does not exist");
    call.version = *version;
  }
  if (auto refused = authorize(state, call)) return refused;

  Org& org = *call.org;
  http::Response response;
  if (org.api_usage >= org.api_limit) {
    response = salesforce::error_response(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
  } else if (request.method != "GET") {
    response = salesforce::error_response(
        405, "METHOD_NOT_ALLOWED", "HTTP Method '" + request.method + "' not allowed. Allowed are GET");
  } else {
    ++org.api_usage;
    response = match.outcome == http::MatchOutcome::found
                   ? match.route->handler(state, call)
                   : salesforce::error_response(404, "NOT_FOUND", "The requested resource does not exist");
  }
  response.headers.emplace_back("Sforce-Limit-Info", "api-usage=" + std::to_string(org.api_usage) + "/" +
                                                         std::to_string(org.api_limit));
  return response;
}

Org* State::find_org(const std::string& id) {
  const auto it = orgs.find(id);
  return it == orgs.end() ? nullptr : it->second.get();
}

std::int64_t State::now_ms() const { return to_epoch_ms(clock.now()); }

SalesforceToken State::mint(Org& org, int ttl_s) {
  // Real access tokens start with the 15-character org id and a '!'.
  SalesforceToken token{org.id.substr(0, 15) + "!AQ" + ids.hex(40), now_ms() + ttl_s * 1000LL, org.id,
                        org.api_user_id};
  org.access_tokens[token.access_token] = token.expires_at_ms;
  token_org[token.access_token] = org.id;
  return token;
}

}  // namespace tenantsync::sim
