#include "upstream/voice/bolna_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/fake_http_client.hpp"
#include "upstream/retrying_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

TimePoint at(const char* iso) { return *parse_iso8601(iso); }

class BolnaClientTest : public ::testing::Test {
 protected:
  BolnaClient client() {
    return BolnaClient(fake, BolnaOptions{"https://bolna.test/", "bn-key", milliseconds(1000)});
  }

  // Reads every page of one execution listing, returning the page numbers seen.
  Status read_all(BolnaClient& bolna, TimePoint from, TimePoint to, std::vector<VoiceRecord>& out,
                  std::vector<int>& pages) {
    return bolna.list_executions("ag-1", from, to, [&](VoiceListing&& page, int number) {
      pages.push_back(number);
      for (auto& record : page.records) out.push_back(std::move(record));
      return Status{};
    });
  }

  FakeHttpClient fake;
};

TEST_F(BolnaClientTest, SendsBearerKeyAndReadsAccount) {
  fake.add(200, R"({"id":"u-1","name":"Bruce","email":"b@x.io","wallet":1.5})");
  auto bolna = client();
  auto account = bolna.get_account();
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_EQ(account->id, "u-1");
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, "https://bolna.test/user/me");
  EXPECT_EQ(requests[0].timeout, milliseconds(1000));
  EXPECT_THAT(requests[0].headers,
              ::testing::Contains(std::pair<std::string, std::string>("Authorization", "Bearer bn-key")));
}

TEST_F(BolnaClientTest, ListsEachResourceAtItsPath) {
  fake.add(200, R"([{"id":"a1","agent_name":"A"}])");
  fake.add(200, R"([{"id":"p1","phone_number":"+15550001111"}])");
  fake.add(200, R"([{"batch_id":"b1","file_name":"list.csv"}])");
  auto bolna = client();
  auto agents = bolna.list_agents();
  auto phones = bolna.list_phone_numbers();
  auto batches = bolna.list_batches("a1/x");
  ASSERT_TRUE(agents.ok() && phones.ok() && batches.ok());
  EXPECT_EQ(agents->records.at(0).name, "A");
  EXPECT_EQ(phones->records.at(0).name, "+15550001111");
  EXPECT_EQ(batches->records.at(0).agent_id, "a1/x");
  const auto requests = fake.requests();
  EXPECT_EQ(requests[0].url, "https://bolna.test/v2/agent/all");
  EXPECT_EQ(requests[1].url, "https://bolna.test/phone-numbers/all");
  EXPECT_EQ(requests[2].url, "https://bolna.test/batches/a1%2Fx/all");
}

TEST_F(BolnaClientTest, RejectedKeysSayWhatBolnaSaid) {
  struct Case {
    int status;
    const char* body;
    const char* message;
  };
  for (const Case& c : {
           Case{401, R"({"error":401,"message":"Access denied"})",  // the documented body
                "The Bolna API rejected the API key: Access denied. Check the key in Settings."},
           Case{403, R"({"detail":"Invalid or expired API key"})",  // what the live API sends
                "The Bolna API rejected the API key: Invalid or expired API key. Check the key in Settings."},
           Case{403, R"({"error":403})",
                "The Bolna API rejected the API key: 403. Check the key in Settings."},
           Case{401, "", "The Bolna API rejected the API key. Check the key in Settings."},
       }) {
    FakeHttpClient local;
    local.add(c.status, c.body);
    local.add(c.status, c.body);
    BolnaClient bolna(local, BolnaOptions{"https://bolna.test/", "bn-key", milliseconds(1000)});
    auto agents = bolna.list_agents();
    auto account = bolna.get_account();
    ASSERT_FALSE(agents.ok()) << c.body;
    ASSERT_FALSE(account.ok()) << c.body;
    EXPECT_EQ(agents.error().code, core::ErrorCode::key_rejected) << c.body;
    EXPECT_EQ(account.error().code, core::ErrorCode::key_rejected) << c.body;
    EXPECT_EQ(agents.error().message, c.message);
    EXPECT_EQ(account.error().message, c.message);
  }
}

TEST_F(BolnaClientTest, StatusesMapToStableCodes) {
  struct Case {
    int status;
    core::ErrorCode code;
    const char* fragment;
  };
  for (const Case& c : {Case{404, core::ErrorCode::upstream_not_found, "HTTP 404"},
                        Case{429, core::ErrorCode::rate_limited, "rate-limiting"},
                        Case{500, core::ErrorCode::upstream_error, "Bolna answered 500 for /v2/agent/all"},
                        Case{503, core::ErrorCode::upstream_error, "Bolna answered 503"},
                        Case{400, core::ErrorCode::upstream_error, "Bolna answered 400"}}) {
    FakeHttpClient local;
    local.add(c.status, R"({"message":"nope"})");
    BolnaClient bolna(local, BolnaOptions{"https://bolna.test", "k"});
    auto agents = bolna.list_agents();
    ASSERT_FALSE(agents.ok()) << c.status;
    EXPECT_EQ(agents.error().code, c.code) << c.status;
    EXPECT_THAT(agents.error().message, HasSubstr(c.fragment));
  }
}

