#include "api/long_work.hpp"

#include <spdlog/spdlog.h>

#include "api/json.hpp"

namespace tenantsync::api {
namespace {

// Runs an answer off the request path, with the same error boundary as a route handler.
http::Response answer_of(const LongWork::Answer& answer) {
  try {
    return answer();
  } catch (const ApiError& e) {
    return error_response(e.status(), e.code(), e.what());
  } catch (const std::exception& e) {
    spdlog::error("event=long_work_failed message=\"{}\"", e.what());
    return error_response(500, core::ErrorCode::internal_error,
                          "The server failed to handle the request; it is logged.");
  }
}

http::Response deferred(std::function<void(http::Respond)> start) {
  http::Response res;
  res.deferred = std::move(start);
  return res;
}

}  // namespace

LongWork::LongWork(const LongWorkOptions& options)
    : waits_(options.wait_threads, 0),
      checks_(options.check_threads, options.max_queued_checks),
      tenant_checks_(options.tenant_max_checks) {}

http::Response LongWork::wait_or_answer_now(Answer wait, Answer now) {
  return deferred([this, wait = std::move(wait), now = std::move(now)](http::Respond respond) {
    if (waits_.try_post([wait, respond] { respond(answer_of(wait)); })) return;
    respond(answer_of(now));
  });
}

http::Response LongWork::check(TenantId tenant_id, Answer check) {
  auto slot = tenant_checks_.try_acquire(tenant_id);
  if (!slot) {
    throw_error(make_error(core::ErrorCode::limit_exceeded,
                           "Limit key_checks reached: a check of this tenant's key or CRM credentials is "
                           "already in progress. Try again when it has answered."));
  }
  return deferred([this, slot = std::move(slot), check = std::move(check)](http::Respond respond) mutable {
    // The slot goes back before the answer does (a client may send the next check at once), or
    // when the task is dropped unrun at shutdown.
    if (checks_.try_post([slot = std::move(slot), check, respond]() mutable {
          http::Response answer = answer_of(check);
          slot.reset();
          respond(std::move(answer));
        }))
      return;
    const Error full =
        make_error(core::ErrorCode::overloaded, "The server is checking many keys; try again in a moment.");
    http::Response busy = error_response(status_for_error(full), full.code, full.message);
    busy.headers.emplace_back("Retry-After", "2");
    respond(std::move(busy));
  });
}

void LongWork::stop() {
  waits_.stop();
  checks_.stop();
}

}  // namespace tenantsync::api
