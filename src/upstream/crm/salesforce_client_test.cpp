#include "upstream/crm/salesforce_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/crm_test_support.hpp"
#include "support/fake_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using crm_testing::ClientDeps;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kInstance = "https://acme.my.salesforce.com";

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string header_of(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return {};
}

std::int64_t ms(const char* iso) { return to_epoch_ms(*parse_iso8601(iso)); }

struct Harness {
  Harness() : client(fake, deps.tokens, deps.clock, SalesforceOptions{}) {}
  FakeHttpClient fake;
  ClientDeps deps{kInstance};
  SalesforceClient client;

  std::vector<CrmPage> list(bool archived, const std::string& after = {}, Status* result = nullptr) {
    std::vector<CrmPage> pages;
    Status status = client.list_contacts(archived, after, [&](CrmPage&& page) {
      pages.push_back(std::move(page));
      return Status{};
    });
    if (result)
      *result = status;
    else
      EXPECT_TRUE(status.ok()) << status.error().message;
    return pages;
  }
  std::vector<CrmPage> changes(std::int64_t since) {
    std::vector<CrmPage> pages;
    Status status = client.list_changed_contacts(since, [&](CrmPage&& page) {
      pages.push_back(std::move(page));
      return Status{};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return pages;
  }
  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& request : fake.requests()) out.push_back(url_decode(request.url));
    return out;
  }
};

const char* kLeadRow = R"({"attributes":{"type":"Lead","url":"/services/data/v60.0/sobjects/Lead/00Q1"},
  "Id":"00Q000000000001AAA","FirstName":"Ada","LastName":"Lovelace","Email":"ada@example.com","Phone":"+1 415 555 0100",
  "MobilePhone":null,"OwnerId":"005000000000001AAA","Owner":{"attributes":{"type":"Name"},"Name":"Grace Hopper",
  "Email":"grace@example.com"},"Status":"Working - Contacted","Description":"Asked for a demo","LastActivityDate":"2024-05-01",
  "CreatedDate":"2024-01-01T00:00:00.000+0000","SystemModstamp":"2024-05-02T10:00:00.000+0000","IsDeleted":false})";

const char* kContactRow = R"({"attributes":{"type":"Contact"},"Id":"003000000000001AAA","FirstName":"Alan",
  "LastName":"Turing","Email":"alan@example.com","Phone":null,"MobilePhone":"+44 7700 900123","OwnerId":"005000000000002AAA",
  "Owner":{"Name":"Joan Clarke","Email":"joan@example.com"},"Description":null,"LastActivityDate":null,
  "CreatedDate":"2024-02-01T00:00:00.000+0000","SystemModstamp":"2024-05-03T10:00:00.000+0000","IsDeleted":false})";

std::string page(const std::vector<std::string>& rows, const std::string& next = {}) {
  std::string records;
  for (const auto& row : rows) records += (records.empty() ? "" : ",") + row;
  std::string out =
      R"({"totalSize":)" + std::to_string(rows.size()) + R"(,"done":)" + (next.empty() ? "true" : "false");
  if (!next.empty()) out += R"(,"nextRecordsUrl":")" + next + "\"";
  return out + R"(,"records":[)" + records + "]}";
}

std::string row(const std::string& id, const std::string& modstamp, bool deleted = false) {
  return R"({"attributes":{"type":"X"},"Id":")" + id + R"(","SystemModstamp":")" + modstamp +
         R"(","IsDeleted":)" + (deleted ? "true" : "false") + "}";
}

TEST(SalesforceClientTest, AccountIsTheOrganization) {
  Harness h;
  h.fake.add(
      200,
      page(
          {R"({"attributes":{"type":"Organization"},"Id":"00D000000000001EAA","TimeZoneSidKey":"Europe/Paris"})"}));
  auto account = h.client.get_account();
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_EQ(account->id, "00D000000000001EAA");
  EXPECT_EQ(account->time_zone, "Europe/Paris");
  EXPECT_EQ(h.urls().at(0),
            std::string(kInstance) +
                "/services/data/v60.0/query?q=SELECT Id, TimeZoneSidKey FROM Organization LIMIT 1");
  EXPECT_EQ(header_of(h.fake.requests().at(0), "Authorization"), "Bearer tok-1");
}

