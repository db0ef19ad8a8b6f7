#include "upstream/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace tenantsync::upstream {
namespace {

using std::chrono::milliseconds;

// The listeners below are on loopback, which production refuses: these tests lift the rule.
CurlOptions loopback_allowed() {
  CurlOptions options;
  options.allow_private_upstreams = true;
  return options;
}

// A listening socket on 127.0.0.1 with a kernel-chosen port.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { close(); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }
  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Accepts one connection, reads the request head, answers `reply`, and returns the head.
std::string serve_once(int listen_fd, const std::string& reply) {
  pollfd waiting{listen_fd, POLLIN, 0};
  if (::poll(&waiting, 1, 5000) != 1) return {};
  const int connection = ::accept(listen_fd, nullptr, nullptr);
  if (connection < 0) return {};
  std::string request;
  char buffer[4096];
  // Reads the head, then as much body as Content-Length announces (closing early would reset).
  const auto complete = [&request] {
    const auto head_end = request.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    const auto length_at = request.find("Content-Length: ");
    if (length_at == std::string::npos || length_at > head_end) return true;
    const auto length = std::stoul(request.substr(length_at + 16));
    return request.size() >= head_end + 4 + length;
  };
  while (!complete()) {
    pollfd readable{connection, POLLIN, 0};
    if (::poll(&readable, 1, 5000) != 1) break;
    const ssize_t got = ::recv(connection, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    request.append(buffer, static_cast<std::size_t>(got));
  }
  std::size_t sent = 0;
  while (sent < reply.size()) {
    const ssize_t wrote = ::send(connection, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
    if (wrote <= 0) break;
    sent += static_cast<std::size_t>(wrote);
  }
  ::close(connection);
  return request;
}

TEST(CurlHttpClientTest, ClosedPortIsUnreachable) {
  std::string url;
  {
    Listener listener;  // reserve a free port, then close it so nothing listens there
    url = listener.url();
  }
  CurlHttpClient client(loopback_allowed());
  HttpRequest request;
  request.url = url;
  request.timeout = milliseconds(2000);
  auto response = client.send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::upstream_unreachable);
  // libcurl's text (the address, "refused") is for the log, never for the tenant.
  EXPECT_EQ(response.error().message.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(response.error().message.find("refused"), std::string::npos);
}

TEST(CurlHttpClientTest, SilentServerTimesOut) {
  Listener listener;  // the kernel completes the handshake; nobody ever answers
  CurlHttpClient client(loopback_allowed());
  HttpRequest request;
  request.url = listener.url();
  request.timeout = milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(request);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  // A silent server and a closed port look the same to the tenant: no network scanning.
  EXPECT_EQ(response.error().code, core::ErrorCode::upstream_unreachable);
  EXPECT_LT(took, std::chrono::seconds(3));
}

// Counts the connections a listener was offered, without waiting.
int pending_connections(int listen_fd) {
  int count = 0;
  for (;;) {
    pollfd waiting{listen_fd, POLLIN, 0};
    if (::poll(&waiting, 1, 0) != 1) return count;
    const int connection = ::accept(listen_fd, nullptr, nullptr);
    if (connection < 0) return count;
    ::close(connection);
    ++count;
  }
}

TEST(CurlHttpClientTest, LoopbackIsRefusedBeforeConnectingInEverySpelling) {
  Listener listener;
  CurlHttpClient client;  // the production default: public addresses only
  const std::string port = std::to_string(listener.port());
  // localhost is resolved by libcurl itself, so the refusal happens at the socket, after the lookup.
  for (const std::string host : {"127.0.0.1", "localhost", "2130706433", "127.1", "[::ffff:127.0.0.1]"}) {
    HttpRequest request;
    request.url = "https://" + host + ":" + port + "/user/me";
    request.timeout = milliseconds(2000);
    auto response = client.send(request);
    ASSERT_FALSE(response.ok()) << host;
    EXPECT_TRUE(response.error().is(core::ErrorCode::forbidden_upstream))
        << host << ": " << response.error().message;
    EXPECT_EQ(response.error().message.find("127.0.0.1"), std::string::npos) << host;
  }
  EXPECT_EQ(pending_connections(listener.fd()), 0);
}

TEST(CurlHttpClientTest, HttpIsRefusedWithoutTheFlag) {
  Listener listener;
  CurlHttpClient client;
  HttpRequest request;
  request.url = listener.url("/x");
  auto response = client.send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.error().is(core::ErrorCode::forbidden_upstream));
  EXPECT_EQ(pending_connections(listener.fd()), 0);
}

TEST(CurlHttpClientTest, ReturnsStatusHeadersAndBody) {
  Listener listener;
  std::string seen;
  std::thread server([&] {
    seen = serve_once(listener.fd(),
                      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nX-Trace: a\r\n"
                      "X-Trace: b\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"detail\":\"gone\"}");
  });
  CurlHttpClient client(loopback_allowed());
  HttpRequest request;
  request.url = listener.url("/v2/agent/all?x=1");
  request.headers = {{"Authorization", "Bearer bn-secret"}};
  auto response = client.send(request);
  server.join();
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "{\"detail\":\"gone\"}");
  ASSERT_NE(response->header("content-type"), nullptr);
  EXPECT_EQ(*response->header("content-type"), "application/json");
  EXPECT_EQ(*response->header("x-trace"), "a, b");
  EXPECT_NE(seen.find("GET /v2/agent/all?x=1 HTTP/1.1"), std::string::npos);
  EXPECT_NE(seen.find("Authorization: Bearer bn-secret"), std::string::npos);
}

TEST(CurlHttpClientTest, BodyOverTheCapIsAnError) {
  Listener listener;
  const std::string body(10'000, 'x');
  std::thread server([&] {
    serve_once(listener.fd(), "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\nConnection: close\r\n\r\n" + body);
  });
  CurlOptions options = loopback_allowed();
  options.max_body_bytes = 1000;
  CurlHttpClient client(options);
  HttpRequest request;
  request.url = listener.url();
  auto response = client.send(request);
  server.join();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, core::ErrorCode::upstream_too_large);
}

TEST(CurlHttpClientTest, PostSendsTheBody) {
  Listener listener;
  std::string seen;
  std::thread server([&] {
    seen = serve_once(listener.fd(), "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  CurlHttpClient client(loopback_allowed());
  HttpRequest request;
  request.method = "POST";
  request.url = listener.url("/search");
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "{\"limit\":100}";
  auto response = client.send(request);
  server.join();
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 201);
  EXPECT_NE(seen.find("POST /search HTTP/1.1"), std::string::npos);
  EXPECT_NE(seen.find("Content-Length: 13"), std::string::npos);
}

TEST(UrlEncodeTest, KeepsUnreservedOnly) {
  EXPECT_EQ(url_encode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(url_encode("a b/c:d?"), "a%20b%2Fc%3Ad%3F");
}

TEST(HttpRequestTest, IdempotentDefaultsFollowTheMethod) {
  HttpRequest request;
  EXPECT_TRUE(request.is_idempotent());
  request.method = "POST";
  EXPECT_FALSE(request.is_idempotent());
  request.idempotent = true;
  EXPECT_TRUE(request.is_idempotent());
  request.method = "DELETE";
  request.idempotent.reset();
  EXPECT_TRUE(request.is_idempotent());
}

}  // namespace
}  // namespace tenantsync::upstream
