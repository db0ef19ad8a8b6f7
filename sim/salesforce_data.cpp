// Salesforce orgs and their records: creating orgs, adding and editing Leads and Contacts (as the
// control API does), and generated data that looks like a real org's, the same for the same seed.
#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/time_format.hpp"
#include "salesforce_state.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::salesforce {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

/// Sets the string fields of `record` present in `input` (null clears them).
Status apply_fields(Record& record, const json& input) {
  struct Slot {
    const char* name;
    std::optional<std::string> Record::*member;
  };
  const Slot slots[] = {{"FirstName", &Record::first_name},
                        {"LastName", &Record::last_name},
                        {"Email", &Record::email},
                        {"Phone", &Record::phone},
                        {"MobilePhone", &Record::mobile_phone},
                        {"OwnerId", &Record::owner_id},
                        {"Status", &Record::status},
                        {"Description", &Record::description},
                        {"LastActivityDate", &Record::last_activity_date}};
  for (const auto& slot : slots) {
    if (!input.contains(slot.name)) continue;
    const json& v = input[slot.name];
    if (v.is_null()) {
      record.*slot.member = std::nullopt;
    } else if (v.is_string()) {
      record.*slot.member = v.get<std::string>();
    } else {
      return make_error("bad_request", std::string(slot.name) + " must be a string or null");
    }
  }
  if (!record.is_lead && input.contains("Status"))
    return make_error("bad_request", "Contacts have no Status");
  if (record.last_activity_date &&
      (record.last_activity_date->size() != 10 || !parse_iso8601(*record.last_activity_date)))
    return make_error("bad_request", "LastActivityDate is a date (YYYY-MM-DD)");
  if (input.contains("IsDeleted")) {
    if (!input["IsDeleted"].is_boolean()) return make_error("bad_request", "IsDeleted must be a boolean");
    record.is_deleted = input["IsDeleted"].get<bool>();
  }
  return {};
}

const char* const kFirstNames[] = {"Ada",     "Grace", "Alan",     "Edsger", "Barbara", "Donald",
                                   "Frances", "Ken",   "Margaret", "Dennis", "Radia",   "Linus"};
const char* const kLastNames[] = {"Lovelace", "Hopper",   "Turing",   "Dijkstra", "Liskov",  "Knuth",
                                  "Allen",    "Thompson", "Hamilton", "Ritchie",  "Perlman", "Torvalds"};
const char* const kLeadStatuses[] = {"Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                                     "Closed - Not Converted"};

}  // namespace

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string State::new_id(Org& org, const char* prefix) {
  return id18(std::string(prefix) + base62(static_cast<std::uint64_t>(org.number), 2) +
              base62(org.next_record++, 10));
}

Result<json> State::create_org(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "an org is a JSON object");
  auto org = std::make_unique<Org>();
  org->number = next_org++;
  org->id = spec.value("org_id", id18("00D" + base62(static_cast<std::uint64_t>(org->number), 2) +
                                      base62(static_cast<std::uint64_t>(org->number), 10)));
  if (org->id.size() != 18 || org->id.rfind("00D", 0) != 0)
    return make_error("bad_request", "org_id is 18 characters starting with 00D");
  if (orgs.count(org->id)) return make_error("conflict", "org " + org->id + " exists");
  org->name = spec.value("name", "Simulated Org " + std::to_string(org->number));
  org->access_token_ttl_s = spec.value("access_token_ttl_s", org->access_token_ttl_s);
  org->api_limit = spec.value("api_limit", org->api_limit);
  org->api_usage = spec.value("api_usage", 0LL);
  if (org->access_token_ttl_s < 1 || org->api_limit < 0)
    return make_error("bad_request", "access_token_ttl_s must be positive and api_limit not negative");
  std::vector<std::pair<std::string, RefreshGrant>> grants;
  for (const auto& item : spec.value("refresh_tokens", json::array())) {
    const std::string token = item.is_string() ? item.get<std::string>() : item.value("refresh_token", "");
    if (token.empty()) return make_error("bad_request", "a refresh token needs refresh_token");
    if (refresh_org.count(token)) return make_error("conflict", "refresh token " + token + " is in use");
    grants.push_back({token, item.is_object()
                                 ? RefreshGrant{item.value("client_id", ""), item.value("client_secret", "")}
                                 : RefreshGrant{}});
  }
  User api_user{new_id(*org, "005"), "Integration User", "integration@" + lower_case(org->id) + ".example"};
  org->api_user_id = api_user.id;
  org->users.emplace(api_user.id, api_user);
  for (auto& [token, grant] : grants) {
    refresh_org[token] = org->id;
    org->refresh_tokens[token] = grant;
  }
  const json summary = org->summary();
  orgs.emplace(org->id, std::move(org));
  return summary;
}

