#include "upstream/crm/hubspot_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "support/crm_test_support.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::upstream {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using crm_testing::ClientDeps;

struct Contact {
  std::int64_t id;
  std::int64_t modified_ms;
};

// Plays HubSpot's search endpoint over an in-memory list: GT/GTE/EQ filters, one ascending
// sort, numeric `after` offsets, and a 400 past the result cap.
class SearchSimulator {
 public:
  SearchSimulator(std::vector<Contact> contacts, int cap) : contacts_(std::move(contacts)), cap_(cap) {}

  HttpResponse answer(const HttpRequest& request) {
    const Json body = Json::parse(request.body);
    ++queries_;
    std::vector<Contact> matches;
    for (const Contact& contact : contacts_) {
      bool any = false;
      for (const Json& group : body["filterGroups"]) {
        bool all = true;
        for (const Json& filter : group["filters"]) {
          const std::int64_t value = std::stoll(filter["value"].get<std::string>());
          const std::int64_t field =
              filter["propertyName"] == "hs_object_id" ? contact.id : contact.modified_ms;
          const std::string op = filter["operator"];
          all = all && (op == "GT" ? field > value : op == "GTE" ? field >= value : field == value);
        }
        any = any || all;
      }
      if (any) matches.push_back(contact);
    }
    const bool by_id = body["sorts"][0]["propertyName"] == "hs_object_id";
    if (by_id) ++by_id_queries_;
    std::stable_sort(matches.begin(), matches.end(), [by_id](const Contact& a, const Contact& b) {
      return by_id ? a.id < b.id : a.modified_ms < b.modified_ms;
    });
    const int offset = body.contains("after") ? std::stoi(body["after"].get<std::string>()) : 0;
    if (offset >= cap_) return HttpResponse{400, {}, R"({"status":"error","message":"paging past the cap"})"};
    const int limit = body["limit"];
    Json results = Json::array();
    for (int i = offset; i < std::min<int>(offset + limit, static_cast<int>(matches.size())); ++i) {
      results.push_back({{"id", std::to_string(matches[i].id)},
                         {"properties",
                          {{"lastmodifieddate", std::to_string(matches[i].modified_ms)},
                           {"hs_object_id", std::to_string(matches[i].id)}}}});
    }
    Json page = {{"total", matches.size()}, {"results", results}};
    if (offset + limit < static_cast<int>(matches.size()))
      page["paging"] = {{"next", {{"after", std::to_string(offset + limit)}}}};
    return HttpResponse{200, {}, page.dump()};
  }
  int queries() const { return queries_; }
  int by_id_queries() const { return by_id_queries_; }

 private:
  std::vector<Contact> contacts_;
  int cap_;
  int queries_ = 0;
  int by_id_queries_ = 0;
};

HubSpotOptions small_pages() {
  HubSpotOptions options;
  options.base_url = "https://hubspot.test/";
  options.search_page_size = 3;
  options.search_cap = 9;
  return options;
}

