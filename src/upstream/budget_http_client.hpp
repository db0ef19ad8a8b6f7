#pragma once
// A decorator that gives an exchange of several requests one time budget: each request's
// timeout is cut to what is left of it, and a request with nothing left fails as
// "upstream_timeout" without being sent. Checks made on a person's request (is this key good,
// do these CRM credentials work) use it with no retries, so an upstream chosen by a tenant, slow
// or silent, holds the check for the budget at most.
#include <chrono>

#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

class BudgetHttpClient final : public HttpClient {
 public:
  /// The budget starts now. `default_timeout` stands for a request's zero (client default) timeout.
  BudgetHttpClient(HttpClient& inner, std::chrono::milliseconds budget,
                   std::chrono::milliseconds default_timeout);

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  const std::chrono::steady_clock::time_point deadline_;
  const std::chrono::milliseconds default_timeout_;
};

}  // namespace tenantsync::upstream
