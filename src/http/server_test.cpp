#include "http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace tenantsync::http {
namespace {

// A blocking loopback client: enough HTTP to test the server without another library.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& data) { ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL), (ssize_t)data.size()); }
  // Reads until `needle` appears in what was received, or the peer closes, or 5 s pass.
  std::string read_until(const std::string& needle) {
    char buf[4096];
    while (received_.find(needle) == std::string::npos) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
    }
    return received_;
  }
  std::string read_all() { return read_until("\x01never\x01"); }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string received_;
};

Response echo(const Request& req) {
  Response res;
  res.body = req.method + " " + req.path + " q=" + req.query_param("q").value_or("") + " body=" + req.body;
  res.content_type = "text/plain";
  return res;
}

TEST(HttpServer, AnswersAndKeepsConnectionAlive) {
  Server server(ServerOptions{.port = 0}, echo);
  const auto port = server.start();
  RawClient client(port);
  ASSERT_TRUE(client.connected());
  client.send("GET /a%20b?q=x%2By HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-1\r\n\r\n");
  const auto first = client.read_until("body=");
  EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(first.find("GET /a b q=x+y"), std::string::npos);
  EXPECT_NE(first.find("X-Request-Id: abc-1"), std::string::npos);
  // The same connection serves a second request.
  client.send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  const auto both = client.read_until("body=hello");
  EXPECT_NE(both.find("POST /p q= body=hello"), std::string::npos);
}

TEST(HttpServer, RejectsOversizedBodyWith413) {
  Server server(ServerOptions{.port = 0, .body_limit = 16}, echo);
  const auto port = server.start();
  RawClient client(port);
  client.send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x'));
  const auto reply = client.read_all();
  EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos);
  EXPECT_NE(reply.find("payload_too_large"), std::string::npos);
}

TEST(HttpServer, RejectsGarbageWith400) {
  Server server(ServerOptions{.port = 0}, echo);
  const auto port = server.start();
  RawClient client(port);
  client.send("THIS IS NOT HTTP\r\n\r\n");
  const auto reply = client.read_all();
  EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos);
}

TEST(HttpServer, HandlerExceptionBecomesJson500) {
  Server server(ServerOptions{.port = 0}, [](const Request&) -> Response { throw std::runtime_error("boom"); });
  const auto port = server.start();
  RawClient client(port);
  client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  const auto reply = client.read_all();
  EXPECT_NE(reply.find("HTTP/1.1 500"), std::string::npos);
  EXPECT_NE(reply.find("internal_error"), std::string::npos);
}

TEST(HttpServer, StreamsServerSentEvents) {
  std::promise<std::shared_ptr<EventSink>> sink_promise;
  Server server(ServerOptions{.port = 0}, [&](const Request&) {
    Response res;
    res.on_stream = [&](std::shared_ptr<EventSink> sink) { sink_promise.set_value(sink); };
    return res;
  });
  const auto port = server.start();
  RawClient client(port);
  client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n");
  auto sink = sink_promise.get_future().get();
  EXPECT_TRUE(sink->push("event: hello\ndata: {\"n\":1}\n\n"));
  const auto reply = client.read_until("data: {\"n\":1}");
  EXPECT_NE(reply.find("text/event-stream"), std::string::npos);
  EXPECT_NE(reply.find("event: hello"), std::string::npos);
  server.stop();
  EXPECT_TRUE(sink->closed());
}

TEST(HttpServer, StopLetsRequestInProgressFinish) {
  std::atomic<bool> entered{false};
  Server server(ServerOptions{.port = 0}, [&](const Request&) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Response res;
    res.body = "finished";
    return res;
  });
  const auto port = server.start();
  RawClient client(port);
  client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.stop();
  const auto reply = client.read_all();
  EXPECT_NE(reply.find("finished"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
}

TEST(HttpServer, ObserverSeesEveryRequest) {
  std::atomic<int> seen{0};
  std::atomic<int> last_status{0};
  Server server(ServerOptions{.port = 0}, echo, [&](const RequestRecord& r) {
    ++seen;
    last_status = r.response.status;
    EXPECT_GE(r.seconds, 0.0);
  });
  const auto port = server.start();
  RawClient client(port);
  client.send("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  client.read_all();
  server.stop();
  EXPECT_EQ(seen.load(), 1);
  EXPECT_EQ(last_status.load(), 200);
}

TEST(HttpServer, DeferredAnswerDoesNotHoldTheHandlerThread) {
  std::promise<Respond> pending;
  Server server(ServerOptions{.port = 0, .handler_threads = 1}, [&](const Request& req) {
    Response res;
    if (req.path == "/slow") {
      res.deferred = [&pending](Respond respond) { pending.set_value(std::move(respond)); };
      return res;
    }
    res.body = "fast";
    return res;
  });
  const auto port = server.start();
  RawClient slow(port);
  slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  auto respond = pending.get_future().get();
  // The only handler thread is free while /slow waits for its answer.
  RawClient fast(port);
  fast.send("GET /fast HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_NE(fast.read_all().find("fast"), std::string::npos);
  std::thread later([respond] {
    Response answer;
    answer.status = 202;
    answer.body = "answered later";
    respond(std::move(answer));
  });
  later.join();
  const auto reply = slow.read_until("answered later");
  EXPECT_NE(reply.find("HTTP/1.1 202"), std::string::npos);
  EXPECT_NE(reply.find("answered later"), std::string::npos);
}

TEST(HttpServer, AFullRequestQueueAnswers503OverloadedWithRetryAfter) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  Server server(ServerOptions{.port = 0, .handler_threads = 1, .max_queued_requests = 0},
                [&](const Request&) {
                  if (first.exchange(false)) {
                    entered.set_value();
                    released.wait();
                  }
                  Response res;
                  res.body = "done";
                  return res;
                });
  const auto port = server.start();
  RawClient busy(port);
  busy.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  entered.get_future().wait();
  RawClient refused(port);
  refused.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
  const auto reply = refused.read_all();  // answered at once, and closed
  EXPECT_NE(reply.find("HTTP/1.1 503"), std::string::npos);
  EXPECT_NE(reply.find("\"overloaded\""), std::string::npos);
  EXPECT_NE(reply.find("Retry-After: 2"), std::string::npos);
  release.set_value();
  EXPECT_NE(busy.read_until("done").find("done"), std::string::npos);
}

TEST(HttpServer, ConnectionsPastTheCapAreAnswered503AndClosed) {
  Server server(ServerOptions{.port = 0, .max_connections = 1}, echo);
  const auto port = server.start();
  RawClient held(port);
  held.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_NE(held.read_until("body=").find("HTTP/1.1 200"), std::string::npos);  // kept alive: counted
  RawClient second(port);
  const auto reply = second.read_all();
  EXPECT_NE(reply.find("HTTP/1.1 503"), std::string::npos);
  EXPECT_NE(reply.find("too many open connections"), std::string::npos);
  // The held connection still works.
  held.send("GET /again HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_NE(held.read_all().find("GET /again"), std::string::npos);
}

TEST(HttpQuery, DecodesPairs) {
  const auto q = parse_query("a=1&b=x%20y&c=&d&e=%zz");
  EXPECT_EQ(q.find("a")->second, "1");
  EXPECT_EQ(q.find("b")->second, "x y");
  EXPECT_EQ(q.find("c")->second, "");
  EXPECT_EQ(q.find("d")->second, "");
  EXPECT_EQ(q.find("e")->second, "%zz");
  EXPECT_EQ(url_encode("a b/ü"), "a%20b%2F%C3%BC");
}

}  // namespace
}  // namespace tenantsync::http