TEST(SalesforceClientTest, ListsLeadsThenContactsFollowingNextRecordsUrl) {
  Harness h;
  h.fake.add(200, page({kLeadRow}, "/services/data/v60.0/query/01gL-2000"),
             {{"sforce-limit-info", "api-usage=18/15000"}});
  h.fake.add(200, page({row("00Q000000000002AAA", "2024-05-02T11:00:00.000+0000")}));
  h.fake.add(200, page({kContactRow}), {{"sforce-limit-info", "api-usage=21/15000"}});
  const auto pages = h.list(false);

  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].checkpoint.after, "Lead|/services/data/v60.0/query/01gL-2000");
  EXPECT_EQ(pages[1].checkpoint.after, "Contact|");
  EXPECT_EQ(pages[2].checkpoint.after, "");
  const auto urls = h.urls();
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[0], std::string(kInstance) + "/services/data/v60.0/query?q=SELECT " +
                         salesforce_contact_fields("Lead") + " FROM Lead");
  EXPECT_THAT(salesforce_contact_fields("Lead"), HasSubstr("Status"));
  EXPECT_THAT(salesforce_contact_fields("Contact"), Not(HasSubstr("Status")));
  EXPECT_THAT(salesforce_contact_fields("Contact"), HasSubstr("Owner.Name, Owner.Email"));
  EXPECT_EQ(urls[1], std::string(kInstance) + "/services/data/v60.0/query/01gL-2000");
  EXPECT_EQ(urls[2], std::string(kInstance) + "/services/data/v60.0/query?q=SELECT " +
                         salesforce_contact_fields("Contact") + " FROM Contact");
  EXPECT_EQ(header_of(h.fake.requests()[0], "Sforce-Query-Options"), "batchSize=2000");
  EXPECT_EQ(h.deps.tokens.gets, 1);  // credentials once per listing

  const CrmContact& lead = pages[0].contacts.at(0);
  EXPECT_EQ(lead.crm_id, "00Q000000000001AAA");
  EXPECT_EQ(lead.fields.first_name, "Ada");
  EXPECT_EQ(lead.fields.last_name, "Lovelace");
  EXPECT_EQ(lead.fields.email, "ada@example.com");
  EXPECT_EQ(lead.fields.phone, "+1 415 555 0100");
  EXPECT_EQ(lead.fields.mobile_phone, "");
  EXPECT_EQ(lead.fields.owner_id, "005000000000001AAA");
  EXPECT_EQ(lead.fields.owner_name, "Grace Hopper");
  EXPECT_EQ(lead.fields.owner_email, "grace@example.com");
  EXPECT_EQ(lead.fields.status, "Working - Contacted");
  EXPECT_EQ(lead.fields.stage, "lead");
  EXPECT_EQ(lead.fields.description, "Asked for a demo");
  EXPECT_EQ(lead.fields.last_activity_at_ms, ms("2024-05-01T00:00:00Z"));
  EXPECT_EQ(lead.updated_at_ms, ms("2024-05-02T10:00:00Z"));
  EXPECT_EQ(lead.created_at_ms, ms("2024-01-01T00:00:00Z"));
  EXPECT_TRUE(lead.fields.mobile_phone.empty());  // null
  EXPECT_GT(lead.property_bytes, 0);
  EXPECT_FALSE(lead.archived);

  const CrmContact& contact = pages[2].contacts.at(0);
  EXPECT_EQ(contact.crm_id, "003000000000001AAA");
  EXPECT_EQ(contact.fields.stage, "contact");
  EXPECT_EQ(contact.fields.status, "");
  EXPECT_EQ(contact.fields.mobile_phone, "+44 7700 900123");
  EXPECT_EQ(contact.fields.owner_name, "Joan Clarke");
  EXPECT_EQ(contact.fields.owner_email, "joan@example.com");
  EXPECT_EQ(contact.fields.last_activity_at_ms, 0);

  const RateBudget budget = h.client.rate_budget();
  EXPECT_EQ(budget.daily, 15000);
  EXPECT_EQ(budget.daily_remaining, 14979);
  EXPECT_TRUE(h.client.list_owners()->empty());
}