TEST_F(BolnaClientTest, TransportErrorsPassThrough) {
  fake.add_error(core::ErrorCode::upstream_timeout, "The request timed out.");
  auto bolna = client();
  auto agents = bolna.list_agents();
  ASSERT_FALSE(agents.ok());
  EXPECT_EQ(agents.error().code, core::ErrorCode::upstream_timeout);
}

TEST_F(BolnaClientTest, MalformedAndTruncatedBodies) {
  fake.add(200, R"([{"id":"a1","agent_na)");
  fake.add(200, R"({"agents":{}})");
  auto bolna = client();
  auto truncated = bolna.list_agents();
  auto wrong_type = bolna.list_agents();
  ASSERT_FALSE(truncated.ok());
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(truncated.error().code, core::ErrorCode::upstream_malformed);
  EXPECT_EQ(wrong_type.error().code, core::ErrorCode::upstream_malformed);
}

TEST_F(BolnaClientTest, RateLimitedAfterRetries) {
  for (int i = 0; i < 3; ++i) fake.add(429, R"({"message":"slow down"})", {{"retry-after", "1"}});
  FakeClock clock;
  struct NoSleep final : Sleeper {
    void sleep_for(milliseconds) override { ++count; }
    int count = 0;
  } sleeper;
  core::SystemRandomSource random;
  RetryOptions options;
  options.max_attempts = 3;
  RetryingHttpClient retrying(fake, sleeper, random, clock, options);
  BolnaClient bolna(retrying, BolnaOptions{"https://bolna.test", "k"});
  auto agents = bolna.list_agents();
  ASSERT_FALSE(agents.ok());
  EXPECT_EQ(agents.error().code, core::ErrorCode::rate_limited);
  EXPECT_EQ(fake.requests().size(), 3u);
  EXPECT_EQ(sleeper.count, 2);
}

TEST_F(BolnaClientTest, ExecutionsFollowHasMoreWithWindowParameters) {
  fake.add(200, R"({"page_number":1,"has_more":true,"data":[{"id":"e1"},{"id":"e2"}]})");
  fake.add(200, R"({"page_number":2,"has_more":true,"data":[{"id":"e3"}]})");
  fake.add(200, R"({"page_number":3,"has_more":false,"data":[{"id":"e4"}]})");
  auto bolna = client();
  std::vector<VoiceRecord> records;
  std::vector<int> pages;
  auto status = read_all(bolna, at("2025-05-07T00:00:00Z"), at("2025-05-10T00:00:00Z"), records, pages);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(pages, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].upstream_id, "e4");
  EXPECT_EQ(records[3].agent_id, "ag-1");
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].url,
            "https://bolna.test/v2/agent/ag-1/executions?page_number=1&page_size=50"
            "&from=2025-05-07T00%3A00%3A00.000Z&to=2025-05-10T00%3A00%3A00.000Z");
  EXPECT_THAT(requests[2].url, HasSubstr("page_number=3&"));
}

TEST_F(BolnaClientTest, ExecutionsWalkSevenDayWindows) {
  fake.set_handler([](const HttpRequest&) {
    return HttpResponse{200, {}, R"({"has_more":false,"data":[{"id":"e"}]})"};
  });
  auto bolna = client();
  std::vector<VoiceRecord> records;
  std::vector<int> pages;
  auto status = read_all(bolna, at("2025-01-01T00:00:00Z"), at("2025-01-20T00:00:00Z"), records, pages);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(pages, (std::vector<int>{1, 2, 3}));
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_THAT(requests[0].url,
              HasSubstr("from=2025-01-01T00%3A00%3A00.000Z&to=2025-01-07T23%3A59%3A59.999Z"));
  EXPECT_THAT(requests[1].url,
              HasSubstr("from=2025-01-08T00%3A00%3A00.000Z&to=2025-01-14T23%3A59%3A59.999Z"));
  EXPECT_THAT(requests[2].url,
              HasSubstr("from=2025-01-15T00%3A00%3A00.000Z&to=2025-01-20T00%3A00%3A00.000Z"));
}

