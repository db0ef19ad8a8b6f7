#include "upstream/budget_http_client.hpp"

#include <algorithm>

namespace tenantsync::upstream {

BudgetHttpClient::BudgetHttpClient(HttpClient& inner, std::chrono::milliseconds budget,
                                   std::chrono::milliseconds default_timeout)
    : inner_(inner),
      deadline_(std::chrono::steady_clock::now() + budget),
      default_timeout_(default_timeout) {}

Result<HttpResponse> BudgetHttpClient::send(const HttpRequest& request) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
  if (left <= std::chrono::milliseconds(0))
    return make_error(core::ErrorCode::upstream_timeout, "the upstream did not answer in time");
  HttpRequest bounded = request;
  const auto asked = request.timeout > std::chrono::milliseconds(0) ? request.timeout : default_timeout_;
  bounded.timeout = std::min(asked, left);
  return inner_.send(bounded);
}

}  // namespace tenantsync::upstream
