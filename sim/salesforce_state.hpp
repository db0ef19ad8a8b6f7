#pragma once
// Inside the simulated Salesforce (salesforce_*.cpp): the orgs with their tokens, limit, users,
// records and open query cursors, the state behind SalesforceSim, and what a routed request
// carries to its handler.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "http/message.hpp"
#include "id_gen.hpp"
#include "oauth_tokens.hpp"
#include "salesforce_records.hpp"
#include "salesforce_sim.hpp"
#include "sim_routes.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim::salesforce {

using nlohmann::json;

/// A query's batch size unless Sforce-Query-Options asks for another (200 to 2000).
constexpr long long kDefaultBatch = 2000;

/// Salesforce's error body: a JSON array of {message, errorCode}.
http::Response error_response(int status, const std::string& code, const std::string& message);

/// ASCII lower case, for the e-mail addresses made from names and ids.
std::string lower_case(std::string text);

struct Cursor {
  std::string locator;
  bool leads = true;
  std::vector<std::string> fields;
  std::vector<std::string> ids;  ///< the result, fixed when the query ran
  long long batch = kDefaultBatch;
  std::int64_t last_used_ms = 0;
};

struct Org : OAuthTokens {
  std::string id;
  long long number = 0;  ///< mixed into record ids so they are unique across orgs
  std::string name;
  std::string api_user_id;  ///< the user the tokens belong to
  int access_token_ttl_s = 7200;
  long long api_limit = 100'000;
  long long api_usage = 0;
  Users users;
  std::map<std::string, Record> leads;
  std::map<std::string, Record> contacts;
  std::map<std::string, Cursor> cursors;
  std::uint64_t next_record = 1;
  std::uint64_t next_cursor = 1;
  std::uint64_t generate_calls = 0;

  std::map<std::string, Record>& records(bool lead) { return lead ? leads : contacts; }

  json summary() const {
    auto count = [](const std::map<std::string, Record>& records, bool deleted) {
      return std::count_if(records.begin(), records.end(),
                           [&](const auto& entry) { return entry.second.is_deleted == deleted; });
    };
    json refresh = json::array();
    for (const auto& [token, grant] : refresh_tokens) refresh.push_back(token);
    return {{"org_id", id},
            {"name", name},
            {"user_id", api_user_id},
            {"access_tokens", access_tokens.size()},
            {"refresh_tokens", refresh},
            {"access_token_ttl_s", access_token_ttl_s},
            {"api_limit", api_limit},
            {"api_usage", api_usage},
            {"open_cursors", cursors.size()},
            {"counts",
             {{"leads", count(leads, false)},
              {"deleted_leads", count(leads, true)},
              {"contacts", count(contacts, false)},
              {"deleted_contacts", count(contacts, true)},
              {"users", users.size()}}}};
  }
};

/// What the simulated Salesforce holds, as it is after a reset.
struct Contents {
  std::map<std::string, std::unique_ptr<Org>> orgs;
  std::unordered_map<std::string, std::string> token_org;    ///< access token → org id
  std::unordered_map<std::string, std::string> refresh_org;  ///< refresh token → org id
  IdGen ids;
  long long next_org = 1;
};

/// The contents behind one mutex (Guarded): the functions below expect it held.
struct State : Guarded<Contents> {
  explicit State(const Clock& clock) : clock(clock) {}

  const Clock& clock;

  Org* find_org(const std::string& id);
  std::int64_t now_ms() const;
  SalesforceToken mint(Org& org, int ttl_s);
  // Orgs and their records (salesforce_data.cpp).
  /// See SalesforceSim::create_org.
  Result<json> create_org(const json& spec);
  /// See SalesforceSim::generate.
  Result<json> generate(Org& org, const SalesforceGenerateSpec& spec);
  Result<json> add_record(Org& org, bool lead, const json& input);
  Status update_record(Org& org, bool lead, const std::string& id, const json& patch);
  /// A new 18-character record id with the object's key prefix ("00Q" for a Lead).
  std::string new_id(Org& org, const char* prefix);
};

/// The API, the /_sim/salesforce/ control API and a paged request's page, for StatefulUpstream: each
/// takes the lock itself.
std::optional<http::Response> serve_api(State& state, const http::Request& request);
std::optional<http::Response> serve_control(State& state, const http::Request& request);
std::optional<int> request_page(State& state, const http::Request& request);

/// A routed request and the records its path names (for the API, `org` is the org of the
/// caller's token).
struct Call : RouteCall {
  Org* org = nullptr;        ///< {org}, or the token's org
  bool leads = true;         ///< {object}: "leads" or "contacts"
  Record* record = nullptr;  ///< {record}
  std::string version = {};  ///< the REST API version of the path ("58.0")
};

// Queries (salesforce_query.cpp), for the org of the caller's token.
http::Response api_query(State& state, Call& call);
http::Response api_query_all(State& state, Call& call);
http::Response api_next_batch(State& state, Call& call);

}  // namespace tenantsync::sim::salesforce
