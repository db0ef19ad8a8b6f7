// The /_sim/hubspot/ control API: portals with their tokens and limits, owners and contacts.
// The route table at the end is the list of endpoints; resolve looks up the records a path names
// before any handler runs.
#include <algorithm>

#include "control_api.hpp"
#include "hubspot_state.hpp"
#include "oauth_tokens.hpp"

namespace tenantsync::sim {

using hubspot::Call;
using hubspot::Owner;
using hubspot::Portal;
using hubspot::State;

namespace {

std::optional<http::Response> resolve(State& state, Call& call) {
  if (const std::string* id = call.find_param("portal")) {
    const auto number = parse_integer(*id);
    call.portal = number ? state.find_portal(*number) : nullptr;
    if (!call.portal) return control_error(404, "not_found", "no portal " + *id);
  }
  if (const std::string* id = call.find_param("owner")) {
    auto& owners = call.portal->owners;
    const auto it = std::find_if(owners.begin(), owners.end(), [&](const Owner& o) { return o.id == *id; });
    if (it == owners.end()) return control_error(404, "not_found", "no owner " + *id);
    call.owner = &*it;
  }
  if (const std::string* id = call.find_param("contact")) {
    const auto number = parse_integer(*id);
    const auto it = number ? call.portal->contacts.find(*number) : call.portal->contacts.end();
    if (it == call.portal->contacts.end()) return control_error(404, "not_found", "no contact " + *id);
    call.contact = &it->second;
  }
  return std::nullopt;
}

// Limits and the token lifetime; reset_usage clears the windows and the daily count.
http::Response patch_portal(State&, Call& call) {
  return patch_summary<&Call::portal>(call, [](Portal& portal, const json& body) {
    take_values(body, "time_zone", portal.time_zone, "access_token_ttl_s", portal.access_token_ttl_s,
                "burst_max", portal.burst_max, "daily_max", portal.daily_max, "search_per_second",
                portal.search_per_second);
    if (body.value("reset_usage", false)) {
      portal.daily_used = 0;
      portal.burst_window.clear();
      portal.search_window.clear();
    }
  });
}

http::Response delete_portal(State& state, Call& call) {
  const long long id = call.portal->id;
  for (const auto& t : call.portal->private_tokens) state.token_portal.erase(t);
  for (const auto& [t, expiry] : call.portal->access_tokens) state.token_portal.erase(t);
  for (const auto& [t, grant] : call.portal->refresh_tokens) state.refresh_portal.erase(t);
  state.portals.erase(id);
  return json_response(200, {{"deleted", id}});
}

// Another private-app token: {token}.
http::Response add_token(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  const std::string token = body->value("token", std::string());
  if (token.empty()) return control_error(400, "bad_request", "token is required");
  if (state.token_portal.count(token)) return control_error(409, "conflict", "the token is already in use");
  call.portal->private_tokens.push_back(token);
  state.token_portal[token] = call.portal->id;
  return json_response(201, call.portal->summary());
}

// Revokes a private-app or access token.
http::Response revoke_token(State& state, Call& call) {
  const std::string& token = call.param("token");
  const auto it = state.token_portal.find(token);
  if (it == state.token_portal.end() || it->second != call.portal->id)
    return control_error(404, "not_found", "no such token");
  state.token_portal.erase(it);
  std::erase(call.portal->private_tokens, token);
  call.portal->access_tokens.erase(token);
  return json_response(200, {{"revoked", token}});
}

// Mints an access token without OAuth: {access_token?, expires_in?}.
http::Response add_access_token(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  const json spec = body && body->is_object() ? *body : json::object();
  const std::string token = spec.value("access_token", "sim-at-" + state.ids.hex(32));
  if (state.token_portal.count(token)) return control_error(409, "conflict", "the token is already in use");
  const int ttl = spec.value("expires_in", call.portal->access_token_ttl_s);
  call.portal->access_tokens[token] = state.now_ms() + ttl * 1000LL;
  state.token_portal[token] = call.portal->id;
  return json_response(201, {{"access_token", token}, {"expires_in", ttl}});
}

http::Response list_owners(State&, Call& call) {
  return json_response(200, json_array_of(call.portal->owners, hubspot::owner_json));
}

http::Response add_owners(State& state, Call& call) {
  Portal& portal = *call.portal;
  return add_one_or_many(call.request, [&](const json& item) -> Result<json> {
    if (!item.is_object()) return make_error("bad_request", "an owner is a JSON object");
    Owner owner;
    owner.id = item.contains("id")
                   ? (item["id"].is_string() ? item["id"].get<std::string>() : item["id"].dump())
                   : std::to_string(10'000'000 + state.ids.below(90'000'000));
    if (std::any_of(portal.owners.begin(), portal.owners.end(),
                    [&](const Owner& o) { return o.id == owner.id; }))
      return make_error("conflict", "owner " + owner.id + " exists");
    owner.email = item.value("email", "owner" + owner.id + "@sales.example");
    owner.first_name = item.value("firstName", std::string("Owner"));
    owner.last_name = item.value("lastName", owner.id);
    owner.user_id = item.value("userId", 1'000'000LL + static_cast<long long>(state.ids.below(9'000'000)));
    owner.archived = item.value("archived", false);
    owner.created_ms = owner.updated_ms = state.now_ms();
    portal.owners.push_back(owner);
    return hubspot::owner_json(owner);
  });
}

http::Response patch_owner(State& state, Call& call) {
  Owner& owner = *call.owner;
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  for (auto [name, field] :
       {std::pair{"email", &owner.email}, {"firstName", &owner.first_name}, {"lastName", &owner.last_name}})
    *field = body->value(name, *field);
  owner.archived = body->value("archived", owner.archived);
  owner.updated_ms = state.now_ms();
  return json_response(200, hubspot::owner_json(owner));
}

// HubSpot archives owners; old contacts keep pointing at them.
http::Response archive_owner(State& state, Call& call) {
  call.owner->archived = true;
  call.owner->updated_ms = state.now_ms();
  return json_response(200, hubspot::owner_json(*call.owner));
}

http::Response list_contacts(State&, Call& call) {
  return json_response(200, json_array_of(call.portal->contacts, [](const auto& entry) {
                         return hubspot::contact_full_json(entry.second);
                       }));
}

http::Response add_contacts(State& state, Call& call) {
  return add_one_or_many(call.request, [&](const json& item) {
    auto added = state.add_contact(*call.portal, item);
    if (added && added->contains("id"))
      hubspot::contact_changed(state, *call.portal, "contact.creation",
                               std::stoll((*added)["id"].is_string() ? (*added)["id"].get<std::string>()
                                                                      : (*added)["id"].dump()),
                               json::object());
    return added;
  });
}

// Purges every contact: gone from lists, search and the archive.
http::Response purge_contacts(State&, Call& call) {
  call.portal->contacts.clear();
  call.portal->by_modified.clear();
  return json_response(200, {{"deleted", "all"}});
}

http::Response generate_contacts(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  HubSpotGenerateSpec spec;
  spec.contacts = body->value("contacts", 0);
  spec.owners = body->value("owners", 0);
  spec.days = body->value("days", 30);
  spec.seed = body->value("seed", std::uint64_t{1});
  if (spec.contacts > 2'000'000 || spec.owners > 10'000)
    return control_error(400, "bad_request", "at most 2,000,000 contacts and 10,000 owners per call");
  return control_answer(state.generate(*call.portal, spec), 201);
}

http::Response get_contact(State&, Call& call) {
  return json_response(200, hubspot::contact_full_json(*call.contact));
}

// Properties (null removes one), archived, updatedAt; lastmodifieddate moves to now unless given.
http::Response patch_contact(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (auto patched = state.update_contact(*call.portal, call.contact->id, *body); !patched)
    return control_error(patched.error());
  hubspot::contact_changed(state, *call.portal, "contact.propertyChange", call.contact->id, json::object());
  return json_response(200, hubspot::contact_full_json(*call.contact));
}

// As in HubSpot, a deleted contact is archived: listed only with archived=true, never searched.
// ?purge=true removes it everywhere.
http::Response delete_contact(State& state, Call& call) {
  const std::string& id = call.param("contact");
  if (call.request.query_param("purge").value_or("") == "true") {
    call.portal->unindex(*call.contact);
    call.portal->contacts.erase(call.contact->id);
    return json_response(200, {{"purged", id}});
  }
  call.contact->archived = true;
  call.contact->archived_ms = state.now_ms();
  hubspot::contact_changed(state, *call.portal, "contact.deletion", call.contact->id, json::object());
  return json_response(200, {{"archived", id}});
}

}  // namespace

std::optional<http::Response> hubspot::serve_control(State& state, const http::Request& request) {
  static const ControlRoutes<State, Call> kRoutes{
      {"/_sim/hubspot/portals",
       {{"GET", list_summaries<&State::portals>}, {"POST", create_from_body<&State::create_portal>}}},
      {"/_sim/hubspot/portals/{portal}",
       {{"GET", get_summary<&Call::portal>}, {"PATCH", patch_portal}, {"DELETE", delete_portal}}},
      {"/_sim/hubspot/portals/{portal}/tokens", {{"POST", add_token}}},
      {"/_sim/hubspot/portals/{portal}/tokens/{token}", {{"DELETE", revoke_token}}},
      {"/_sim/hubspot/portals/{portal}/refresh_tokens",
       {{"POST", add_refresh_token<&Call::portal, &State::refresh_portal>}}},
      {"/_sim/hubspot/portals/{portal}/refresh_tokens/{token}",
       {{"DELETE", revoke_refresh_token<&Call::portal, &State::refresh_portal>}}},
      {"/_sim/hubspot/portals/{portal}/access_tokens", {{"POST", add_access_token}}},
      {"/_sim/hubspot/portals/{portal}/access_tokens/expire",
       {{"POST", expire_access_tokens<&Call::portal>}}},
      {"/_sim/hubspot/portals/{portal}/owners", {{"GET", list_owners}, {"POST", add_owners}}},
      {"/_sim/hubspot/portals/{portal}/owners/{owner}", {{"PATCH", patch_owner}, {"DELETE", archive_owner}}},
      {"/_sim/hubspot/portals/{portal}/contacts",
       {{"GET", list_contacts}, {"POST", add_contacts}, {"DELETE", purge_contacts}}},
      {"/_sim/hubspot/portals/{portal}/contacts/generate", {{"POST", generate_contacts}}},
      {"/_sim/hubspot/webhooks", {{"GET", hubspot::get_webhooks}, {"PUT", hubspot::put_webhooks}}},
      {"/_sim/hubspot/portals/{portal}/contacts/{contact}/merge", {{"POST", hubspot::merge_contact}}},
      {"/_sim/hubspot/portals/{portal}/contacts/{contact}/restore", {{"POST", hubspot::restore_contact}}},
      {"/_sim/hubspot/portals/{portal}/contacts/{contact}",
       {{"GET", get_contact}, {"PATCH", patch_contact}, {"DELETE", delete_contact}}},
  };
  std::lock_guard lock(state.mutex);
  if (request.method != "GET") ++state.contacts_version;  // anything but a read may change contacts
  return dispatch_control(state, kRoutes, resolve, request);
}

}  // namespace tenantsync::sim