TEST(HubSpotClientTest, AccountInfoGivesThePortal) {
  FakeHttpClient fake;
  fake.add(200, R"({"portalId":62515,"timeZone":"US/Eastern","uiDomain":"app.hubspot.com"})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  auto account = client.get_account();
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_EQ(account->id, "62515");
  EXPECT_EQ(account->time_zone, "US/Eastern");
  EXPECT_EQ(fake.requests().at(0).url, "https://hubspot.test/account-info/v3/details");
}

TEST(HubSpotClientTest, ListPagesWithAfterAndReadsProperties) {
  FakeHttpClient fake;
  fake.add(
      200,
      R"({"results":[{"id":"1","properties":{"email":"a@x.io","phone":null,"lastmodifieddate":"2024-05-01T10:00:00.000Z",
                     "createdate":"2024-01-01T00:00:00Z"},"createdAt":"2024-01-01T00:00:00Z","archived":false},
                    {"properties":{}}],
                   "paging":{"next":{"after":"abc","link":"x"}}})",
      {{"x-hubspot-ratelimit-max", "190"},
       {"x-hubspot-ratelimit-remaining", "187"},
       {"x-hubspot-ratelimit-interval-milliseconds", "10000"},
       {"x-hubspot-ratelimit-daily", "1000000"},
       {"x-hubspot-ratelimit-daily-remaining", "999000"}});
  fake.add(200, R"({"results":[{"id":"2","properties":{"firstname":"B"},"archived":true}]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  std::vector<CrmPage> pages;
  auto status = client.list_contacts(false, "", [&](CrmPage&& page) {
    pages.push_back(std::move(page));
    return Status{};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(pages.size(), 2u);
  ASSERT_EQ(pages[0].contacts.size(), 1u);
  const CrmContact& first = pages[0].contacts[0];
  EXPECT_EQ(first.crm_id, "1");
  EXPECT_EQ(first.fields.email, "a@x.io");
  EXPECT_TRUE(first.fields.phone.empty());  // null
  // The budget counts the names and values read: "email" + "a@x.io", and the two dates.
  EXPECT_EQ(first.property_bytes, 5 + 6 + 16 + 24 + 10 + 20);
  EXPECT_EQ(first.updated_at_ms, 1714557600000);
  EXPECT_EQ(first.created_at_ms, 1704067200000);
  EXPECT_THAT(pages[0].warnings, ::testing::Contains(HasSubstr("contact #2 has no id")));
  EXPECT_EQ(pages[0].checkpoint.after, "abc");
  EXPECT_TRUE(pages[1].contacts[0].archived);
  EXPECT_EQ(pages[1].checkpoint.after, "");
  const auto requests = fake.requests();
  EXPECT_THAT(requests[0].url,
              HasSubstr("/crm/v3/objects/contacts?limit=100&properties=firstname%2Clastname%2Cemail"));
  EXPECT_THAT(requests[0].url, HasSubstr("archived=false"));
  EXPECT_THAT(requests[1].url, HasSubstr("&after=abc"));
  const RateBudget budget = client.rate_budget();
  EXPECT_EQ(budget.max, 190);
  EXPECT_EQ(budget.remaining, 187);
  EXPECT_EQ(budget.interval_ms, 10000);
  EXPECT_EQ(budget.daily, 1000000);
  EXPECT_EQ(budget.daily_remaining, 999000);
}

TEST(HubSpotClientTest, ArchivedListingAsksForArchived) {
  FakeHttpClient fake;
  fake.add(200, R"({"results":[]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  auto status = client.list_contacts(true, "", [](CrmPage&&) { return Status{}; });
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(fake.requests().at(0).url, HasSubstr("archived=true"));
}

TEST(HubSpotClientTest, ErrorsMapToStableCodes) {
  struct Case {
    int status;
    core::ErrorCode code;
  };
  for (const Case& c :
       {Case{401, core::ErrorCode::key_rejected}, Case{403, core::ErrorCode::key_rejected},
        Case{404, core::ErrorCode::upstream_not_found}, Case{429, core::ErrorCode::rate_limited},
        Case{502, core::ErrorCode::upstream_error}}) {
    FakeHttpClient fake;
    // Twice: a 401 is retried once with refreshed credentials.
    for (int i = 0; i < 2; ++i)
      fake.add(c.status,
               R"({"status":"error","message":"Authentication credentials not found","category":"X"})");
    ClientDeps deps;
    HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
    auto account = client.get_account();
    ASSERT_FALSE(account.ok());
    EXPECT_EQ(account.error().code, c.code) << c.status;
  }
  FakeHttpClient fake;
  fake.add(401, R"({"status":"error","message":"The OAuth token used to make this call expired"})");
  fake.add(401, R"({"status":"error","message":"The OAuth token used to make this call expired"})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  EXPECT_EQ(client.get_account().error().message,
            "HubSpot rejected the access token: The OAuth token used to make this call expired. Reconnect "
            "HubSpot in "
            "Settings.");
}

TEST(HubSpotClientTest, MalformedPageFailsTheListing) {
  FakeHttpClient fake;
  fake.add(200, R"({"results":[{"id":"1"}],"paging":{"next":{"after":"2"}}})");
  fake.add(200, R"({"results":[{"id":"2"})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  int pages = 0;
  auto status = client.list_contacts(false, "", [&](CrmPage&&) {
    ++pages;
    return Status{};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::upstream_malformed);
  EXPECT_EQ(pages, 1);
}

// Reads every change after `since` from a simulator and returns the ids seen.
std::multiset<std::int64_t> read_changes(SearchSimulator& simulator, std::int64_t since,
                                         std::vector<std::int64_t>* checkpoints = nullptr) {
  FakeHttpClient fake;
  fake.set_handler([&simulator](const HttpRequest& request) -> Result<HttpResponse> {
    EXPECT_EQ(request.method, "POST");
    EXPECT_TRUE(request.is_idempotent());
    return simulator.answer(request);
  });
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  std::multiset<std::int64_t> seen;
  auto status = client.list_changed_contacts(since, [&](CrmPage&& page) {
    for (const auto& contact : page.contacts) seen.insert(std::stoll(contact.crm_id));
    if (checkpoints) checkpoints->push_back(page.checkpoint.modified_after_ms);
    return Status{};
  });
  EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
  return seen;
}

TEST(HubSpotClientTest, SearchMovesTheWindowBeforeTheCap) {
  std::vector<Contact> contacts;
  for (int i = 1; i <= 40; ++i) contacts.push_back({i, 1000 + (i / 2)});  // pairs share a millisecond
  SearchSimulator simulator(contacts, 9);
  std::vector<std::int64_t> checkpoints;
  const auto seen = read_changes(simulator, 1003, &checkpoints);
  std::set<std::int64_t> expected;
  for (const auto& contact : contacts)
    if (contact.modified_ms > 1003) expected.insert(contact.id);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()), expected);
  EXPECT_EQ(seen.size(), expected.size());  // nothing read twice
  EXPECT_GT(simulator.queries(), 4);
  EXPECT_EQ(simulator.by_id_queries(), 0);
  EXPECT_TRUE(std::is_sorted(checkpoints.begin(), checkpoints.end()));
  EXPECT_EQ(checkpoints.back(), 1019);  // newest change is 1020
}

// The first page of the changes says how many changed in all (search's `total`), past the cap
// too: the sync decides on it whether to read everything instead (sync/crm_sync.cpp).
TEST(HubSpotClientTest, TheFirstPageOfChangesSaysHowManyChanged) {
  std::vector<Contact> contacts;
  for (int i = 1; i <= 40; ++i) contacts.push_back({i, 1000 + i});
  SearchSimulator simulator(contacts, 9);
  FakeHttpClient fake;
  fake.set_handler([&simulator](const HttpRequest& request) -> Result<HttpResponse> { return simulator.answer(request); });
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  std::optional<std::int64_t> first_total;
  bool first = true;
  ASSERT_TRUE(client
                  .list_changed_contacts(1010,
                                         [&](CrmPage&& page) {
                                           if (std::exchange(first, false)) first_total = page.total;
                                           return Status{};
                                         })
                  .ok());
  EXPECT_EQ(first_total, std::optional<std::int64_t>(30));
}

TEST(HubSpotClientTest, SearchBreaksTiesOnObjectIdWhenOneMillisecondFillsTheCap) {
  std::vector<Contact> contacts;
  for (int i = 1; i <= 5; ++i) contacts.push_back({i, 500});
  for (int i = 100; i < 125; ++i) contacts.push_back({i, 777});  // 25 changes in one ms, cap is 9
  contacts.push_back({200, 900});
  SearchSimulator simulator(contacts, 9);
  const auto seen = read_changes(simulator, 600);
  std::set<std::int64_t> expected;
  for (int i = 100; i < 125; ++i) expected.insert(i);
  expected.insert(200);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()), expected);
  EXPECT_GT(simulator.by_id_queries(), 0);
}

// Reading from the top: each query asks for the ids below the lowest one read so far, highest
// first, from offset 0 (no `after`, so no cap to move past), until a query has no more.
TEST(HubSpotClientTest, FromTheTopEachQueryAsksForTheIdsBelowTheLowestRead) {
  FakeHttpClient fake;
  fake.add(200, R"({"total":5,"results":[{"id":"12","properties":{}},{"id":"9","properties":{}},
                   {"id":"7","properties":{}}],"paging":{"next":{"after":"3"}}})");
  fake.add(200, R"({"total":2,"results":[{"id":"4","properties":{}},{"id":"2","properties":{}}]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  EXPECT_TRUE(client.reads_from_the_top());
  std::vector<std::string> ids, checkpoints;
  auto status = client.list_contacts_from_the_top("", [&](CrmPage&& page) {
    for (const auto& c : page.contacts) ids.push_back(c.crm_id);
    checkpoints.push_back(page.checkpoint.after);
    return Status{};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(ids, (std::vector<std::string>{"12", "9", "7", "4", "2"}));
  EXPECT_EQ(checkpoints, (std::vector<std::string>{"7", "2"}));
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 2u);
  const Json first = Json::parse(requests[0].body);
  EXPECT_EQ(first["filterGroups"], Json::array());
  EXPECT_EQ(first["sorts"][0]["propertyName"], "hs_object_id");
  EXPECT_EQ(first["sorts"][0]["direction"], "DESCENDING");
  EXPECT_EQ(first["limit"], 3);
  EXPECT_FALSE(first.contains("after"));
  const Json second = Json::parse(requests[1].body);
  EXPECT_EQ(second["filterGroups"][0]["filters"][0],
            (Json{{"propertyName", "hs_object_id"}, {"operator", "LT"}, {"value", "7"}}));
  EXPECT_FALSE(second.contains("after"));
}

TEST(HubSpotClientTest, FromTheTopAResultAtOrAboveTheBoundStopsTheRead) {
  FakeHttpClient fake;
  fake.add(200, R"({"results":[{"id":"50","properties":{}}]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  auto status = client.list_contacts_from_the_top("50", [](CrmPage&&) { return Status{}; });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::upstream_malformed);
}

TEST(HubSpotClientTest, ReadingFromTheTopIsAnOption) {
  FakeHttpClient fake;
  ClientDeps deps;
  HubSpotOptions options = small_pages();
  options.search_from_the_top = false;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, options);
  EXPECT_FALSE(client.reads_from_the_top());
}

TEST(HubSpotClientTest, OwnersIncludeArchived) {
  FakeHttpClient fake;
  fake.add(200,
           R"({"results":[{"id":"11","email":"a@x.io","firstName":"A","lastName":"One","archived":false}],
                   "paging":{"next":{"after":"11"}}})");
  fake.add(200, R"({"results":[{"id":"12","email":"b@x.io","firstName":"B","lastName":"Two"}]})");
  fake.add(200,
           R"({"results":[{"id":"9","email":"old@x.io","firstName":"O","lastName":"Ld","archived":true}]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  auto owners = client.list_owners();
  ASSERT_TRUE(owners.ok()) << owners.error().message;
  ASSERT_EQ(owners->size(), 3u);
  EXPECT_EQ((*owners)[0].email, "a@x.io");
  EXPECT_FALSE((*owners)[1].archived);
  EXPECT_EQ((*owners)[2].id, "9");
  EXPECT_TRUE((*owners)[2].archived);
  const auto requests = fake.requests();
  EXPECT_THAT(requests[1].url, HasSubstr("archived=false&after=11"));
  EXPECT_THAT(requests[2].url, HasSubstr("archived=true"));
}

std::string header_of(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return {};
}

// A huge value is cut to 64 KiB at a character boundary, with a warning; a body over 1 MiB is
// read by a parser of its own (none is kept that large), the same way.
TEST(HubSpotClientTest, AHugePropertyIsCutAndAHugePageIsStillRead) {
  const std::string huge = "\u00e9" + std::string(2 * 1024 * 1024, 'x');  // é, then 2 MiB
  const std::string edge = std::string(64 * 1024 - 1, 'y') + "\u00e9";    // é straddles the cut
  FakeHttpClient fake;
  fake.add(200, R"({"results":[{"id":"1","properties":{"firstname":")" + huge + R"(","lastname":")" + edge +
                    R"(","email":"a@x.io","phone":7}}]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  std::vector<CrmPage> pages;
  ASSERT_TRUE(client.list_contacts(false, "", [&](CrmPage&& page) {
    pages.push_back(std::move(page));
    return Status{};
  }).ok());
  ASSERT_EQ(pages.size(), 1u);
  const CrmContact& c = pages[0].contacts.at(0);
  EXPECT_EQ(c.fields.first_name.size(), 64u * 1024u);
  EXPECT_EQ(c.fields.first_name.substr(0, 2), "\xc3\xa9");
  EXPECT_EQ(c.fields.last_name, std::string(64 * 1024 - 1, 'y'));  // the é does not fit whole
  EXPECT_EQ(c.fields.email, "a@x.io");
  EXPECT_TRUE(c.fields.phone.empty());  // not a string: left out
  EXPECT_THAT(pages[0].warnings, ::testing::Contains(HasSubstr("property 'firstname' was cut to 65536 bytes")));
  EXPECT_THAT(pages[0].warnings, ::testing::Contains(HasSubstr("property 'phone' is not a string")));
}

