// The only translation unit that includes Beast and Asio: they are heavy to compile,
// and keeping them here keeps the rest of the build fast (see docs/architecture.md). That is
// also why this file is longer than the ~400 lines files aim for: the server is one unit.
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>  // before Asio: Boost 1.74's awaitable header needs it

#include "core/log_text.hpp"
#include "http/work_pool.hpp"

namespace tenantsync::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr auto kWriteTimeout = std::chrono::seconds(30);
// How long a connection answered with 413/400 keeps reading what the client still sends.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr auto kSsePingInterval = std::chrono::seconds(15);
constexpr std::size_t kSseMaxQueued = 1000;  // a client this far behind is dropped
// What an overloaded server asks clients to wait before trying again.
constexpr auto kOverloadRetryAfter = std::chrono::seconds(2);
// A failing accept (EMFILE: out of descriptors) is retried after a pause that doubles up to the cap.
constexpr auto kAcceptBackoffFirst = std::chrono::milliseconds(50);
constexpr auto kAcceptBackoffMax = std::chrono::seconds(1);

std::string make_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  auto bits = rng();
  for (auto& c : id) {
    c = kHex[bits & 15];
    bits >>= 4;
  }
  return id;
}

bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Request to_request(bhttp::request<bhttp::string_body>&& raw, const std::string& remote) {
  Request req;
  req.method = std::string(raw.method_string());
  req.target = std::string(raw.target());
  const auto q = req.target.find('?');
  req.path = url_decode(std::string_view(req.target).substr(0, q), false);
  if (q != std::string::npos) req.query = parse_query(std::string_view(req.target).substr(q + 1));
  for (const auto& field : raw) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(field.value());
  }
  req.body = std::move(raw.body());
  req.remote_address = remote;
  const auto given_id = req.header("x-request-id");
  req.request_id = acceptable_request_id(given_id) ? std::string(given_id) : make_request_id();
  return req;
}

Response error_response(int status, std::string_view code, std::string_view message) {
  Response res;
  res.status = status;
  res.body = std::string(R"({"error":")") + std::string(code) + R"(","message":")" + std::string(message) + "\"}";
  return res;
}

Response overloaded_response(std::string_view message) {
  Response res = error_response(503, "overloaded", message);
  res.headers.emplace_back("Retry-After", std::to_string(kOverloadRetryAfter.count()));
  res.route_label = "(overloaded)";
  return res;
}

// Whether the server's I/O context still exists: work on other threads (a deferred answer)
// posts to it only while it does. Server::stop() clears it once the I/O threads are gone.
struct Liveness {
  std::mutex mutex;
  bool alive = true;
};

// The way back from a handler (or a deferred answer on another pool) to the connection's
// coroutine: the response is stored here and the coroutine's timer, on its strand, is cancelled
// to wake it. The first delivery wins.
class Reply {
 public:
  Reply(asio::any_io_executor executor, std::shared_ptr<Liveness> liveness)
      : wake_(std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max())),
        liveness_(std::move(liveness)) {}

  void deliver(Response response) {
    {
      std::lock_guard lock(mutex_);
      if (delivered_) return;
      delivered_ = true;
      response_ = std::move(response);
    }
    std::lock_guard alive(liveness_->mutex);
    if (!liveness_->alive) return;
    asio::post(wake_->get_executor(), [timer = std::weak_ptr<asio::steady_timer>(wake_)] {
      if (auto t = timer.lock()) t->cancel();
    });
  }

  // On the connection's strand: the response once delivered. The check and the wait that follows
  // happen without a suspension between them, so a wake-up posted to the strand is never missed.
  asio::awaitable<Response> wait() {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (response_) co_return std::move(*response_);
      }
      beast::error_code ignored;
      co_await wake_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
  }

 private:
  // Owned here, reached by wake-ups through a weak pointer: it dies with the connection.
  std::shared_ptr<asio::steady_timer> wake_;
  std::shared_ptr<Liveness> liveness_;
  std::mutex mutex_;
  bool delivered_ = false;
  std::optional<Response> response_;
};

// A server-sent-events connection's outgoing queue. Producers push from any thread;
// the connection's coroutine drains it on its own strand.
class SseSink final : public EventSink, public std::enable_shared_from_this<SseSink> {
 public:
  explicit SseSink(asio::any_io_executor executor) : timer_(executor) {}

