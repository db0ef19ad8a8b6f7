#include "api/long_work.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "api/json.hpp"

namespace tenantsync::api {
namespace {

using namespace std::chrono_literals;

http::Response text(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

TEST(LongWork, AWaitRunsOnItsPoolAndAnswersThroughTheDeferredResponse) {
  LongWork work(LongWorkOptions{.wait_threads = 1});
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  http::Response res = work.wait_or_answer_now(
      [&] {
        ran_on = std::this_thread::get_id();
        return text(200, "waited");
      },
      [] { return text(202, "now"); });
  ASSERT_TRUE(res.deferred);
  const http::Response answer = http::await_response(std::move(res));
  EXPECT_EQ(answer.body, "waited");
  EXPECT_NE(ran_on, caller);
}

TEST(LongWork, WhenEveryWaiterIsBusyTheAnswerIsGivenAtOnce) {
  LongWork work(LongWorkOptions{.wait_threads = 1});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  auto held = work.wait_or_answer_now(
      [&, released] {
        entered.set_value();
        released.wait();
        return text(200, "first");
      },
      [] { return text(202, "first now"); });
  auto first = std::async(std::launch::async, [&] { return http::await_response(std::move(held)); });
  entered.get_future().wait();
  const http::Response second = http::await_response(
      work.wait_or_answer_now([] { return text(200, "second"); }, [] { return text(202, "second now"); }));
  EXPECT_EQ(second.status, 202);
  EXPECT_EQ(second.body, "second now");
  release.set_value();
  EXPECT_EQ(first.get().body, "first");
}

TEST(LongWork, ATenantHasOneCheckAtATimeAndErrorsBecomeJson) {
  LongWork work(LongWorkOptions{.check_threads = 2, .max_queued_checks = 0, .tenant_max_checks = 1});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  auto held = work.check(TenantId{1}, [&, released] {
    entered.set_value();
    released.wait();
    return text(200, "checked");
  });
  auto first = std::async(std::launch::async, [&] { return http::await_response(std::move(held)); });
  entered.get_future().wait();
  try {
    (void)work.check(TenantId{1}, [] { return text(200, "again"); });
    ADD_FAILURE() << "a second check of the same tenant was accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 429);
    EXPECT_EQ(e.code(), core::ErrorCode::limit_exceeded);
    EXPECT_NE(std::string(e.what()).find("key_checks"), std::string::npos);
  }
  // Another tenant checks meanwhile; an ApiError its check throws is its JSON answer.
  const http::Response other = http::await_response(work.check(
      TenantId{2}, []() -> http::Response { throw ApiError(422, core::ErrorCode::key_rejected, "nope"); }));
  EXPECT_EQ(other.status, 422);
  EXPECT_NE(other.body.find("key_rejected"), std::string::npos);
  release.set_value();
  EXPECT_EQ(first.get().body, "checked");
  // The slot came back with the answer: the tenant may check again at once.
  EXPECT_EQ(http::await_response(work.check(TenantId{1}, [] { return text(200, "again"); })).body, "again");
}

TEST(LongWork, AFullCheckPoolAnswers503Overloaded) {
  LongWork work(LongWorkOptions{.check_threads = 1, .max_queued_checks = 0});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  auto held = work.check(TenantId{1}, [&, released] {
    entered.set_value();
    released.wait();
    return text(200, "checked");
  });
  auto first = std::async(std::launch::async, [&] { return http::await_response(std::move(held)); });
  entered.get_future().wait();
  const http::Response busy =
      http::await_response(work.check(TenantId{2}, [] { return text(200, "never"); }));
  EXPECT_EQ(busy.status, 503);
  EXPECT_NE(busy.body.find("overloaded"), std::string::npos);
  bool retry_after = false;
  for (const auto& [name, value] : busy.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
  release.set_value();
  EXPECT_EQ(first.get().status, 200);
}

}  // namespace
}  // namespace tenantsync::api
