// The simulated HubSpot API: its route table, token checks and rate limits, the OAuth token
// endpoints, and the page of a paged request (for page-scoped faults); HubSpotSim's entry points.
// The reads are in hubspot_reads.cpp, the control API in hubspot_control.cpp.
#include <algorithm>
#include <limits>

#include "hubspot_state.hpp"
#include "sim_http.hpp"
#include "sim_routes.hpp"

namespace tenantsync::sim {

using hubspot::Call;
using hubspot::Portal;
using hubspot::State;
using nlohmann::json;

namespace {

constexpr std::int64_t kBurstWindowMs = 10'000;

/// How an endpoint is guarded: no token (the OAuth endpoints), the rolling burst window with its
/// X-HubSpot-RateLimit headers, or search's own per-second limit (no headers). All but the
/// first need a live token and count against the daily budget.
enum class Limit { none, burst, search };

struct Endpoint {
  http::Response (*serve)(State&, Call&);
  Limit limit;
};

http::Response rate_limited(State& state, const std::string& policy, const std::string& what) {
  return json_response(429, {{"status", "error"},
                             {"message", "You have reached your " + what + " limit."},
                             {"errorType", "RATE_LIMIT"},
                             {"correlationId", state.ids.uuid()},
                             {"policyName", policy}});
}

// The caller's portal by token; refuses an unknown or expired token and a spent daily budget.
std::optional<http::Response> authorize(State& state, Call& call) {
  const std::string token = http::bearer_token(call.request);
  const auto token_it = state.token_portal.find(token);
  if (token_it == state.token_portal.end())
    return state.error(
        401, "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
        "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
  Portal& portal = *state.portals.at(token_it->second);
  const std::int64_t now = state.now_ms();
  if (const auto expiry = portal.access_tokens.find(token);
      expiry != portal.access_tokens.end() && expiry->second <= now)
    return state.error(401, "EXPIRED_AUTHENTICATION",
                       "The OAuth token used to make this call expired " +
                           std::to_string((now - expiry->second) / 1000) + " second(s) ago.");
  if (portal.daily_used >= portal.daily_max) return rate_limited(state, "DAILY", "daily");
  call.portal = &portal;
  return std::nullopt;
}

http::Response paced(State& state, Call& call, const Endpoint& endpoint) {
  Portal& portal = *call.portal;
  const std::int64_t now = state.now_ms();
  if (endpoint.limit == Limit::search) {
    // Search has its own per-second limit and sends no rate-limit headers.
    while (!portal.search_window.empty() && portal.search_window.front() <= now - 1000)
      portal.search_window.pop_front();
    if (portal.search_per_second > 0 &&
        static_cast<int>(portal.search_window.size()) >= portal.search_per_second)
      return rate_limited(state, "SECONDLY", "secondly");
    portal.search_window.push_back(now);
    ++portal.daily_used;
    return endpoint.serve(state, call);
  }

  while (!portal.burst_window.empty() && portal.burst_window.front() <= now - kBurstWindowMs)
    portal.burst_window.pop_front();
  http::Response response;
  if (portal.burst_max > 0 && static_cast<int>(portal.burst_window.size()) >= portal.burst_max) {
    response = rate_limited(state, "TEN_SECONDLY_ROLLING", "ten_secondly_rolling");
  } else {
    portal.burst_window.push_back(now);
    ++portal.daily_used;
    response = endpoint.serve(state, call);
  }
  const long long burst_left =
      std::max<long long>(0, portal.burst_max - static_cast<long long>(portal.burst_window.size()));
  response.headers.emplace_back("X-HubSpot-RateLimit-Max", std::to_string(portal.burst_max));
  response.headers.emplace_back("X-HubSpot-RateLimit-Remaining", std::to_string(burst_left));
  response.headers.emplace_back("X-HubSpot-RateLimit-Interval-Milliseconds", std::to_string(kBurstWindowMs));
  response.headers.emplace_back("X-HubSpot-RateLimit-Daily", std::to_string(portal.daily_max));
  response.headers.emplace_back("X-HubSpot-RateLimit-Daily-Remaining",
                                std::to_string(std::max<long long>(0, portal.daily_max - portal.daily_used)));
  return response;
}

http::Response api_account(State&, Call& call) {
  const Portal& portal = *call.portal;
  return json_response(200, {{"portalId", portal.id},
                             {"accountType", "STANDARD"},
                             {"timeZone", portal.time_zone},
                             {"companyCurrency", "USD"},
                             {"additionalCurrencies", json::array()},
                             {"utcOffset", "-05:00"},
                             {"utcOffsetMilliseconds", -18'000'000},
                             {"uiDomain", "app.hubspot.com"},
                             {"dataHostingLocation", "na1"}});
}

http::Response token_grant(State& state, const http::Request& request, bool v3) {
  const auto form = http::parse_query(request.body);
  auto field = [&](const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  auto refuse = [&](const std::string& v1_status, const std::string& v3_error, const std::string& message) {
    if (v3) return json_response(400, {{"error", v3_error}, {"error_description", message}});
    return json_response(400,
                         {{"status", v1_status}, {"message", message}, {"correlationId", state.ids.uuid()}});
  };
  if (field("grant_type") != "refresh_token")
    return refuse("UNSUPPORTED_GRANT_TYPE", "unsupported_grant_type", "grant_type must be refresh_token");
  const std::string refresh = field("refresh_token");
  const auto owner = state.refresh_portal.find(refresh);
  if (refresh.empty() || owner == state.refresh_portal.end())
    return refuse("BAD_REFRESH_TOKEN", "invalid_grant", "missing or unknown refresh token");
  Portal& portal = *state.portals.at(owner->second);
  const RefreshGrant& grant = portal.refresh_tokens.at(refresh);
  if (!grant.client_id.empty() && field("client_id") != grant.client_id)
    return refuse("BAD_CLIENT_ID", "invalid_client", "missing or invalid client_id");
  if (!grant.client_secret.empty() && field("client_secret") != grant.client_secret)
    return refuse("BAD_CLIENT_SECRET", "invalid_client", "missing or invalid client_secret");
  const std::string access = "sim-at-" + state.ids.hex(32);
  portal.access_tokens[access] = state.now_ms() + portal.access_token_ttl_s * 1000LL;
  state.token_portal[access] = portal.id;
  return json_response(200, {{"token_type", "bearer"},
                             {"refresh_token", refresh},
                             {"access_token", access},
                             {"expires_in", portal.access_token_ttl_s}});
}

http::Response api_token_v1(State& state, Call& call) { return token_grant(state, call.request, false); }
http::Response api_token_v3(State& state, Call& call) { return token_grant(state, call.request, true); }

}  // namespace

template class StatefulUpstream<State>;

HubSpotSim::HubSpotSim(const Clock& clock) : StatefulUpstream(std::in_place, clock) {}

std::optional<int> hubspot::request_page(State& state, const http::Request& request) {
  const auto offset_page = [](long long offset, long long limit) {
    return static_cast<int>(
        std::min<long long>(offset / std::max(1LL, limit) + 1, std::numeric_limits<int>::max()));
  };
  if (http::match_path("/crm/v3/objects/contacts/search", request.path)) {
    const auto body = parse_json_body(request);
    if (!body || !body->is_object()) return 1;
    long long offset = 0;
    if (body->contains("after")) {
      const json& a = (*body)["after"];
      offset = a.is_number_integer() ? a.get<long long>()
                                     : parse_integer(a.is_string() ? a.get<std::string>() : "").value_or(0);
    }
    const long long limit = body->contains("limit") && (*body)["limit"].is_number_integer()
                                ? (*body)["limit"].get<long long>()
                                : 10;
    return offset_page(offset, limit);
  }
  if (http::match_path("/crm/v3/owners", request.path)) {
    const long long offset = parse_integer(request.query_param("after").value_or("0")).value_or(0);
    return offset_page(offset, parse_integer(request.query_param("limit").value_or("100")).value_or(100));
  }
  if (http::match_path("/crm/v3/objects/contacts", request.path)) {
    const auto after = request.query_param("after");
    if (!after) return 1;
    const auto after_id = parse_integer(*after);
    if (!after_id) return std::nullopt;
    const long long limit = parse_integer(request.query_param("limit").value_or("10")).value_or(10);
    // The cursor is an id; its page is how many listed contacts come before it.
    std::lock_guard lock(state.mutex);
    const auto token = state.token_portal.find(http::bearer_token(request));
    if (token == state.token_portal.end()) return std::nullopt;
    Portal& portal = *state.portals.at(token->second);
    const bool archived = request.query_param("archived").value_or("false") == "true";
    // A listing asks for its cursors in increasing order: count on from the last one.
    Portal::PageCount& memo = portal.page_count;
    const bool resume = memo.version == state.contacts_version && memo.archived == archived &&
                        memo.after >= 0 && memo.after <= *after_id;
    long long before = resume ? memo.before : 0;
    for (auto it = resume ? portal.contacts.lower_bound(memo.after) : portal.contacts.begin();
         it != portal.contacts.end() && it->first < *after_id; ++it)
      before += it->second.archived == archived ? 1 : 0;
    memo = {state.contacts_version, *after_id, archived, before};
    return offset_page(before, limit);
  }
  return std::nullopt;
}

std::optional<http::Response> hubspot::serve_api(State& state, const http::Request& request) {
  static const SimRoutes<Endpoint> kRoutes{
      {"GET", "/account-info/v3/details", {api_account, Limit::burst}},
      {"GET", "/crm/v3/objects/contacts", {hubspot::api_contacts, Limit::burst}},
      {"POST", "/crm/v3/objects/contacts/search", {hubspot::api_search, Limit::search}},
      {"POST", "/crm/v3/objects/contacts/batch/read", {hubspot::api_batch_read, Limit::burst}},
      {"GET", "/crm/v3/owners", {hubspot::api_owners, Limit::burst}},
      {"POST", "/oauth/v1/token", {api_token_v1, Limit::none}},
      {"POST", "/oauth/v3/token", {api_token_v3, Limit::none}},
  };
  const auto match = kRoutes.match(request);
  if (match.outcome == http::MatchOutcome::not_found) return std::nullopt;
  std::lock_guard lock(state.mutex);
  if (match.outcome == http::MatchOutcome::method_not_allowed)
    return state.error(405, "VALIDATION_ERROR", "HTTP method not allowed on this endpoint");
  const Endpoint& endpoint = match.route->handler;
  Call call{RouteCall{request, match.params}};
  if (endpoint.limit == Limit::none) return endpoint.serve(state, call);
  if (auto refused = authorize(state, call)) return refused;
  return paced(state, call, endpoint);
}

Result<std::pair<std::string, std::int64_t>> HubSpotSim::mint_access_token(long long portal_id,
                                                                           std::optional<int> ttl_s) {
  std::lock_guard lock(state_->mutex);
  Portal* portal = state_->find_portal(portal_id);
  if (!portal) return make_error("not_found", "no HubSpot portal " + std::to_string(portal_id));
  const std::string access = "sim-at-" + state_->ids.hex(32);
  const std::int64_t expires_at = state_->now_ms() + ttl_s.value_or(portal->access_token_ttl_s) * 1000LL;
  portal->access_tokens[access] = expires_at;
  state_->token_portal[access] = portal->id;
  return std::pair{access, expires_at};
}

bool HubSpotSim::access_token_valid(const std::string& token) {
  std::lock_guard lock(state_->mutex);
  const auto owner = state_->token_portal.find(token);
  if (owner == state_->token_portal.end()) return false;
  const Portal& portal = *state_->portals.at(owner->second);
  const auto expiry = portal.access_tokens.find(token);
  return expiry == portal.access_tokens.end() || expiry->second > state_->now_ms();
}

Portal* State::find_portal(long long id) {
  const auto it = portals.find(id);
  return it == portals.end() ? nullptr : it->second.get();
}

std::int64_t State::now_ms() const { return to_epoch_ms(clock.now()); }

http::Response State::error(int status, const std::string& category, const std::string& message) {
  return json_response(
      status,
      {{"status", "error"}, {"message", message}, {"correlationId", ids.uuid()}, {"category", category}});
}

}  // namespace tenantsync::sim