TEST(HubSpotClientTest, FieldsAreFilledFromProperties) {
  FakeHttpClient fake;
  fake.add(200,
           R"({"results":[{"id":"7","properties":{"firstname":"Ada","lastname":"Lovelace","email":"ada@x.io",
                     "phone":"+1 415 555 0100","mobilephone":"+1 415 555 0101","hubspot_owner_id":"11",
                     "lifecyclestage":"lead","hs_lead_status":"IN_PROGRESS","notes_last_updated":"2024-05-01T10:00:00Z",
                     "hs_notes":"Wants a call back"}}]})");
  ClientDeps deps;
  HubSpotOptions options = small_pages();
  options.notes_property = "hs_notes";
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, options);
  std::vector<CrmContact> contacts;
  ASSERT_TRUE(client
                  .list_contacts(false, "",
                                 [&](CrmPage&& page) {
                                   for (auto& contact : page.contacts) contacts.push_back(std::move(contact));
                                   return Status{};
                                 })
                  .ok());
  ASSERT_EQ(contacts.size(), 1u);
  const ContactFields& fields = contacts[0].fields;
  EXPECT_EQ(fields.first_name, "Ada");
  EXPECT_EQ(fields.last_name, "Lovelace");
  EXPECT_EQ(fields.email, "ada@x.io");
  EXPECT_EQ(fields.phone, "+1 415 555 0100");
  EXPECT_EQ(fields.mobile_phone, "+1 415 555 0101");
  EXPECT_EQ(fields.owner_id, "11");
  EXPECT_EQ(fields.owner_name, "");  // resolved by the engine through list_owners
  EXPECT_EQ(fields.stage, "lead");
  EXPECT_EQ(fields.status, "IN_PROGRESS");
  EXPECT_EQ(fields.description, "Wants a call back");
  EXPECT_EQ(fields.last_activity_at_ms, 1714557600000);
  EXPECT_THAT(fake.requests().at(0).url, HasSubstr("%2Chs_notes&"));

  FakeHttpClient plain;
  plain.add(
      200,
      R"({"results":[{"id":"8","properties":{"hs_notes":"ignored","notes_last_updated":"1714557600000"}}]})");
  HubSpotClient without_notes(plain, deps.tokens, deps.clock, deps.sleeper, small_pages());
  ASSERT_TRUE(without_notes
                  .list_contacts(false, "",
                                 [&](CrmPage&& page) {
                                   EXPECT_EQ(page.contacts.at(0).fields.description, "");
                                   EXPECT_EQ(page.contacts.at(0).fields.last_activity_at_ms, 1714557600000);
                                   return Status{};
                                 })
                  .ok());
  EXPECT_THAT(plain.requests().at(0).url, Not(HasSubstr("hs_notes")));
}