TEST(SalesforceClientTest, ResumesFromACheckpoint) {
  {
    Harness h;
    h.fake.add(200, page({kContactRow}, "/services/data/v60.0/query/01gC-4000"));
    h.fake.add(200, page({}));
    const auto pages = h.list(false, "Contact|/services/data/v60.0/query/01gC-2000");
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].checkpoint.after, "Contact|/services/data/v60.0/query/01gC-4000");
    const auto urls = h.urls();
    EXPECT_EQ(urls.at(0), std::string(kInstance) + "/services/data/v60.0/query/01gC-2000");
    EXPECT_EQ(urls.at(1), std::string(kInstance) + "/services/data/v60.0/query/01gC-4000");
  }
  {
    Harness h;
    h.fake.add(200, page({kContactRow}));
    const auto pages = h.list(false, "Contact|");
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_THAT(h.urls().at(0), HasSubstr("FROM Contact"));
    EXPECT_EQ(h.fake.requests().size(), 1u);
  }
  {
    // A checkpoint that is not ours (or points elsewhere) is not followed: the listing starts over.
    Harness h;
    h.fake.add(200, page({}));
    h.fake.add(200, page({}));
    const auto pages = h.list(false, "Lead|https://evil.example/steal");
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_THAT(pages[0].warnings, ::testing::Contains(HasSubstr("started over")));
    EXPECT_THAT(h.urls().at(0), HasSubstr("FROM Lead"));
    EXPECT_THAT(h.urls().at(0), ::testing::StartsWith(kInstance));
  }
}

TEST(SalesforceClientTest, ExpiredQueryLocatorRestartsThatObject) {
  Harness h;
  h.fake.add(400, R"([{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}])");
  h.fake.add(200, page({kLeadRow}));
  h.fake.add(200, page({kContactRow}));
  const auto pages = h.list(false, "Lead|/services/data/v60.0/query/01gL-2000");
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_THAT(pages[0].warnings, ::testing::Contains(HasSubstr("Lead query had expired")));
  EXPECT_THAT(h.urls().at(1), HasSubstr("/query?q=SELECT"));
  EXPECT_THAT(h.urls().at(1), HasSubstr("FROM Lead"));
}

TEST(SalesforceClientTest, ArchivedListingUsesQueryAllOnDeletedRows) {
  Harness h;
  h.fake.add(200, page({row("00Q000000000009AAA", "2024-05-02T10:00:00.000+0000", true)}));
  h.fake.add(200, page({row("003000000000009AAA", "2024-05-02T10:00:00.000+0000", true)}));
  const auto pages = h.list(true);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_TRUE(pages[0].contacts.at(0).archived);
  EXPECT_TRUE(pages[1].contacts.at(0).archived);
  const auto urls = h.urls();
  EXPECT_THAT(urls[0], HasSubstr("/services/data/v60.0/queryAll?q=SELECT"));
  EXPECT_THAT(urls[0], HasSubstr("FROM Lead WHERE IsDeleted = true"));
  EXPECT_THAT(urls[1], HasSubstr("FROM Contact WHERE IsDeleted = true"));
}

