#pragma once
// The HTTP/1.1 server (Boost.Beast): one coroutine per connection, a read deadline,
// a body limit, keep-alive, request ids, server-sent events, and a bounded drain on stop.
// Bounded everywhere: connections (past the cap a new one is answered 503 and closed), the
// queue of requests waiting for a handler thread (past it 503 "overloaded" with Retry-After),
// and a failing accept (EMFILE) backs off instead of spinning.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace tenantsync::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;           ///< 0 picks a free port (tests)
  std::size_t body_limit = 1 << 20;    ///< larger bodies answer 413
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds drain_timeout{10};
  int io_threads = 1;
  int handler_threads = 8;             ///< blocking pool for handlers (SQLite, libcurl)
  std::size_t max_queued_requests = 256;  ///< requests waiting for a handler thread; more: 503
  std::size_t max_connections = 1024;     ///< open connections; more are answered 503 and closed
  std::string name = "tenantsync";
};

/// Called after each request with what the metrics and the access log need.
struct RequestRecord {
  const Request& request;
  const Response& response;
  double seconds;
};
using RequestObserver = std::function<void(const RequestRecord&)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler, RequestObserver observer = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and starts serving on background threads; returns the bound port.
  std::uint16_t start();
  /// Blocks until SIGTERM/SIGINT or stop(); then drains and returns.
  void wait_for_shutdown_signal();
  /// Stops accepting, lets open requests finish within drain_timeout, then closes everything.
  void stop();
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantsync::http