TEST(HubSpotClientTest, A401IsRetriedOnceWithRefreshedCredentials) {
  FakeHttpClient fake;
  fake.add(200, R"({"results":[{"id":"1"}],"paging":{"next":{"after":"p2"}}})");
  fake.add(
      401,
      R"({"status":"error","message":"The OAuth token used to make this call expired","category":"EXPIRED_AUTHENTICATION"})");
  fake.add(200, R"({"results":[{"id":"2"}]})");
  ClientDeps deps;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  int contacts = 0;
  ASSERT_TRUE(client
                  .list_contacts(false, "",
                                 [&](CrmPage&& page) {
                                   contacts += static_cast<int>(page.contacts.size());
                                   return Status{};
                                 })
                  .ok());
  EXPECT_EQ(contacts, 2);
  EXPECT_EQ(deps.tokens.forced, 1);
  EXPECT_EQ(deps.tokens.gets, 2);  // once before the listing, once to refresh
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(header_of(requests[0], "Authorization"), "Bearer tok-1");
  EXPECT_EQ(header_of(requests[1], "Authorization"), "Bearer tok-1");
  EXPECT_EQ(header_of(requests[2], "Authorization"), "Bearer tok-2");
  EXPECT_EQ(requests[1].url, requests[2].url);

  // A new listing asks the source again (a Nango connection is fetched right before use).
  fake.add(200, R"({"results":[]})");
  ASSERT_TRUE(client.list_contacts(true, "", [](CrmPage&&) { return Status{}; }).ok());
  EXPECT_EQ(deps.tokens.gets, 3);
}

