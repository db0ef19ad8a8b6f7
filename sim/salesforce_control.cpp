// The /_sim/salesforce/ control API: orgs with their tokens and limit, users, Leads and Contacts.
// The route table at the end is the list of endpoints; resolve looks up the records a path names
// before any handler runs.
#include <algorithm>

#include "control_api.hpp"
#include "oauth_tokens.hpp"
#include "salesforce_state.hpp"

namespace tenantsync::sim {

using salesforce::Call;
using salesforce::Org;
using salesforce::State;
using salesforce::User;

namespace {

json user_json(const User& user) { return {{"Id", user.id}, {"Name", user.name}, {"Email", user.email}}; }

std::optional<http::Response> resolve(State& state, Call& call) {
  if (const std::string* id = call.find_param("org")) {
    call.org = state.find_org(*id);
    if (!call.org) return control_error(404, "not_found", "no org " + *id);
  }
  if (const std::string* object = call.find_param("object")) {
    if (*object != "leads" && *object != "contacts")
      return control_error(404, "not_found", "no such control endpoint");
    call.leads = *object == "leads";
  }
  if (const std::string* id = call.find_param("record")) {
    auto& records = call.org->records(call.leads);
    const auto it = records.find(*id);
    if (it == records.end()) return control_error(404, "not_found", "no record " + *id);
    call.record = &it->second;
  }
  return std::nullopt;
}

// Name, token lifetime, limit and usage; reset_usage sets the usage to 0.
http::Response patch_org(State&, Call& call) {
  return patch_summary<&Call::org>(call, [](Org& org, const json& body) {
    take_values(body, "name", org.name, "access_token_ttl_s", org.access_token_ttl_s, "api_limit",
                org.api_limit, "api_usage", org.api_usage);
    if (body.value("reset_usage", false)) org.api_usage = 0;
  });
}

http::Response delete_org(State& state, Call& call) {
  for (const auto& [token, expiry] : call.org->access_tokens) state.token_org.erase(token);
  for (const auto& [token, grant] : call.org->refresh_tokens) state.refresh_org.erase(token);
  const std::string id = call.org->id;
  state.orgs.erase(id);
  return json_response(200, {{"deleted", id}});
}

// Mints an access token without OAuth: {access_token?, expires_in?}.
http::Response add_access_token(State& state, Call& call) {
  Org& org = *call.org;
  const auto body = parse_json_body(call.request);
  const json spec = body && body->is_object() ? *body : json::object();
  const int ttl = spec.value("expires_in", org.access_token_ttl_s);
  SalesforceToken token = state.mint(org, ttl);
  if (spec.contains("access_token")) {
    const std::string wanted = spec["access_token"].get<std::string>();
    org.access_tokens.erase(token.access_token);
    state.token_org.erase(token.access_token);
    if (state.token_org.count(wanted)) return control_error(409, "conflict", "the token is already in use");
    token.access_token = wanted;
    org.access_tokens[wanted] = token.expires_at_ms;
    state.token_org[wanted] = org.id;
  }
  return json_response(201, {{"access_token", token.access_token},
                             {"expires_in", ttl},
                             {"instance_url", instance_url(call.request)}});
}

http::Response list_users(State&, Call& call) {
  return json_response(
      200, json_array_of(call.org->users, [](const auto& entry) { return user_json(entry.second); }));
}

http::Response add_users(State& state, Call& call) {
  Org& org = *call.org;
  return add_one_or_many(call.request, [&](const json& item) -> Result<json> {
    if (!item.is_object()) return make_error("bad_request", "a user is a JSON object");
    User user{item.value("Id", state.new_id(org, "005")), item.value("Name", std::string("Sales Rep")), ""};
    user.email = item.value("Email", salesforce::lower_case(user.id) + "@sales.example");
    if (org.users.count(user.id)) return make_error("conflict", "user " + user.id + " exists");
    org.users.emplace(user.id, user);
    return user_json(user);
  });
}

http::Response generate_records(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  SalesforceGenerateSpec spec;
  spec.leads = body->value("leads", 0);
  spec.contacts = body->value("contacts", 0);
  spec.owners = body->value("owners", 0);
  spec.days = body->value("days", 30);
  spec.seed = body->value("seed", std::uint64_t{1});
  if (spec.leads + static_cast<long long>(spec.contacts) > 2'000'000 || spec.owners > 10'000)
    return control_error(400, "bad_request", "at most 2,000,000 records and 10,000 owners per call");
  return control_answer(state.generate(*call.org, spec), 201);
}

http::Response list_records(State&, Call& call) {
  return json_response(200, json_array_of(call.org->records(call.leads), [&](const auto& entry) {
                         return salesforce::record_control_json(entry.second, call.org->users);
                       }));
}

http::Response add_records(State& state, Call& call) {
  return add_one_or_many(call.request,
                         [&](const json& item) { return state.add_record(*call.org, call.leads, item); });
}

// Purges every Lead or Contact: gone even from queryAll.
http::Response purge_records(State&, Call& call) {
  call.org->records(call.leads).clear();
  return json_response(200, {{"deleted", "all"}});
}

http::Response get_record(State&, Call& call) {
  return json_response(200, salesforce::record_control_json(*call.record, call.org->users));
}

// The fields given (null clears one); SystemModstamp moves to now unless given.
http::Response patch_record(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (auto patched = state.update_record(*call.org, call.leads, call.record->id, *body); !patched)
    return control_error(patched.error());
  return json_response(200, salesforce::record_control_json(*call.record, call.org->users));
}

// As in Salesforce, a deleted record goes to the recycle bin: IsDeleted, seen only by queryAll.
// ?purge=true removes it everywhere.
http::Response delete_record(State& state, Call& call) {
  if (call.request.query_param("purge").value_or("") == "true") {
    call.org->records(call.leads).erase(call.record->id);
    return json_response(200, {{"purged", call.param("record")}});
  }
  call.record->is_deleted = true;
  call.record->modstamp_ms = state.now_ms();
  return json_response(200, salesforce::record_control_json(*call.record, call.org->users));
}

}  // namespace

std::optional<http::Response> salesforce::serve_control(State& state, const http::Request& request) {
  // {object} is "leads" or "contacts"; the literal routes beside it take precedence.
  static const ControlRoutes<State, Call> kRoutes{
      {"/_sim/salesforce/orgs",
       {{"GET", list_summaries<&State::orgs>}, {"POST", create_from_body<&State::create_org>}}},
      {"/_sim/salesforce/orgs/{org}",
       {{"GET", get_summary<&Call::org>}, {"PATCH", patch_org}, {"DELETE", delete_org}}},
      {"/_sim/salesforce/orgs/{org}/refresh_tokens",
       {{"POST", add_refresh_token<&Call::org, &State::refresh_org>}}},
      {"/_sim/salesforce/orgs/{org}/refresh_tokens/{token}",
       {{"DELETE", revoke_refresh_token<&Call::org, &State::refresh_org>}}},
      {"/_sim/salesforce/orgs/{org}/access_tokens", {{"POST", add_access_token}}},
      {"/_sim/salesforce/orgs/{org}/access_tokens/expire", {{"POST", expire_access_tokens<&Call::org>}}},
      {"/_sim/salesforce/orgs/{org}/users", {{"GET", list_users}, {"POST", add_users}}},
      {"/_sim/salesforce/orgs/{org}/generate", {{"POST", generate_records}}},
      {"/_sim/salesforce/orgs/{org}/{object}",
       {{"GET", list_records}, {"POST", add_records}, {"DELETE", purge_records}}},
      {"/_sim/salesforce/orgs/{org}/{object}/{record}",
       {{"GET", get_record}, {"PATCH", patch_record}, {"DELETE", delete_record}}},
  };
  std::lock_guard lock(state.mutex);
  return dispatch_control(state, kRoutes, resolve, request);
}

}  // namespace tenantsync::sim