TEST(SalesforceClientTest, IncrementalReadsAnOverlapDeduplicatesAndArchivesDeletedRows) {
  Harness h;
  const std::int64_t since = ms("2026-01-01T00:10:00.500Z");
  // Leads: two pages; the second repeats a row of the first (changed while paging).
  h.fake.add(200,
             page({row("00Q1", "2026-01-01T00:06:00.000+0000"), row("00Q2", "2026-01-01T00:20:00.000+0000")},
                  "/services/data/v60.0/queryAll/01gL-2"));
  h.fake.add(200, page({row("00Q2", "2026-01-01T00:20:00.000+0000"),
                        row("00Q3", "2026-01-01T00:30:00.000+0000", true)}));
  // Contacts: two pages, older than the newest Lead at first.
  h.fake.add(200,
             page({row("0031", "2026-01-01T00:15:00.000+0000")}, "/services/data/v60.0/queryAll/01gC-2"));
  h.fake.add(200, page({row("0032", "2026-01-01T00:25:00.000+0000")}));
  const auto pages = h.changes(since);

  const auto urls = h.urls();
  ASSERT_EQ(urls.size(), 4u);
  // Five minutes before the checkpoint, whole seconds, unquoted.
  EXPECT_EQ(urls[0],
            std::string(kInstance) + "/services/data/v60.0/queryAll?q=SELECT " +
                salesforce_contact_fields("Lead") +
                " FROM Lead WHERE SystemModstamp > 2026-01-01T00:05:00Z ORDER BY SystemModstamp, Id");
  EXPECT_EQ(urls[1], std::string(kInstance) + "/services/data/v60.0/queryAll/01gL-2");
  EXPECT_THAT(
      urls[2],
      HasSubstr(" FROM Contact WHERE SystemModstamp > 2026-01-01T00:05:00Z ORDER BY SystemModstamp, Id"));

  std::vector<std::string> ids;
  for (const auto& p : pages)
    for (const auto& contact : p.contacts) ids.push_back(contact.crm_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"00Q1", "00Q2", "00Q3", "0031", "0032"}));
  EXPECT_TRUE(pages[1].contacts.at(0).archived);  // 00Q3 IsDeleted (00Q2 was not repeated)
  EXPECT_FALSE(pages[0].contacts.at(0).archived);

  ASSERT_EQ(pages.size(), 4u);
  // Leads read alone prove nothing about Contacts: the checkpoint stays until the Contact pass.
  EXPECT_EQ(pages[0].checkpoint.modified_after_ms, since);
  EXPECT_EQ(pages[1].checkpoint.modified_after_ms, since);
  EXPECT_EQ(pages[2].checkpoint.modified_after_ms, ms("2026-01-01T00:15:00Z"));
  EXPECT_EQ(pages[3].checkpoint.modified_after_ms, ms("2026-01-01T00:30:00Z"));  // the newest stamp read
}

TEST(SalesforceClientTest, InvalidSessionRefreshesOnce) {
  Harness h;
  h.fake.add(401, R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
  h.fake.add(200, page({kLeadRow}));
  h.fake.add(200, page({}));
  const auto pages = h.list(false);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(h.deps.tokens.forced, 1);
  const auto requests = h.fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(header_of(requests[0], "Authorization"), "Bearer tok-1");
  EXPECT_EQ(header_of(requests[1], "Authorization"), "Bearer tok-2");
  EXPECT_EQ(requests[0].url, requests[1].url);
  EXPECT_EQ(header_of(requests[2], "Authorization"), "Bearer tok-2");
}

TEST(SalesforceClientTest, SecondInvalidSessionIsKeyRejected) {
  Harness h;
  for (int i = 0; i < 2; ++i)
    h.fake.add(401, R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
  Status status;
  h.list(false, "", &status);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::key_rejected);
  EXPECT_EQ(status.error().message,
            "Salesforce rejected the access token: Session expired or invalid "
            "(INVALID_SESSION_ID). Reconnect Salesforce in Settings.");
  EXPECT_EQ(h.deps.tokens.forced, 1);
  EXPECT_EQ(h.fake.requests().size(), 2u);
}

TEST(SalesforceClientTest, RefusedRefreshIsPassedOn) {
  Harness h;
  h.deps.tokens.refresh_error =
      make_error(core::ErrorCode::needs_reauth, "Reconnect your CRM: Salesforce refused the refresh token.");
  h.fake.add(401, R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
  auto account = h.client.get_account();
  ASSERT_FALSE(account.ok());
  EXPECT_EQ(account.error().code, core::ErrorCode::needs_reauth);
  EXPECT_EQ(h.fake.requests().size(), 1u);
}

TEST(SalesforceClientTest, ErrorArraysMapToCodes) {
  {
    Harness h;
    h.fake.add(400, R"([{"message":"unexpected token: FROM","errorCode":"MALFORMED_QUERY"}])");
    auto account = h.client.get_account();
    ASSERT_FALSE(account.ok());
    EXPECT_EQ(account.error().code, core::ErrorCode::upstream_error);
    EXPECT_EQ(
        account.error().message,
        "Salesforce answered 400 for /services/data/v60.0/query: unexpected token: FROM (MALFORMED_QUERY)");
  }
  {
    Harness h;
    h.fake.add(403, R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])",
               {{"sforce-limit-info", "api-usage=15001/15000"}});
    auto account = h.client.get_account();
    ASSERT_FALSE(account.ok());
    EXPECT_EQ(account.error().code, core::ErrorCode::rate_limited);
    const RateLimitInfo info = h.client.last_rate_limit();
    EXPECT_TRUE(info.limited);
    EXPECT_EQ(info.policy, "REQUEST_LIMIT_EXCEEDED");
    EXPECT_EQ(info.retry_at_ms, to_epoch_ms(h.deps.clock.now()) + 3'600'000);
    EXPECT_THAT(account.error().message, HasSubstr(format_iso8601(from_epoch_ms(info.retry_at_ms))));
    EXPECT_EQ(h.client.rate_budget().daily_remaining, 0);
  }
  {
    Harness h;
    h.fake.add(
        403,
        R"([{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}])");
    auto account = h.client.get_account();
    EXPECT_EQ(account.error().code, core::ErrorCode::upstream_error);
    EXPECT_THAT(account.error().message, HasSubstr("not enabled"));
    EXPECT_FALSE(h.client.last_rate_limit().limited);
  }
  {
    Harness h;
    h.fake.add(404, R"([{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}])");
    EXPECT_EQ(h.client.get_account().error().code, core::ErrorCode::upstream_not_found);
  }
  {
    Harness h;
    h.fake.add(200, R"({"done":false,"records":[]})");
    Status status;
    h.list(false, "", &status);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::upstream_malformed);
  }
}

