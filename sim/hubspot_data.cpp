// HubSpot portals and their records: creating portals, adding and editing contacts (as the
// control API does), and generated data that looks like a real portal's, the same for the same seed.
#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/time_format.hpp"
#include "hubspot_state.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::hubspot {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

const char* const kFirstNames[] = {"Ada",     "Grace", "Alan",     "Edsger", "Barbara", "Donald",
                                   "Frances", "Ken",   "Margaret", "Dennis", "Radia",   "Linus"};
const char* const kLastNames[] = {"Lovelace", "Hopper",   "Turing",   "Dijkstra", "Liskov",  "Knuth",
                                  "Allen",    "Thompson", "Hamilton", "Ritchie",  "Perlman", "Torvalds"};
const char* const kStages[] = {"subscriber",         "lead",        "marketingqualifiedlead",
                               "salesqualifiedlead", "opportunity", "customer"};
const char* const kLeadStatuses[] = {"NEW",       "OPEN",       "IN_PROGRESS", "ATTEMPTED_TO_CONTACT",
                                     "CONNECTED", "UNQUALIFIED"};

}  // namespace

json Portal::summary() const {
  long long archived = 0;
  for (const auto& [id, contact] : contacts) archived += contact.archived ? 1 : 0;
  long long archived_owners = 0;
  for (const auto& owner : owners) archived_owners += owner.archived ? 1 : 0;
  return {{"portal_id", id},
          {"time_zone", time_zone},
          {"tokens", private_tokens},
          {"access_tokens", access_tokens.size()},
          {"refresh_tokens",
           [&] {
             json list = json::array();
             for (const auto& [token, grant] : refresh_tokens) list.push_back(token);
             return list;
           }()},
          {"access_token_ttl_s", access_token_ttl_s},
          {"burst_max", burst_max},
          {"daily_max", daily_max},
          {"search_per_second", search_per_second},
          {"daily_used", daily_used},
          {"counts",
           {{"contacts", contacts.size() - static_cast<std::size_t>(archived)},
            {"archived_contacts", archived},
            {"owners", owners.size() - static_cast<std::size_t>(archived_owners)},
            {"archived_owners", archived_owners}}}};
}

Result<json> State::create_portal(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "a portal is a JSON object");
  auto portal = std::make_unique<Portal>();
  if (spec.contains("portal_id")) {
    if (!spec["portal_id"].is_number_integer())
      return make_error("bad_request", "portal_id must be an integer");
    portal->id = spec["portal_id"].get<long long>();
  } else {
    while (portals.count(next_portal_id)) ++next_portal_id;
    portal->id = next_portal_id++;
  }
  if (portals.count(portal->id))
    return make_error("conflict", "portal " + std::to_string(portal->id) + " exists");
  portal->time_zone = spec.value("time_zone", portal->time_zone);
  portal->access_token_ttl_s = spec.value("access_token_ttl_s", portal->access_token_ttl_s);
  portal->burst_max = spec.value("burst_max", portal->burst_max);
  portal->daily_max = spec.value("daily_max", portal->daily_max);
  portal->search_per_second = spec.value("search_per_second", portal->search_per_second);
  std::vector<std::string> tokens;
  if (spec.contains("tokens")) {
    if (!spec["tokens"].is_array()) return make_error("bad_request", "tokens is an array of strings");
    for (const auto& t : spec["tokens"]) {
      if (!t.is_string() || t.get<std::string>().empty())
        return make_error("bad_request", "tokens are non-empty strings");
      if (token_portal.count(t.get<std::string>()))
        return make_error("conflict", "a token is already in use");
      tokens.push_back(t.get<std::string>());
    }
  }
  std::map<std::string, RefreshGrant> refresh;
  if (spec.contains("refresh_tokens")) {
    if (!spec["refresh_tokens"].is_array()) return make_error("bad_request", "refresh_tokens is an array");
    for (const auto& r : spec["refresh_tokens"]) {
      const json grant = r.is_string() ? json{{"refresh_token", r}} : r;
      if (!grant.is_object() || !grant.contains("refresh_token") || !grant["refresh_token"].is_string())
        return make_error("bad_request",
                          "a refresh token is a string or {refresh_token, client_id?, client_secret?}");
      const std::string token = grant["refresh_token"].get<std::string>();
      if (refresh_portal.count(token)) return make_error("conflict", "a refresh token is already in use");
      refresh[token] = {grant.value("client_id", std::string()), grant.value("client_secret", std::string())};
    }
  }
  for (const auto& t : tokens) token_portal[t] = portal->id;
  for (const auto& [t, grant] : refresh) refresh_portal[t] = portal->id;
  portal->private_tokens = std::move(tokens);
  portal->refresh_tokens = std::move(refresh);
  json summary = portal->summary();
  portals[portal->id] = std::move(portal);
  return summary;
}