Result<json> State::generate(Org& org, const SalesforceGenerateSpec& spec) {
  if (spec.leads < 0 || spec.contacts < 0 || spec.owners < 0 || spec.days < 1)
    return make_error("bad_request", "counts must not be negative and days must be at least 1");
  IdGen rng(spec.seed ^ fnv1a(org.id) ^ (org.generate_calls++ * 0x9e3779b97f4a7c15ULL));
  const std::int64_t now = now_ms();
  const std::int64_t span = spec.days * kDayMs;
  for (int i = 0; i < spec.owners; ++i) {
    const std::string first = kFirstNames[rng.below(std::size(kFirstNames))];
    const std::string last = kLastNames[rng.below(std::size(kLastNames))];
    User user{new_id(org, "005"), first + " " + last,
              lower_case(first + "." + last + std::to_string(org.users.size() + 1) + "@sales.example")};
    org.users.emplace(user.id, user);
  }
  std::vector<std::string> owners;
  for (const auto& [id, user] : org.users)
    if (id != org.api_user_id || org.users.size() == 1) owners.push_back(id);
  auto make = [&](bool lead) {
    Record r;
    r.is_lead = lead;
    r.id = new_id(org, lead ? "00Q" : "003");
    r.created_ms = now - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span)));
    r.modstamp_ms = r.created_ms +
                    static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(now - r.created_ms + 1)));
    r.first_name = kFirstNames[rng.below(std::size(kFirstNames))];
    r.last_name = kLastNames[rng.below(std::size(kLastNames))];
    r.email = lower_case(*r.first_name + "." + *r.last_name + "." + r.id.substr(10, 5) + "@example.com");
    const std::string digits =
        std::to_string(2'000'000'000LL + static_cast<long long>(rng.below(7'000'000'000ULL)));
    switch (rng.below(5)) {  // phones in the formats CRMs really hold; some records have none
      case 0:
        r.phone = "+1" + digits;
        break;
      case 1:
        r.phone = "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6);
        break;
      case 2:
        r.phone = digits.substr(0, 3) + "-" + digits.substr(3, 3) + "-" + digits.substr(6);
        break;
      case 3:
        r.mobile_phone = "+1 " + digits;
        break;
      default:
        break;
    }
    if (lead) r.status = kLeadStatuses[rng.below(std::size(kLeadStatuses))];
    r.owner_id = owners[rng.below(owners.size())];
    if (rng.below(4) == 0) r.description = "Asked for a call back about pricing";
    if (rng.below(3) == 0) r.last_activity_date = format_iso8601(from_epoch_ms(r.modstamp_ms)).substr(0, 10);
    org.records(lead).emplace(r.id, r);
  };
  for (int i = 0; i < spec.leads; ++i) make(true);
  for (int i = 0; i < spec.contacts; ++i) make(false);
  return json{{"leads", spec.leads}, {"contacts", spec.contacts}, {"owners", spec.owners}};
}

Result<json> State::add_record(Org& org, bool lead, const json& input) {
  if (!input.is_object()) return make_error("bad_request", "a record is a JSON object");
  Record record;
  record.is_lead = lead;
  record.id = input.contains("Id") && input["Id"].is_string() ? input["Id"].get<std::string>()
                                                              : new_id(org, lead ? "00Q" : "003");
  if (org.records(lead).count(record.id)) return make_error("conflict", "record " + record.id + " exists");
  if (lead) record.status = "Open - Not Contacted";
  if (auto applied = apply_fields(record, input); !applied) return applied.error();
  if (!record.last_name) record.last_name = "Unknown";
  if (record.owner_id && !org.users.count(*record.owner_id))
    return make_error("bad_request", "OwnerId " + *record.owner_id + " is not a user of the org");
  if (!record.owner_id) record.owner_id = org.api_user_id;
  bool bad = false;
  const std::int64_t now = now_ms();
  record.created_ms = time_field(input, "CreatedDate", bad).value_or(now);
  record.modstamp_ms = time_field(input, "SystemModstamp", bad).value_or(std::max(now, record.created_ms));
  if (bad) return make_error("bad_request", "CreatedDate and SystemModstamp are ISO-8601 or epoch ms");
  auto [it, inserted] = org.records(lead).emplace(record.id, std::move(record));
  return record_control_json(it->second, org.users);
}

Status State::update_record(Org& org, bool lead, const std::string& id, const json& patch) {
  if (!patch.is_object()) return make_error("bad_request", "a patch is a JSON object");
  auto& records = org.records(lead);
  const auto it = records.find(id);
  if (it == records.end()) return make_error("not_found", "no record " + id);
  Record updated = it->second;
  if (auto applied = apply_fields(updated, patch); !applied) return applied;
  if (updated.owner_id && !org.users.count(*updated.owner_id))
    return make_error("bad_request", "OwnerId " + *updated.owner_id + " is not a user of the org");
  bool bad = false;
  updated.created_ms = time_field(patch, "CreatedDate", bad).value_or(updated.created_ms);
  updated.modstamp_ms = time_field(patch, "SystemModstamp", bad).value_or(now_ms());
  if (bad) return make_error("bad_request", "CreatedDate and SystemModstamp are ISO-8601 or epoch ms");
  it->second = std::move(updated);
  return {};
}

}  // namespace tenantsync::sim::salesforce

namespace tenantsync::sim {

Result<nlohmann::json> SalesforceSim::create_org(const nlohmann::json& spec) {
  std::lock_guard lock(state_->mutex);
  return state_->create_org(spec);
}

Result<nlohmann::json> SalesforceSim::generate(const std::string& org_id,
                                               const SalesforceGenerateSpec& spec) {
  std::lock_guard lock(state_->mutex);
  salesforce::Org* org = state_->find_org(org_id);
  if (!org) return make_error("not_found", "no Salesforce org " + org_id);
  return state_->generate(*org, spec);
}

}  // namespace tenantsync::sim
