// The simulated HubSpot app's webhooks: a change made through the control API (a contact created,
// changed, deleted, merged or restored) is POSTed to the configured target as a signed v3 batch of
// one event, as HubSpot does (X-HubSpot-Signature-v3 = base64 HMAC-SHA256 of method + URI + body +
// timestamp with the app's client secret). Also the batch read of contacts by id that a receiver
// uses to fetch what changed. Sending is loopback_webhooks.hpp's (loopback addresses only).
#include <sodium.h>

#include <cstring>

#include "control_api.hpp"
#include "hubspot_state.hpp"

namespace tenantsync::sim {

using hubspot::Call;
using hubspot::Contact;
using hubspot::Portal;
using hubspot::State;
using nlohmann::json;

namespace {

std::string sign_v3(const std::string& secret, const std::string& method, const std::string& uri,
                    const std::string& body, const std::string& timestamp) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  for (const std::string* part : {&method, &uri, &body, &timestamp})
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(part->data()), part->size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  std::string out(sodium_base64_encoded_len(sizeof mac, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

json settings_json(const hubspot::WebhookSettings& s) {
  return {{"target_url", s.target_url}, {"app_id", s.app_id},         {"delay_ms", s.delay_ms},
          {"attempts", s.attempts},     {"duplicates", s.duplicates}, {"out_of_order", s.out_of_order},
          {"changes", s.changes}};
}

}  // namespace

void hubspot::contact_changed(State& state, const Portal& portal, const std::string& kind, long long object_id,
                              const json& extra) {
  WebhookSettings& s = state.webhook_settings;
  if (s.target_url.empty()) return;
  json event = {{"eventId", s.next_event_id++},   {"subscriptionId", 1},
                {"portalId", portal.id},          {"appId", s.app_id},
                {"occurredAt", state.now_ms()},   {"subscriptionType", kind},
                {"attemptNumber", 0},             {"objectId", object_id},
                {"changeSource", "CRM_UI"}};
  if (extra.is_object()) event.update(extra);
  const std::string body = json::array({event}).dump();
  const std::int64_t send_at = state.now_ms() + s.delay_ms;
  const std::string timestamp = std::to_string(send_at);
  WebhookDelivery d{s.target_url,
                    {{"X-HubSpot-Signature-v3", sign_v3(s.client_secret, "POST", s.target_url, body, timestamp)},
                     {"X-HubSpot-Signature-Version", "v3"},
                     {"X-HubSpot-Request-Timestamp", timestamp}},
                    body,
                    s.attempts};
  const bool hold_back = s.out_of_order && s.changes % 2 == 0;
  ++s.changes;
  const std::chrono::milliseconds delay(s.delay_ms + (hold_back ? 400 : 0));
  state.webhooks.send(delay, d);
  if (s.duplicates) state.webhooks.send(delay + std::chrono::milliseconds(100), d);
}

http::Response hubspot::get_webhooks(State& state, Call&) {
  json out = settings_json(state.webhook_settings);
  const auto t = state.webhooks.totals();
  out["sent"] = t.sent;
  out["failed"] = t.failed;
  out["pending"] = t.pending;
  return json_response(200, out);
}

http::Response hubspot::put_webhooks(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  WebhookSettings next = state.webhook_settings;
  if (body->contains("target_url")) {
    if (!(*body)["target_url"].is_string()) return control_error(400, "bad_request", "target_url is a string");
    next.target_url = (*body)["target_url"].get<std::string>();
    if (!next.target_url.empty() && !is_loopback_http_url(next.target_url))
      return control_error(400, "bad_request", "the simulator sends webhooks to http:// loopback addresses only");
  }
  if (body->contains("client_secret")) {
    if (!(*body)["client_secret"].is_string()) return control_error(400, "bad_request", "client_secret is a string");
    next.client_secret = (*body)["client_secret"].get<std::string>();
  }
  const auto int_in = [&](const char* name, int& field, int min, int max) {
    if (!body->contains(name)) return true;
    const json& v = (*body)[name];
    if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > max) return false;
    field = static_cast<int>(v.get<long long>());
    return true;
  };
  if (!int_in("delay_ms", next.delay_ms, 0, 60'000) || !int_in("attempts", next.attempts, 1, 10))
    return control_error(400, "bad_request", "delay_ms is 0-60000, attempts 1-10");
  for (const auto& [name, field] : {std::pair{"duplicates", &next.duplicates}, std::pair{"out_of_order", &next.out_of_order}}) {
    if (!body->contains(name)) continue;
    if (!(*body)[name].is_boolean()) return control_error(400, "bad_request", std::string(name) + " is true or false");
    *field = (*body)[name].get<bool>();
  }
  if (body->contains("app_id") && (*body)["app_id"].is_number_integer()) next.app_id = (*body)["app_id"].get<long long>();
  state.webhook_settings = next;
  return json_response(200, settings_json(next));
}

// HubSpot merges `contact` into `into`: the merged-away record is gone (read by id it is not
// found), the survivor is changed, and one contact.merge event names both.
http::Response hubspot::merge_contact(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  if (!body->contains("into") || !(*body)["into"].is_number_integer())
    return control_error(400, "bad_request", "into (the surviving contact's id) is required");
  const long long into = (*body)["into"].get<long long>();
  Portal& portal = *call.portal;
  const auto survivor = portal.contacts.find(into);
  if (survivor == portal.contacts.end() || into == call.contact->id)
    return control_error(404, "not_found", "no other contact " + std::to_string(into));
  const long long merged = call.contact->id;
  call.contact->archived = true;
  call.contact->archived_ms = state.now_ms();
  portal.unindex(survivor->second);
  survivor->second.updated_ms = state.now_ms();
  survivor->second.set("hs_merged_object_ids", std::to_string(merged));
  portal.index(survivor->second);
  contact_changed(state, portal, "contact.merge", into,
                  {{"primaryObjectId", into}, {"mergedObjectIds", json::array({merged})}});
  return json_response(200, hubspot::contact_full_json(survivor->second));
}

http::Response hubspot::restore_contact(State& state, Call& call) {
  Portal& portal = *call.portal;
  portal.unindex(*call.contact);
  call.contact->archived = false;
  call.contact->archived_ms = 0;
  call.contact->updated_ms = state.now_ms();
  portal.index(*call.contact);
  contact_changed(state, portal, "contact.restore", call.contact->id, json::object());
  return json_response(200, hubspot::contact_full_json(*call.contact));
}

http::Response hubspot::api_batch_read(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  if (!body || !body->is_object() || !body->contains("inputs") || !(*body)["inputs"].is_array())
    return state.error(400, "VALIDATION_ERROR", "Invalid input JSON: inputs is required");
  const json& inputs = (*body)["inputs"];
  if (inputs.size() > 100) return state.error(400, "VALIDATION_ERROR", "at most 100 inputs per batch");
  std::vector<std::string> properties;
  if (body->contains("properties") && (*body)["properties"].is_array())
    for (const json& p : (*body)["properties"])
      if (p.is_string()) properties.push_back(p.get<std::string>());
  if (properties.empty()) properties = default_list_properties();
  json results = json::array();
  json missing = json::array();
  for (const json& input : inputs) {
    std::string id_text;
    if (input.is_object() && input.contains("id"))
      id_text = input["id"].is_string() ? input["id"].get<std::string>() : input["id"].dump();
    const auto id = parse_integer(id_text);
    const auto it = id ? call.portal->contacts.find(*id) : call.portal->contacts.end();
    if (it == call.portal->contacts.end() || it->second.archived) {
      missing.push_back(id_text);
      continue;
    }
    results.push_back(contact_json(it->second, properties));
  }
  json answer = {{"status", "COMPLETE"}, {"results", results}};
  if (missing.empty()) return json_response(200, answer);
  answer["numErrors"] = missing.size();
  answer["errors"] = json::array({{{"status", "error"},
                                   {"category", "OBJECT_NOT_FOUND"},
                                   {"message", "Could not get some CONTACT objects, they may be deleted or not exist."},
                                   {"context", {{"ids", missing}}}}});
  return json_response(207, answer);
}

}  // namespace tenantsync::sim