Result<json> State::add_contact(Portal& portal, const json& input) {
  if (!input.is_object()) return make_error("bad_request", "a contact is a JSON object");
  Contact contact;
  if (input.contains("id")) {
    const json& id = input["id"];
    const auto value = id.is_number_integer() ? std::optional<long long>(id.get<long long>())
                                              : parse_integer(id.is_string() ? id.get<std::string>() : "x");
    if (!value || *value < 1) return make_error("bad_request", "a contact id is a positive integer");
    contact.id = *value;
  } else {
    contact.id = portal.next_contact_id;
  }
  if (portal.contacts.count(contact.id))
    return make_error("conflict", "contact " + std::to_string(contact.id) + " exists");
  bool bad = false;
  contact.created_ms = time_field(input, "createdAt", bad).value_or(now_ms());
  contact.updated_ms = time_field(input, "updatedAt", bad).value_or(contact.created_ms);
  if (bad) return make_error("bad_request", "createdAt and updatedAt are ISO-8601 strings or epoch ms");
  contact.archived = input.value("archived", false);
  if (contact.archived) contact.archived_ms = contact.updated_ms;
  if (input.contains("properties")) {
    if (!input["properties"].is_object()) return make_error("bad_request", "properties is an object");
    for (const auto& [name, value] : input["properties"].items()) {
      if (name == "hs_object_id" || name == "createdate" || name == "lastmodifieddate") continue;
      if (value.is_null()) continue;
      contact.set(name, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  portal.next_contact_id = std::max(portal.next_contact_id, contact.id + 1);
  portal.index(contact);
  json rendered = contact_full_json(contact);
  portal.contacts.emplace(contact.id, std::move(contact));
  return rendered;
}

Status State::update_contact(Portal& portal, long long id, const json& patch) {
  if (!patch.is_object()) return make_error("bad_request", "a PATCH body is a JSON object");
  auto it = portal.contacts.find(id);
  if (it == portal.contacts.end()) return make_error("not_found", "no contact " + std::to_string(id));
  Contact& contact = it->second;
  bool bad = false;
  const auto updated = time_field(patch, "updatedAt", bad);
  if (bad) return make_error("bad_request", "updatedAt is an ISO-8601 string or epoch ms");
  if (patch.contains("properties") && !patch["properties"].is_object())
    return make_error("bad_request", "properties is an object");
  portal.unindex(contact);
  if (patch.contains("properties"))
    for (const auto& [name, value] : patch["properties"].items()) {
      if (name == "hs_object_id" || name == "createdate" || name == "lastmodifieddate") continue;
      contact.set(name, value.is_null() ? std::nullopt
                                        : std::optional<std::string>(
                                              value.is_string() ? value.get<std::string>() : value.dump()));
    }
  contact.updated_ms = updated.value_or(now_ms());
  if (patch.contains("archived") && patch["archived"].is_boolean()) {
    contact.archived = patch["archived"].get<bool>();
    contact.archived_ms = contact.archived ? contact.updated_ms : 0;
  }
  portal.index(contact);
  return {};
}

Result<json> State::generate(Portal& portal, const HubSpotGenerateSpec& spec) {
  if (spec.contacts < 0 || spec.owners < 0 || spec.days < 1)
    return make_error("bad_request", "contacts and owners are >= 0, days >= 1");
  IdGen rng(spec.seed ^ static_cast<std::uint64_t>(portal.id) * 0x100000001b3ULL ^
            (portal.generate_calls++ * 0x9e3779b97f4a7c15ULL));
  const std::int64_t now = now_ms();
  const std::int64_t span = spec.days * kDayMs;
  for (int i = 0; i < spec.owners; ++i) {
    Owner owner;
    owner.id = std::to_string(10'000'000 + rng.below(90'000'000));
    owner.first_name = kFirstNames[rng.below(std::size(kFirstNames))];
    owner.last_name = kLastNames[rng.below(std::size(kLastNames))];
    owner.email = owner.first_name + "." + owner.last_name + std::to_string(portal.owners.size() + 1) +
                  "@sales.example";
    std::transform(owner.email.begin(), owner.email.end(), owner.email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    owner.user_id = static_cast<long long>(1'000'000 + rng.below(9'000'000));
    owner.created_ms = owner.updated_ms = now - span;
    portal.owners.push_back(owner);
  }
  std::vector<std::string> owner_ids;
  for (const auto& owner : portal.owners)
    if (!owner.archived) owner_ids.push_back(owner.id);
  for (int i = 0; i < spec.contacts; ++i) {
    Contact c;
    c.id = portal.next_contact_id++;
    c.created_ms = now - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span)));
    c.updated_ms = c.created_ms +
                   static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(now - c.created_ms + 1)));
    const std::string first = kFirstNames[rng.below(std::size(kFirstNames))];
    const std::string last = kLastNames[rng.below(std::size(kLastNames))];
    c.set("firstname", first);
    c.set("lastname", last);
    std::string email = first + "." + last + "." + std::to_string(c.id) + "@example.com";
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    c.set("email", email);
    // Phones in the formats CRMs really hold; some contacts have none.
    const std::string digits =
        std::to_string(2'000'000'000LL + static_cast<long long>(rng.below(7'000'000'000ULL)));
    switch (rng.below(5)) {
      case 0:
        c.set("phone", "+1" + digits);
        break;
      case 1:
        c.set("phone", "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6));
        break;
      case 2:
        c.set("phone", digits.substr(0, 3) + "." + digits.substr(3, 3) + "." + digits.substr(6));
        break;
      case 3:
        c.set("mobilephone", "+1 " + digits);
        break;
      default:
        break;
    }
    c.set("lifecyclestage", kStages[rng.below(std::size(kStages))]);
    c.set("hs_lead_status", kLeadStatuses[rng.below(std::size(kLeadStatuses))]);
    if (!owner_ids.empty()) c.set("hubspot_owner_id", owner_ids[rng.below(owner_ids.size())]);
    if (rng.below(3) == 0) c.set("notes_last_updated", format_iso8601(from_epoch_ms(c.updated_ms)));
    portal.index(c);
    portal.contacts.emplace(c.id, std::move(c));
  }
  return json{{"contacts", spec.contacts}, {"owners", spec.owners}};
}

}  // namespace tenantsync::sim::hubspot

namespace tenantsync::sim {

Result<nlohmann::json> HubSpotSim::create_portal(const nlohmann::json& spec) {
  std::lock_guard lock(state_->mutex);
  return state_->create_portal(spec);
}

Result<nlohmann::json> HubSpotSim::generate(long long portal_id, const HubSpotGenerateSpec& spec) {
  std::lock_guard lock(state_->mutex);
  hubspot::Portal* portal = state_->find_portal(portal_id);
  if (!portal) return make_error("not_found", "no portal " + std::to_string(portal_id));
  ++state_->contacts_version;
  return state_->generate(*portal, spec);
}

}  // namespace tenantsync::sim