TEST(SalesforceClientTest, NoInstanceUrlNeedsReauth) {
  FakeHttpClient fake;
  ClientDeps deps;  // credentials without an instance, and none configured
  SalesforceClient client(fake, deps.tokens, deps.clock);
  auto account = client.get_account();
  ASSERT_FALSE(account.ok());
  EXPECT_EQ(account.error().code, core::ErrorCode::needs_reauth);
  EXPECT_TRUE(fake.requests().empty());
}

TEST(SalesforceClientTest, ApiVersionIsConfigurable) {
  FakeHttpClient fake;
  ClientDeps deps;
  SalesforceOptions options;
  options.api_version = "v62.0";
  options.instance_url = "https://fallback.my.salesforce.com/";
  SalesforceClient client(fake, deps.tokens, deps.clock, options);
  fake.add(200, page({R"({"Id":"00D1"})"}));
  ASSERT_TRUE(client.get_account().ok());
  EXPECT_THAT(fake.requests().at(0).url,
              ::testing::StartsWith("https://fallback.my.salesforce.com/services/data/v62.0/query?q="));
}

TEST(SforceLimitInfoTest, ParsesApiUsage) {
  RateBudget budget;
  EXPECT_TRUE(parse_sforce_limit_info("api-usage=18/15000", budget));
  EXPECT_EQ(budget.daily, 15000);
  EXPECT_EQ(budget.daily_remaining, 14982);
  EXPECT_TRUE(
      parse_sforce_limit_info("per-app-api-usage=17/250(appName=sample-app); api-usage=25/5000", budget));
  EXPECT_EQ(budget.daily, 5000);
  EXPECT_EQ(budget.daily_remaining, 4975);
  RateBudget untouched;
  EXPECT_FALSE(parse_sforce_limit_info("api-usage=abc", untouched));
  EXPECT_FALSE(parse_sforce_limit_info("api-usage=5/0", untouched));
  // A signed count used would leave more than the limit remaining (the fuzzer found it).
  EXPECT_FALSE(parse_sforce_limit_info("api-usage=-5/10", untouched));
  EXPECT_FALSE(parse_sforce_limit_info("api-usage=-9223372036854775807/10", untouched));
  EXPECT_FALSE(parse_sforce_limit_info("", untouched));
  EXPECT_EQ(untouched.daily, -1);
}

}  // namespace
}  // namespace tenantsync::upstream