TEST(HubSpotClientTest, CredentialsNearTheirExpiryAreAskedForAgainMidListing) {
  ClientDeps deps;
  deps.tokens.expires_at_ms = to_epoch_ms(deps.clock.now()) + 90'000;
  FakeHttpClient fake;
  int served = 0;
  fake.set_handler([&](const HttpRequest&) -> Result<HttpResponse> {
    deps.clock.advance(std::chrono::seconds(20));
    ++served;
    return HttpResponse{
        200,
        {},
        // One new contact a page: pages that bring nothing new would be a paging loop.
        R"({"results":[{"id":")" + std::to_string(served) + R"(","properties":{}}])" +
            (served < 3 ? R"(,"paging":{"next":{"after":")" + std::to_string(served) + R"("}}})" : "}")};
  });
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  ASSERT_TRUE(client.list_contacts(false, "", [](CrmPage&&) { return Status{}; }).ok());
  EXPECT_EQ(served, 3);
  // Requests at +0 s and +20 s use the first answer; at +40 s the token is within a minute of expiry.
  EXPECT_EQ(deps.tokens.gets, 2);
  EXPECT_EQ(deps.tokens.forced, 0);
}

TEST(HubSpotClientTest, AStoredTokenThatIsRefusedNeedsReauth) {
  FakeHttpClient fake;
  fake.add(401, R"({"status":"error","message":"Authentication credentials not found"})");
  StaticTokenSource token("pat-na1-1");
  FakeClock clock;
  crm_testing::ClockSleeper sleeper(clock);
  HubSpotClient client(fake, token, clock, sleeper, small_pages());
  auto account = client.get_account();
  ASSERT_FALSE(account.ok());
  EXPECT_EQ(account.error().code, core::ErrorCode::needs_reauth);
  EXPECT_EQ(fake.requests().size(), 1u);
  EXPECT_EQ(header_of(fake.requests()[0], "Authorization"), "Bearer pat-na1-1");
}

