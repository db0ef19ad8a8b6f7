#pragma once
// A scripted HttpClient for tests: answers from a queue, or from a handler, and records
// every request. No network.
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  /// Queues a response with `status`, `body` and optional headers.
  void add(int status, std::string body, std::map<std::string, std::string> headers = {}) {
    std::lock_guard lock(mutex_);
    script_.push_back(HttpResponse{status, std::move(headers), std::move(body)});
  }
  /// Queues a transport error.
  void add_error(core::ErrorCode code, std::string message = "scripted failure") {
    std::lock_guard lock(mutex_);
    script_.push_back(make_error(code, std::move(message)));
  }
  /// Answers every request with no scripted response left.
  void set_handler(Handler handler) { handler_ = std::move(handler); }

  Result<HttpResponse> send(const HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (!script_.empty()) {
      Result<HttpResponse> next = std::move(script_.front());
      script_.pop_front();
      return next;
    }
    if (handler_) return handler_(request);
    return make_error(core::ErrorCode::upstream_unreachable,
                      "FakeHttpClient: no scripted response for " + request.url);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Result<HttpResponse>> script_;
  std::vector<HttpRequest> requests_;
  Handler handler_;
};

}  // namespace tenantsync::upstream
