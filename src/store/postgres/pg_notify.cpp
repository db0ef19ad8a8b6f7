#include "store/postgres/pg_notify.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include "store/sql/c_handle.hpp"

namespace tenantsync::store::postgres {
namespace {

using ConnPtr = sql::CHandle<PGconn, PQfinish>;
using ResultPtr = sql::CHandle<PGresult, PQclear>;

// How long poll() waits with nothing to do; only bounds how late a silently dead socket is noticed
// by the keepalives below, since send() and stop() wake it at once.
constexpr int kPollMs = 1'000;

std::string error_text(PGconn* conn) {
  std::string s = conn ? PQerrorMessage(conn) : "out of memory";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

ConnPtr connect(const std::string& url, int connect_timeout_s) {
  // Keepalives: a server that vanished without closing the socket (a network cut) is noticed in
  // ~25 s instead of the kernel's two hours. Values inside the URL override these defaults.
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keywords[] = {"connect_timeout",  "keepalives",
                            "keepalives_idle",  "keepalives_interval",
                            "keepalives_count", "fallback_application_name",
                            "dbname",           nullptr};
  const char* values[] = {timeout.c_str(), "1", "10", "5", "3", "tenantsync-notify", url.c_str(), nullptr};
  return ConnPtr(PQconnectdbParams(keywords, values, 1));
}

// The server's notices (e.g. "terminating connection due to administrator command" on a restart)
// would go to stderr unformatted; the state callback reports what matters.
void ignore_notice(void*, const char*) {}

bool command_ok(PGconn* conn, const char* sql) {
  ResultPtr r(PQexec(conn, sql));
  return r && PQresultStatus(r.get()) == PGRES_COMMAND_OK;
}

}  // namespace

PgNotifyChannel::PgNotifyChannel(std::string url, Receiver receiver, NotifyOptions options)
    : url_(std::move(url)), receiver_(std::move(receiver)), options_(std::move(options)) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error("eventfd failed");
}

PgNotifyChannel::~PgNotifyChannel() {
  stop();
  close(wake_fd_);
}

void PgNotifyChannel::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void PgNotifyChannel::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  wake();
  if (thread_.joinable()) thread_.join();
}

bool PgNotifyChannel::send(std::string payload) {
  if (payload.size() > kMaxNotifyPayload) return false;
  if (!listening_) {
    ++dropped_;
    return true;
  }
  {
    std::lock_guard lock(mutex_);
    if (outbox_.size() >= options_.max_queued) {
      outbox_.pop_front();
      ++dropped_;
    }
    outbox_.push_back(std::move(payload));
  }
  wake();
  return true;
}

void PgNotifyChannel::wake() {
  const std::uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
}

void PgNotifyChannel::run() {
  auto backoff = options_.min_backoff;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const bool connected = session();
    lock.lock();
    if (stopping_) break;
    if (connected) backoff = options_.min_backoff;
    stop_cv_.wait_for(lock, backoff, [this] { return stopping_; });
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

bool PgNotifyChannel::session() {
  const auto state = [this](bool up, const std::string& why) {
    if (options_.on_state) options_.on_state(up, why);
  };
  ConnPtr conn = connect(url_, options_.connect_timeout_s);
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    state(false, "cannot connect: " + error_text(conn.get()));
    return false;
  }
  PQsetNoticeProcessor(conn.get(), &ignore_notice, nullptr);
  char* channel = PQescapeIdentifier(conn.get(), options_.channel.c_str(), options_.channel.size());
  const std::string listen = std::string("LISTEN ") + (channel ? channel : "tenantsync_events");
  PQfreemem(channel);
  if (!command_ok(conn.get(), listen.c_str())) {
    state(false, "LISTEN failed: " + error_text(conn.get()));
    return false;
  }
  const int own_pid = PQbackendPID(conn.get());
  ++connections_;
  backend_pid_ = own_pid;
  listening_ = true;
  state(true, "");

  std::string why;
  for (;;) {
    pollfd fds[2] = {{PQsocket(conn.get()), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, kPollMs) < 0 && errno != EINTR) {
      why = "poll failed";
      break;
    }
    if (fds[1].revents & POLLIN) {
      std::uint64_t count = 0;
      (void)!read(wake_fd_, &count, sizeof count);
    }
    std::deque<std::string> outgoing;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      outgoing.swap(outbox_);
    }
    const char* params[2] = {options_.channel.c_str(), nullptr};
    for (const std::string& payload : outgoing) {
      params[1] = payload.c_str();
      ResultPtr r(
          PQexecParams(conn.get(), "SELECT pg_notify($1, $2)", 2, nullptr, params, nullptr, nullptr, 0));
      if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) ++dropped_;
      if (PQstatus(conn.get()) != CONNECTION_OK) break;
    }
    // PQexecParams above may have read notifications already; PQnotifies hands them out too.
    if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) && !PQconsumeInput(conn.get())) {
      why = error_text(conn.get());
      break;
    }
    while (PGnotify* n = PQnotifies(conn.get())) {
      if (n->be_pid != own_pid) receiver_(n->extra);
      PQfreemem(n);
    }
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      why = error_text(conn.get());
      break;
    }
  }
  listening_ = false;
  backend_pid_ = 0;
  {
    std::lock_guard lock(mutex_);
    dropped_ += outbox_.size();
    outbox_.clear();
    if (stopping_) return true;
  }
  state(false, why.empty() ? "connection lost" : why);
  return true;
}

}  // namespace tenantsync::store::postgres