TEST(HubSpotClientTest, PacingWaitsForTheWindowWhenTheReserveIsReached) {
  ClientDeps deps;
  FakeHttpClient fake;
  std::vector<std::int64_t> sent_at;
  int served = 0;
  // Each request takes one second; the second answer shows only the reserve left.
  fake.set_handler([&](const HttpRequest&) -> Result<HttpResponse> {
    sent_at.push_back(to_epoch_ms(deps.clock.now()));
    deps.clock.advance(std::chrono::seconds(1));
    ++served;
    const std::string remaining = served == 2 ? "5" : "60";
    std::string body = R"({"results":[{"id":")" + std::to_string(served) + R"("}])";
    body += served < 4 ? R"(,"paging":{"next":{"after":")" + std::to_string(served) + R"("}}})" : "}";
    return HttpResponse{200,
                        {{"x-hubspot-ratelimit-remaining", remaining},
                         {"x-hubspot-ratelimit-interval-milliseconds", "10000"},
                         {"x-hubspot-ratelimit-max", "100"}},
                        body};
  });
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  const std::int64_t start = to_epoch_ms(deps.clock.now());
  ASSERT_TRUE(client.list_contacts(false, "", [](CrmPage&&) { return Status{}; }).ok());
  ASSERT_EQ(sent_at.size(), 4u);
  // Window began at the first request (start); the third waits until start + 10 s.
  ASSERT_EQ(deps.sleeper.waits.size(), 1u);
  EXPECT_EQ(deps.sleeper.waits[0], std::chrono::milliseconds(8'000));
  EXPECT_EQ(sent_at[2], start + 10'000);
  EXPECT_EQ(sent_at[3], start + 11'000);  // a fresh window with plenty left: no wait
}

TEST(HubSpotClientTest, PacingHonoursASmallerReserveSetting) {
  ClientDeps deps;
  FakeHttpClient fake;
  // A page that promises more brings a contact: an empty one would be a paging loop.
  fake.add(200, R"({"results":[{"id":"1"}],"paging":{"next":{"after":"1"}}})",
           {{"x-hubspot-ratelimit-remaining", "5"}});
  fake.add(200, R"({"results":[]})", {{"x-hubspot-ratelimit-remaining", "4"}});
  HubSpotOptions options = small_pages();
  options.rate_reserve = 2;
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, options);
  ASSERT_TRUE(client.list_contacts(false, "", [](CrmPage&&) { return Status{}; }).ok());
  EXPECT_TRUE(deps.sleeper.waits.empty());
}

TEST(HubSpotClientTest, SearchRequestsAreSpacedAtLeast210Ms) {
  std::vector<Contact> contacts;
  for (int i = 1; i <= 12; ++i) contacts.push_back({i, 2000 + i});
  SearchSimulator simulator(contacts, 100);
  ClientDeps deps;
  FakeHttpClient fake;
  std::vector<std::int64_t> sent_at;
  fake.set_handler([&](const HttpRequest& request) -> Result<HttpResponse> {
    sent_at.push_back(to_epoch_ms(deps.clock.now()));
    deps.clock.advance(std::chrono::milliseconds(40));  // a fast answer
    return simulator.answer(request);
  });
  HubSpotOptions options = small_pages();
  options.search_cap = 100;  // one query, four pages
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, options);
  int read = 0;
  ASSERT_TRUE(client
                  .list_changed_contacts(0,
                                         [&](CrmPage&& page) {
                                           read += static_cast<int>(page.contacts.size());
                                           return Status{};
                                         })
                  .ok());
  EXPECT_EQ(read, 12);
  ASSERT_EQ(sent_at.size(), 4u);
  // HubSpot allows 5 a second: 200 ms apart, and 10 ms of margin for the arrivals.
  for (std::size_t i = 1; i < sent_at.size(); ++i) EXPECT_GE(sent_at[i] - sent_at[i - 1], 210) << i;
  EXPECT_EQ(deps.sleeper.waits.size(), 3u);
  EXPECT_EQ(deps.sleeper.waits[0], std::chrono::milliseconds(170));
}

TEST(HubSpotClientTest, DailyLimitSaysUntilWhen) {
  ClientDeps deps;  // 2023-11-14T22:13:20Z
  FakeHttpClient fake;
  fake.add(429, R"({"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT",
                   "correlationId":"c","policyName":"DAILY"})");
  HubSpotClient client(fake, deps.tokens, deps.clock, deps.sleeper, small_pages());
  auto account = client.get_account();
  ASSERT_FALSE(account.ok());
  EXPECT_EQ(account.error().code, core::ErrorCode::rate_limited);
  EXPECT_THAT(account.error().message, HasSubstr("daily API limit"));
  EXPECT_THAT(account.error().message, HasSubstr("until 2023-11-15T00:00:00.000Z"));
  const RateLimitInfo info = client.last_rate_limit();
  EXPECT_TRUE(info.limited);
  EXPECT_EQ(info.policy, "DAILY");
  EXPECT_EQ(info.retry_at_ms, 1'700'006'400'000);

  fake.add(429, R"({"status":"error","message":"You have reached your ten_secondly_rolling limit.",
                   "errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})");
  EXPECT_EQ(client.get_account().error().code, core::ErrorCode::rate_limited);
  EXPECT_EQ(client.last_rate_limit().policy, "TEN_SECONDLY_ROLLING");
  EXPECT_EQ(client.last_rate_limit().retry_at_ms, to_epoch_ms(deps.clock.now()) + 10'000);

  fake.add(200, R"({"portalId":1})");
  ASSERT_TRUE(client.get_account().ok());
  EXPECT_FALSE(client.last_rate_limit().limited);
}

}  // namespace
}  // namespace tenantsync::upstream
