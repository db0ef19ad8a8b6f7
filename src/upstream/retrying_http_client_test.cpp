#include "upstream/retrying_http_client.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/fake_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using std::chrono::milliseconds;

class RecordingSleeper final : public Sleeper {
 public:
  explicit RecordingSleeper(FakeClock& clock) : clock_(clock) {}
  void sleep_for(milliseconds duration) override {
    sleeps.push_back(duration);
    clock_.advance(duration);
  }
  std::vector<milliseconds> sleeps;

 private:
  FakeClock& clock_;
};

class FixedRandom final : public core::RandomSource {
 public:
  double next_unit() override { return 0.5; }
};

struct Wait {
  TimePoint until;
  std::string reason;
};

class RetryingHttpClientTest : public ::testing::Test {
 protected:
  RetryingHttpClient make(RetryOptions options = {}) {
    options.backoff = core::BackoffPolicy{milliseconds(100), milliseconds(10'000)};
    options.on_wait = [this](TimePoint until, const std::string& reason) {
      waits.push_back({until, reason});
    };
    return RetryingHttpClient(fake, sleeper, random, clock, std::move(options));
  }
  static HttpRequest get() { return HttpRequest{"GET", "https://api.example/x", {}, "", {}, {}}; }

  FakeHttpClient fake;
  FakeClock clock;
  RecordingSleeper sleeper{clock};
  FixedRandom random;
  std::vector<Wait> waits;
};

TEST_F(RetryingHttpClientTest, SuccessIsNotRetried) {
  fake.add(200, "ok");
  auto client = make();
  auto response = client.send(get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(fake.requests().size(), 1u);
  EXPECT_TRUE(sleeper.sleeps.empty());
}

TEST_F(RetryingHttpClientTest, RetriesTransientFailuresWithGrowingJitteredBackoff) {
  fake.add(503, "");
  fake.add_error(core::ErrorCode::upstream_timeout);
  fake.add(502, "");
  fake.add_error(core::ErrorCode::upstream_unreachable);
  fake.add(200, "finally");
  auto client = make();
  const TimePoint start = clock.now();
  auto response = client.send(get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "finally");
  EXPECT_EQ(fake.requests().size(), 5u);
  // Half of 100, 200, 400, 800 ms (the fixed random source returns 0.5).
  EXPECT_EQ(sleeper.sleeps, (std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200),
                                                       milliseconds(400)}));
  ASSERT_EQ(waits.size(), 4u);
  EXPECT_EQ(waits[0].until, start + milliseconds(50));
  EXPECT_EQ(waits[0].reason, "upstream error (HTTP 503)");
  EXPECT_EQ(waits[1].reason, "timed out");
  EXPECT_EQ(waits[3].reason, "network error");
}

TEST_F(RetryingHttpClientTest, ReturnsTheLastResponseAfterMaxAttempts) {
  for (int i = 0; i < 5; ++i) fake.add(500, "attempt " + std::to_string(i + 1));
  auto client = make();
  auto response = client.send(get());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, "attempt 5");
  EXPECT_EQ(fake.requests().size(), 5u);
  EXPECT_EQ(sleeper.sleeps.size(), 4u);
}

TEST_F(RetryingHttpClientTest, ReturnsTheLastErrorAfterMaxAttempts) {
  for (int i = 0; i < 3; ++i) fake.add_error(core::ErrorCode::upstream_timeout, "try " + std::to_string(i));
  RetryOptions options;
  options.max_attempts = 3;
  auto client = make(options);
  auto response = client.send(get());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::upstream_timeout);
  EXPECT_EQ(response.error().message, "try 2");
}

TEST_F(RetryingHttpClientTest, ClientErrorsAreNotRetried) {
  for (int status : {400, 401, 403, 404, 422}) {
    FakeHttpClient local;
    local.add(status, "");
    RetryingHttpClient client(local, sleeper, random, clock);
    auto response = client.send(get());
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, status);
    EXPECT_EQ(local.requests().size(), 1u) << status;
  }
  EXPECT_TRUE(sleeper.sleeps.empty());
}