TEST_F(BolnaClientTest, AFailedPageFailsTheListing) {
  struct Case {
    const char* what;
    std::vector<std::pair<int, std::string>> answers;
    core::ErrorCode code;
    const char* fragment;
    std::vector<int> pages;  // handed to the callback before the failure
  };
  const std::string page = R"({"has_more":true,"data":[{"id":"e1"}]})";
  const std::string page2 = R"({"has_more":true,"data":[{"id":"e2"}]})";
  for (const Case& c : {
           Case{"an error on page three",
                {{200, page}, {200, page2}, {502, "<html>Bad Gateway</html>"}},
                core::ErrorCode::upstream_error,
                "Bolna answered 502",
                {1, 2}},
           Case{"a malformed page",
                {{200, page}, {200, R"({"has_more":true,"data":[{"id":"e2"},)"}},
                core::ErrorCode::upstream_malformed,
                "",
                {1}},
           Case{"an empty page that promises more",
                {{200, R"({"has_more":true,"data":[]})"}},
                core::ErrorCode::upstream_paging_loop,
                "no record it had not sent before",
                {}},
           Case{"the same records again",
                {{200, page}, {200, page}},
                core::ErrorCode::upstream_paging_loop,
                "Bolna executions of agent ag-1",
                {1}},
       }) {
    FakeHttpClient local;
    for (const auto& [status, body] : c.answers) local.add(status, body);
    BolnaClient bolna(local, BolnaOptions{"https://bolna.test/", "bn-key", milliseconds(1000)});
    std::vector<VoiceRecord> records;
    std::vector<int> pages;
    auto status = read_all(bolna, at("2025-05-07T00:00:00Z"), at("2025-05-08T00:00:00Z"), records, pages);
    ASSERT_FALSE(status.ok()) << c.what;
    EXPECT_EQ(status.error().code, c.code) << c.what;
    EXPECT_THAT(status.error().message, HasSubstr(c.fragment)) << c.what;
    EXPECT_EQ(pages, c.pages) << c.what;
  }
}

// Bolna's official spec, served by a mock: every page says page_number 0, total 0 and
// has_more, with the same record. The listing stops at the second page, as not complete.
TEST_F(BolnaClientTest, TheSpecsEndlessExampleStopsAtTheSecondPage) {
  fake.set_handler([](const HttpRequest&) {
    return HttpResponse{200, {}, R"({"page_number":0,"page_size":0,"total":0,"has_more":true,
                                     "data":[{"id":"4c06","created_at":"2024-01-23T01:14:37Z",
                                              "updated_at":"2024-02-29T04:22:89Z"}]})"};
  });
  auto bolna = client();
  std::vector<VoiceRecord> records;
  std::vector<int> pages;
  auto status = read_all(bolna, at("2025-01-01T00:00:00Z"), at("2025-01-30T00:00:00Z"), records, pages);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::upstream_paging_loop);
  EXPECT_THAT(status.error().message, HasSubstr("page number 0 twice"));
  EXPECT_EQ(fake.requests().size(), 2u);
  EXPECT_EQ(pages, (std::vector<int>{1}));
}

TEST_F(BolnaClientTest, ARepeatedPageEndsTheWindowWhenBolnasTotalSaysAllWasRead) {
  fake.add(200, R"({"page_number":1,"total":2,"has_more":true,"data":[{"id":"e1"},{"id":"e2"}]})");
  fake.add(200, R"({"page_number":1,"total":2,"has_more":true,"data":[{"id":"e1"},{"id":"e2"}]})");
  auto bolna = client();
  std::vector<VoiceRecord> records;
  std::vector<int> pages;
  auto status = read_all(bolna, at("2025-05-07T00:00:00Z"), at("2025-05-08T00:00:00Z"), records, pages);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(pages, (std::vector<int>{1}));
  EXPECT_EQ(records.size(), 2u);
  EXPECT_EQ(fake.requests().size(), 2u);
}

TEST_F(BolnaClientTest, CallbackErrorStopsTheListing) {
  fake.add(200, R"({"has_more":true,"data":[{"id":"e1"}]})");
  auto bolna = client();
  auto status = bolna.list_executions(
      "ag-1", at("2025-05-07T00:00:00Z"), at("2025-05-08T00:00:00Z"),
      [](VoiceListing&&, int) -> Status { return make_error(core::ErrorCode::cancelled, "Stopped."); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::cancelled);
  EXPECT_EQ(fake.requests().size(), 1u);
}

TEST(SplitWindowsTest, CoversTheRangeWithoutOverlap) {
  const TimePoint from = at("2025-01-01T00:00:00Z");
  const auto windows = split_windows(from, from + hours(24 * 15), hours(24 * 7));
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].first, from);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    EXPECT_LE(windows[i].second - windows[i].first, hours(24 * 7));
    if (i > 0) {
      EXPECT_EQ(windows[i].first, windows[i - 1].second + milliseconds(1));
    }
  }
  EXPECT_EQ(windows.back().second, from + hours(24 * 15));
  EXPECT_EQ(split_windows(from, from, hours(1)).size(), 1u);
  EXPECT_TRUE(split_windows(from, from - hours(1), hours(1)).empty());
  EXPECT_EQ(split_windows(from, from + hours(24 * 7) - milliseconds(1), hours(24 * 7)).size(), 1u);
}

}  // namespace
}  // namespace tenantsync::upstream