  bool push(std::string chunk) override {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return false;
      if (queue_.size() >= kSseMaxQueued) {
        closed_ = true;
      } else {
        queue_.push_back(std::move(chunk));
      }
    }
    wake();
    return !closed();
  }

  bool closed() const override {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    wake();
  }

  std::deque<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(queue_, {});
  }

  asio::steady_timer& timer() { return timer_; }

 private:
  // The timer belongs to the connection's strand: cancel it there, not from this thread.
  void wake() {
    asio::post(timer_.get_executor(), [keep = weak_from_this()] {
      if (auto alive = keep.lock()) alive->timer_.cancel();
    });
  }

  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  asio::steady_timer timer_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, Handler h, RequestObserver obs)
      : options(std::move(opts)),
        handler(std::move(h)),
        observer(std::move(obs)),
        blocking_pool(options.handler_threads, options.max_queued_requests),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {}

  ServerOptions options;
  Handler handler;
  RequestObserver observer;
  asio::io_context ioc;
  WorkPool blocking_pool;
  std::shared_ptr<Liveness> liveness = std::make_shared<Liveness>();
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;

  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::atomic<std::size_t> connections{0};
  std::once_flag stop_once;
  std::promise<void> shutdown_requested;
  std::once_flag shutdown_once;

  std::mutex sinks_mutex;
  std::vector<std::weak_ptr<SseSink>> sinks;

  void request_shutdown() {
    std::call_once(shutdown_once, [this] { shutdown_requested.set_value(); });
  }

  // Runs the handler on the blocking pool and resumes the connection's coroutine on its strand
  // with its answer: at once, or, for a deferred response, when the work it handed on answers.
  // The request waits in the coroutine's frame, which outlives the handler (stop() joins the
  // pool before the frames go). A full pool answers 503 "overloaded" without running it.
  asio::awaitable<Response> run_handler(Request& req) {
    auto reply = std::make_shared<Reply>(co_await asio::this_coro::executor, liveness);
    const bool accepted = blocking_pool.try_post([this, &req, reply] {
      Response res = call_handler(req);
      if (!res.deferred) return reply->deliver(std::move(res));
      auto start = std::move(res.deferred);
      Respond respond = [reply, label = res.route_label](Response answer) {
        if (answer.route_label.empty()) answer.route_label = label;
        reply->deliver(std::move(answer));
      };
      try {
        start(std::move(respond));
      } catch (const std::exception& e) {
        spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
        reply->deliver(
            error_response(500, "internal_error", "The server failed to handle the request; it is logged."));
      }
    });
    if (!accepted) co_return overloaded_response("The server is busy; try again in a moment.");
    co_return co_await reply->wait();
  }

  Response call_handler(const Request& req) {
    try {
      return handler(req);
    } catch (const std::exception& e) {
      spdlog::error("event=request_failed request_id={} method={} path={} message={}", req.request_id,
                    core::log_value(req.method), core::log_value(req.path), core::log_value(e.what()));
      return error_response(500, "internal_error", "The server failed to handle the request; it is logged.");
    }
  }

  void observe(const Request& req, const Response& res, std::chrono::steady_clock::time_point started) {
    if (!observer) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    try {
      observer(RequestRecord{req, res, seconds});
    } catch (const std::exception& e) {
      spdlog::warn("event=request_observer_failed message={}", core::log_value(e.what()));
    }
  }

  static bhttp::response<bhttp::string_body> to_beast(Response& res, unsigned version, bool keep_alive,
                                                      const std::string& request_id, const std::string& name) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
    out.set(bhttp::field::server, name);
    out.set(bhttp::field::content_type, res.content_type);
    out.set("X-Request-Id", request_id);
    // Every answer, API and server errors included, is read as its declared type only.
    out.set("X-Content-Type-Options", "nosniff");
    for (auto& [k, v] : res.headers) out.set(k, v);
    out.body() = std::move(res.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
  }

  asio::awaitable<void> stream_events(beast::tcp_stream& stream, Response& res, const Request& req,
                                      unsigned version) {
    bhttp::response<bhttp::empty_body> head{bhttp::status::ok, version};
    head.set(bhttp::field::server, options.name);
    head.set(bhttp::field::content_type, "text/event-stream");
    head.set(bhttp::field::cache_control, "no-cache");
    head.set("X-Request-Id", req.request_id);
    head.set("X-Accel-Buffering", "no");
    head.set("X-Content-Type-Options", "nosniff");
    for (auto& [k, v] : res.headers) head.set(k, v);
    head.keep_alive(false);  // the body ends when the connection does
    bhttp::response_serializer<bhttp::empty_body> serializer{head};
    beast::error_code ec;
    stream.expires_after(kWriteTimeout);
    co_await bhttp::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;

    auto sink = std::make_shared<SseSink>(stream.get_executor());
    {
      std::lock_guard lock(sinks_mutex);
      std::erase_if(sinks, [](const auto& w) { return w.expired(); });
      sinks.push_back(sink);
    }
    if (stopping) sink->close();
    try {
      res.on_stream(sink);
    } catch (const std::exception& e) {
      spdlog::error("event=event_stream_failed request_id={} message={}", req.request_id,
                    core::log_value(e.what()));
      co_return;
    }
    std::string first = ": connected\n\n";
    stream.expires_after(kWriteTimeout);
    co_await asio::async_write(stream, asio::buffer(first), asio::redirect_error(asio::use_awaitable, ec));
    while (!ec) {
      std::string out = drain(*sink);
      if (out.empty()) {
        if (sink->closed()) break;
        // A push from another thread cancels this wait (on our strand, so none is missed).
        sink->timer().expires_after(kSsePingInterval);
        beast::error_code wait_ec;
        co_await sink->timer().async_wait(asio::redirect_error(asio::use_awaitable, wait_ec));
        out = drain(*sink);
        if (out.empty()) {
          if (sink->closed()) break;
          if (wait_ec) continue;
          out = ": ping\n\n";
        }
      }
      stream.expires_after(kWriteTimeout);
      co_await asio::async_write(stream, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
    }
    sink->close();
  }

  // The next piece of a streamed body, produced on the blocking pool (it reads the database).
  // A full pool is waited out, briefly, rather than failing a long export halfway. nullopt: the
  // producer failed or the server is stopping; the caller ends the connection.
  asio::awaitable<std::optional<std::string>> next_piece(std::function<std::string()>& producer,
                                                         const Request& req) {
    auto reply = std::make_shared<Reply>(co_await asio::this_coro::executor, liveness);
    asio::steady_timer pause(co_await asio::this_coro::executor);
    for (int tries = 0;; ++tries) {
      if (stopping) co_return std::nullopt;
      const bool accepted = blocking_pool.try_post([&producer, &req, reply] {
        Response piece;
        try {
          piece.body = producer();
        } catch (const std::exception& e) {
          spdlog::error("event=stream_failed request_id={} message={}", req.request_id, core::log_value(e.what()));
          piece.status = 500;
        }
        reply->deliver(std::move(piece));
      });
      if (accepted) break;
      if (tries >= 500) co_return std::nullopt;
      pause.expires_after(std::chrono::milliseconds(20));
      beast::error_code ignored;
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    Response piece = co_await reply->wait();
    if (piece.status == 500) co_return std::nullopt;
    co_return std::move(piece.body);
  }

  // A streamed body (Response::body_pieces) in chunked transfer encoding: one piece produced,
  // then written, then the next, so a slow reader slows the producer instead of filling memory.
  asio::awaitable<void> stream_body(beast::tcp_stream& stream, Response& res, const Request& req,
                                    unsigned version) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
    head.set(bhttp::field::server, options.name);
    head.set(bhttp::field::content_type, res.content_type);
    head.set("X-Request-Id", req.request_id);
    head.set("X-Content-Type-Options", "nosniff");
    for (auto& [k, v] : res.headers) head.set(k, v);
    head.keep_alive(false);
    head.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> serializer{head};
    beast::error_code ec;
    stream.expires_after(kWriteTimeout);
    co_await bhttp::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    while (!ec) {
      std::optional<std::string> piece = co_await next_piece(res.body_pieces, req);
      if (!piece) co_return;  // no last chunk: the client sees the body is incomplete
      char size[32];
      const int n = std::snprintf(size, sizeof size, "%zx\r\n", piece->size());
      // "<size>\r\n<piece>\r\n"; the empty piece makes the last chunk, "0\r\n\r\n".
      std::array<asio::const_buffer, 3> chunk{asio::buffer(size, static_cast<std::size_t>(n)), asio::buffer(*piece),
                                              asio::buffer("\r\n", 2)};
      stream.expires_after(kWriteTimeout);
      co_await asio::async_write(stream, chunk, asio::redirect_error(asio::use_awaitable, ec));
      if (piece->empty()) co_return;
    }
  }

  static std::string drain(SseSink& sink) {
    std::string out;
    for (auto& chunk : sink.take()) out += chunk;
    return out;
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    beast::error_code ec;
    std::string remote;
    {
      auto endpoint = stream.socket().remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }
    bool linger = false;  // an unreadable request was answered: drain before closing
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      stream.expires_after(options.read_timeout);
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
        break;
      }
      const auto started = std::chrono::steady_clock::now();
      if (ec) {
        // The client sent something we cannot read: say so once, then close.
        const bool too_large = ec == bhttp::error::body_limit;
        Response res = too_large ? error_response(413, "payload_too_large", "The request body is too large.")
                                 : error_response(400, "bad_request", "The request is not valid HTTP.");
        res.route_label = "(unparsed)";
        auto out = to_beast(res, 11, false, make_request_id(), options.name);
        stream.expires_after(kWriteTimeout);
        beast::error_code write_ec;
        co_await bhttp::async_write(stream, out, asio::redirect_error(asio::use_awaitable, write_ec));
        linger = !write_ec;
        break;
      }
      auto raw = parser.release();
      const unsigned version = raw.version();
      const bool client_keep_alive = raw.keep_alive();
      Request req = to_request(std::move(raw), remote);
      ++in_flight;
      Response res = co_await run_handler(req);
      if (res.on_stream) {
        --in_flight;  // a long-lived stream must not hold up the drain
        observe(req, res, started);
        co_await stream_events(stream, res, req, version);
        break;
      }
      if (res.body_pieces) {
        co_await stream_body(stream, res, req, version);
        observe(req, res, started);
        --in_flight;
        break;
      }
      const bool keep_alive = client_keep_alive && !stopping && res.status != 503;
      observe(req, res, started);
      auto out = to_beast(res, version, keep_alive, req.request_id, options.name);
      stream.expires_after(kWriteTimeout);
      co_await bhttp::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
      --in_flight;
      if (ec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger) co_await drain_before_close(stream);
  }

  // Closing a socket that still has unread request bytes makes the kernel send a reset, and a
  // client still writing a too-large body then sees "broken pipe" instead of our 413. So, after
  // answering, read and discard what the client still sends, for a bounded time and size.
  static asio::awaitable<void> drain_before_close(beast::tcp_stream& stream) {
    constexpr std::size_t kMaxDrainBytes = 64u << 20;
    std::array<char, 16 * 1024> discard{};
    std::size_t drained = 0;
    stream.expires_after(kLingerTimeout);
    while (drained < kMaxDrainBytes) {
      beast::error_code ec;
      drained += co_await stream.async_read_some(asio::buffer(discard),
                                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
  }

  // Past the connection cap: a short answer on the connection, then it is closed.
  asio::awaitable<void> refuse(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Response res = overloaded_response("The server has too many open connections; try again in a moment.");
    auto out = to_beast(res, 11, false, make_request_id(), options.name);
    stream.expires_after(std::chrono::seconds(2));
    beast::error_code ec;
    co_await bhttp::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  asio::awaitable<void> accept_loop() {
    auto backoff = kAcceptBackoffFirst;
    asio::steady_timer pause(ioc);
    while (!stopping) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                          asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        // Out of descriptors (EMFILE, ENFILE) or memory: the connection stays in the backlog and
        // the next accept fails the same way at once, so pause instead of spinning.
        spdlog::warn("event=accept_failed message=\"{}\" retry_ms={}", ec.message(), backoff.count());
        pause.expires_after(backoff);
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, kAcceptBackoffMax);
        continue;
      }
      backoff = kAcceptBackoffFirst;
      auto executor = socket.get_executor();
      if (connections.load() >= options.max_connections) {
        asio::co_spawn(executor, refuse(std::move(socket)), asio::detached);
        continue;
      }
      ++connections;
      asio::co_spawn(executor, session(std::move(socket)), [this](std::exception_ptr e) {
        --connections;
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("event=connection_failed message={}", core::log_value(ex.what()));
        }
      });
    }
  }
};