TEST_F(RetryingHttpClientTest, OtherTransportErrorsAreNotRetried) {
  fake.add_error(core::ErrorCode::upstream_too_large);
  auto client = make();
  auto response = client.send(get());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::upstream_too_large);
  EXPECT_EQ(fake.requests().size(), 1u);
}

TEST_F(RetryingHttpClientTest, NonIdempotentRequestsAreNotRetried) {
  fake.add(503, "");
  auto client = make();
  HttpRequest post{"POST", "https://api.example/x", {}, "{}", {}, {}};
  auto response = client.send(post);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(fake.requests().size(), 1u);
}

TEST_F(RetryingHttpClientTest, PostMarkedIdempotentIsRetried) {
  fake.add(429, "");
  fake.add(200, "");
  auto client = make();
  HttpRequest search{"POST", "https://api.example/search", {}, "{}", {}, true};
  auto response = client.send(search);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(fake.requests().size(), 2u);
}

TEST_F(RetryingHttpClientTest, RetryAfterSecondsIsHonoured) {
  fake.add(429, "", {{"retry-after", "7"}});
  fake.add(200, "");
  auto client = make();
  const TimePoint start = clock.now();
  ASSERT_TRUE(client.send(get()).ok());
  EXPECT_EQ(sleeper.sleeps, std::vector<milliseconds>{milliseconds(7000)});
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].until, start + milliseconds(7000));
  EXPECT_EQ(waits[0].reason, "rate-limited (HTTP 429)");
}

TEST_F(RetryingHttpClientTest, RetryAfterDateIsHonoured) {
  clock.set(*parse_iso8601("2015-10-21T07:28:00Z"));
  fake.add(503, "", {{"retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"}});
  fake.add(200, "");
  auto client = make();
  ASSERT_TRUE(client.send(get()).ok());
  EXPECT_EQ(sleeper.sleeps, std::vector<milliseconds>{milliseconds(30'000)});
}

TEST_F(RetryingHttpClientTest, RetryAfterIsCapped) {
  fake.add(429, "", {{"retry-after", "86400"}});
  fake.add(200, "");
  RetryOptions options;
  options.max_retry_after = milliseconds(60'000);
  auto client = make(options);
  ASSERT_TRUE(client.send(get()).ok());
  EXPECT_EQ(sleeper.sleeps, std::vector<milliseconds>{milliseconds(60'000)});
}

TEST_F(RetryingHttpClientTest, AHugeRetryAfterIsCappedNotIgnored) {
  fake.add(429, "", {{"retry-after", "99999999999999999999999"}});
  fake.add(503, "", {{"retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"}});
  fake.add(200, "");
  auto client = make();
  ASSERT_TRUE(client.send(get()).ok());
  EXPECT_EQ(sleeper.sleeps, (std::vector<milliseconds>{milliseconds(120'000), milliseconds(120'000)}));
}

TEST_F(RetryingHttpClientTest, MalformedRetryAfterFallsBackToBackoff) {
  fake.add(429, "", {{"retry-after", "soon"}});
  fake.add(200, "");
  auto client = make();
  ASSERT_TRUE(client.send(get()).ok());
  EXPECT_EQ(sleeper.sleeps, std::vector<milliseconds>{milliseconds(50)});
}

TEST_F(RetryingHttpClientTest, LockedWaitsAtLeastTwoSeconds) {
  fake.add(423, "");
  fake.add(200, "");
  auto client = make();
  ASSERT_TRUE(client.send(get()).ok());
  EXPECT_EQ(sleeper.sleeps, std::vector<milliseconds>{milliseconds(2000)});
  EXPECT_EQ(waits.at(0).reason, "locked (HTTP 423)");
}

}  // namespace
}  // namespace tenantsync::upstream
