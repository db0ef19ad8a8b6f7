#pragma once
// Work a request asks for that can take long (waiting for a sync run to end, checking a key or
// CRM credentials at an upstream the tenant chose) runs here, on pools of its own, and never on
// the server's request threads: health, login, static files and reads stay fast meanwhile. The
// request's answer is deferred (http::Response::deferred) until the work is done.
#include <cstddef>
#include <functional>

#include "api/tenant_slots.hpp"
#include "core/ids.hpp"
#include "http/message.hpp"
#include "http/work_pool.hpp"

namespace tenantsync::api {

struct LongWorkOptions {
  /// Requests that wait for their runs at once; past it a request answers at once with its
  /// runs as they are (still queued or running), which the dashboard follows over /api/events.
  int wait_threads = 16;
  int check_threads = 4;               ///< key and credentials checks at once
  std::size_t max_queued_checks = 16;  ///< checks waiting for a thread; past it 503 overloaded
  int tenant_max_checks = 1;           ///< checks one tenant may have running or waiting; past it 429
};

class LongWork {
 public:
  using Answer = std::function<http::Response()>;

  explicit LongWork(const LongWorkOptions& options);

  /// A deferred answer: `wait` runs on the wait pool and its response is the answer; when every
  /// wait thread is busy, `now` answers at once instead. Either may throw ApiError.
  http::Response wait_or_answer_now(Answer wait, Answer now);
  /// A deferred answer: `check` runs on the check pool. 429 limit_exceeded (thrown) when the
  /// tenant has tenant_max_checks already; 503 overloaded when the pool and its queue are full.
  http::Response check(TenantId tenant_id, Answer check);
  /// Finishes the work in progress and drops the rest; before the server that awaits it goes.
  void stop();

 private:
  http::WorkPool waits_;
  http::WorkPool checks_;
  TenantSlots tenant_checks_;
};

}  // namespace tenantsync::api
