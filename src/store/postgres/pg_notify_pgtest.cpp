// The LISTEN/NOTIFY channel on a real PostgreSQL (the CTest fixture's server): what one
// instance sends, another receives once; nobody receives its own; a killed connection comes back.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_notify.hpp"

namespace tenantsync::store::postgres {
namespace {

using namespace std::chrono_literals;

std::string server_url() {
  const char* file = std::getenv("TENANTSYNC_TEST_PG_URL_FILE");
  std::string url;
  if (file && *file) std::ifstream(file) >> url;
  return url;
}

// Collects what a channel receives.
struct Inbox {
  std::mutex mutex;
  std::vector<std::string> payloads;
  PgNotifyChannel::Receiver receiver() {
    return [this](const std::string& p) {
      std::lock_guard lock(mutex);
      payloads.push_back(p);
    };
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex);
    return payloads;
  }
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds within = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

class PgNotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = server_url();
    ASSERT_FALSE(url_.empty()) << "TENANTSYNC_TEST_PG_URL_FILE names no PostgreSQL URL (run through ctest)";
    // A channel of its own, so tests running at once on the same server do not hear each other.
    options_.channel = "tenantsync_test_" + std::to_string(std::random_device()());
    options_.min_backoff = 50ms;
    options_.max_backoff = 200ms;
  }
  std::string url_;
  NotifyOptions options_;
};

TEST_F(PgNotifyTest, OthersReceiveWhatOneSendsAndNobodyHearsItself) {
  Inbox a_in, b_in, c_in;
  PgNotifyChannel a(url_, a_in.receiver(), options_);
  PgNotifyChannel b(url_, b_in.receiver(), options_);
  PgNotifyChannel c(url_, c_in.receiver(), options_);
  for (auto* ch : {&a, &b, &c}) ch->start();
  ASSERT_TRUE(eventually([&] { return a.listening() && b.listening() && c.listening(); }));

  EXPECT_TRUE(a.send(R"({"n":"one"})"));
  EXPECT_TRUE(a.send(R"({"n":"two"})"));
  EXPECT_TRUE(b.send(R"({"n":"from-b"})"));
  ASSERT_TRUE(eventually([&] { return c_in.seen().size() == 3; })) << c_in.seen().size();
  ASSERT_TRUE(eventually([&] { return b_in.seen().size() == 2 && a_in.seen().size() == 1; }));
  std::this_thread::sleep_for(200ms);  // nothing more arrives: each payload once, none to its sender
  EXPECT_EQ(a_in.seen(), (std::vector<std::string>{R"({"n":"from-b"})"}));
  EXPECT_EQ(b_in.seen(), (std::vector<std::string>{R"({"n":"one"})", R"({"n":"two"})"}));
  EXPECT_EQ(c_in.seen().size(), 3u);
}

TEST_F(PgNotifyTest, APayloadPostgreSQLWouldRefuseIsNotSent) {
  Inbox in;
  PgNotifyChannel a(url_, in.receiver(), options_);
  a.start();
  ASSERT_TRUE(eventually([&] { return a.listening(); }));
  EXPECT_FALSE(a.send(std::string(kMaxNotifyPayload + 1, 'x')));
  EXPECT_TRUE(a.send(std::string(kMaxNotifyPayload, 'x')));
}

TEST_F(PgNotifyTest, AKilledConnectionReconnectsAndListensAgain) {
  Inbox sender_in, in;
  PgNotifyChannel sender(url_, sender_in.receiver(), options_);
  PgNotifyChannel listener(url_, in.receiver(), options_);
  sender.start();
  listener.start();
  ASSERT_TRUE(eventually([&] { return sender.listening() && listener.listening(); }));
  const int first_pid = listener.backend_pid();
  ASSERT_GT(first_pid, 0);

  auto admin = PgConnection::open(url_);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  auto killed = (*admin)->query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {std::int64_t{first_pid}});
  ASSERT_TRUE(killed.ok()) << killed.error().message;

  ASSERT_TRUE(eventually([&] { return listener.connections() == 2 && listener.listening(); }));
  EXPECT_NE(listener.backend_pid(), first_pid);
  EXPECT_TRUE(sender.send("after the reconnect"));
  ASSERT_TRUE(eventually([&] { return !in.seen().empty(); }));
  EXPECT_EQ(in.seen().back(), "after the reconnect");
}

TEST_F(PgNotifyTest, NoServerMeansRetriesNotACrash) {
  NotifyOptions options = options_;
  options.connect_timeout_s = 1;
  std::mutex mutex;
  int downs = 0;
  options.on_state = [&](bool listening, const std::string&) {
    std::lock_guard lock(mutex);
    if (!listening) ++downs;
  };
  Inbox in;
  // A Unix socket folder with no server in it.
  PgNotifyChannel nowhere("postgresql://postgres@/postgres?host=/nonexistent-tenantsync&port=1",
                          in.receiver(), options);
  nowhere.start();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return downs >= 2;
  }));
  EXPECT_FALSE(nowhere.listening());
  EXPECT_TRUE(nowhere.send("dropped"));  // accepted and counted as dropped, never queued
  EXPECT_GE(nowhere.dropped(), 1u);
  nowhere.stop();
}

}  // namespace
}  // namespace tenantsync::store::postgres
