#include "upstream/budget_http_client.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/fake_http_client.hpp"

namespace tenantsync::upstream {
namespace {

using namespace std::chrono_literals;

TEST(BudgetHttpClient, CutsEachRequestsTimeoutToWhatIsLeft) {
  FakeHttpClient inner;
  inner.add(200, "{}");
  inner.add(200, "{}");
  BudgetHttpClient budget(inner, 10s, 30s);
  HttpRequest plain;
  plain.url = "https://example.test/a";
  ASSERT_TRUE(budget.send(plain).ok());
  HttpRequest short_one = plain;
  short_one.timeout = 2s;
  ASSERT_TRUE(budget.send(short_one).ok());
  const auto sent = inner.requests();
  ASSERT_EQ(sent.size(), 2u);
  // The client default (30 s) is cut to the budget; a shorter timeout of its own is kept.
  EXPECT_LE(sent[0].timeout, 10s);
  EXPECT_GT(sent[0].timeout, 9s);
  EXPECT_EQ(sent[1].timeout, 2s);
}

TEST(BudgetHttpClient, ARequestPastTheBudgetFailsWithoutBeingSent) {
  FakeHttpClient inner;
  inner.set_handler([](const HttpRequest&) -> Result<HttpResponse> {
    std::this_thread::sleep_for(120ms);  // a slow upstream uses the budget up
    return HttpResponse{200, {}, "{}"};
  });
  BudgetHttpClient budget(inner, 100ms, 30s);
  HttpRequest request;
  request.url = "https://example.test/slow";
  ASSERT_TRUE(budget.send(request).ok());
  auto late = budget.send(request);
  ASSERT_FALSE(late.ok());
  EXPECT_TRUE(late.error().is(core::ErrorCode::upstream_timeout));
  EXPECT_EQ(inner.requests().size(), 1u);
}

}  // namespace
}  // namespace tenantsync::upstream