Server::Server(ServerOptions options, Handler handler, RequestObserver observer)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(observer))) {}

Server::~Server() { stop(); }

std::uint16_t Server::start() {
  auto& s = *impl_;
  const auto address = asio::ip::make_address(s.options.host);
  tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(asio::socket_base::max_listen_connections);
  s.bound_port = s.acceptor.local_endpoint().port();
  s.signals.async_wait([&s](const beast::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}, shutting down", signal);
    s.request_shutdown();
  });
  asio::co_spawn(s.ioc, s.accept_loop(), asio::detached);
  for (int i = 0; i < std::max(1, s.options.io_threads); ++i) {
    s.io_threads.emplace_back([&s] { s.ioc.run(); });
  }
  return s.bound_port;
}

void Server::wait_for_shutdown_signal() {
  impl_->shutdown_requested.get_future().wait();
  stop();
}

void Server::stop() {
  auto& s = *impl_;
  std::call_once(s.stop_once, [&s] {
    s.stopping = true;
    s.request_shutdown();
    asio::post(s.ioc, [&s] {
      beast::error_code ignored;
      s.acceptor.close(ignored);
      s.signals.cancel(ignored);
    });
    {
      std::lock_guard lock(s.sinks_mutex);
      for (auto& weak : s.sinks) {
        if (auto sink = weak.lock()) sink->close();
      }
    }
    // Let requests in progress finish and answer, within the drain bound.
    const auto deadline = std::chrono::steady_clock::now() + s.options.drain_timeout;
    while (s.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (s.in_flight.load() > 0) spdlog::warn("{} requests still running at shutdown", s.in_flight.load());
    s.ioc.stop();
    for (auto& t : s.io_threads) {
      if (t.joinable()) t.join();
    }
    {
      // Deferred answers still on their way find no connection to wake any more.
      std::lock_guard lock(s.liveness->mutex);
      s.liveness->alive = false;
    }
    s.blocking_pool.stop();
  });
}

std::uint16_t Server::port() const { return impl_->bound_port; }

}  // namespace tenantsync::http
