#include "upstream/voice/bolna_client.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "upstream/base_url.hpp"
#include "upstream/paging_guard.hpp"
#include "upstream/voice/bolna_records.hpp"

namespace tenantsync::upstream {
namespace {

std::string with_period(std::string text) {
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text.push_back('.');
  return text;
}

Error status_error(int status, const std::string& body, const std::string& path) {
  const std::string said = bolna::error_message(body);
  const std::string detail = said.empty() ? "" : fmt::format(": {}", with_period(said));
  if (status == 401 || status == 403) {
    return make_error(core::ErrorCode::key_rejected,
                      fmt::format("The Bolna API rejected the API key{} Check the key in Settings.",
                                  said.empty() ? "." : detail));
  }
  if (status == 404) {
    return make_error(core::ErrorCode::upstream_not_found,
                      fmt::format("The Bolna API has no {} (HTTP 404){} If the record was just "
                                  "deleted, sync again.",
                                  path, said.empty() ? "." : detail));
  }
  if (status == 429) {
    return make_error(core::ErrorCode::rate_limited,
                      fmt::format("The Bolna API is rate-limiting this account (HTTP 429) and "
                                  "kept refusing after several retries. Try again in a few minutes."));
  }
  if (status >= 500) {
    return make_error(core::ErrorCode::upstream_error,
                      fmt::format("Bolna answered {} for {}{} This is on Bolna's side; try again later.",
                                  status, path, said.empty() ? "." : detail));
  }
  return make_error(core::ErrorCode::upstream_error,
                    fmt::format("Bolna answered {} for {}{} Check the API base URL in Settings.", status,
                                path, said.empty() ? "." : detail));
}

}  // namespace

BolnaClient::BolnaClient(HttpClient& http, BolnaOptions options) : http_(http), options_(std::move(options)) {
  auto base = parse_base_url(options_.base_url, "voice_base_url");
  if (base.ok())
    options_.base_url = base->to_string();
  else
    bad_base_url_ = base.error();
}

Result<std::string> BolnaClient::get(const std::string& path_and_query) {
  HttpRequest request;
  request.method = "GET";
  return exchange(std::move(request), path_and_query);
}

Result<std::string> BolnaClient::exchange(HttpRequest request, const std::string& path_and_query) {
  if (bad_base_url_) return *bad_base_url_;
  request.url = options_.base_url + path_and_query;
  request.headers.insert(request.headers.begin(), {{"Authorization", "Bearer " + options_.api_key},
                                                   {"Accept", "application/json"}});
  request.timeout = options_.request_timeout;
  auto response = http_.send(request);
  if (!response.ok()) return response.error();
  const std::string path = path_and_query.substr(0, path_and_query.find('?'));
  if (response->status < 200 || response->status >= 300) return status_error(response->status, response->body, path);
  return std::move(response->body);
}

Result<VoiceAccount> BolnaClient::get_account() {
  auto body = get("/user/me");
  if (!body.ok()) return body.error();
  return bolna::parse_account(*body);
}

Result<VoiceListing> BolnaClient::list_agents() {
  auto body = get("/v2/agent/all");
  if (!body.ok()) return body.error();
  return bolna::parse_agents(*body);
}

Result<VoiceListing> BolnaClient::list_phone_numbers() {
  auto body = get("/phone-numbers/all");
  if (!body.ok()) return body.error();
  return bolna::parse_phone_numbers(*body);
}

Result<VoiceListing> BolnaClient::list_batches(const std::string& agent_id) {
  auto body = get("/batches/" + url_encode(agent_id) + "/all");
  if (!body.ok()) return body.error();
  return bolna::parse_batches(*body, agent_id);
}

Result<ExecutionDetail> BolnaClient::get_execution(const std::string& execution_id) {
  auto body = get("/executions/" + url_encode(execution_id));
  if (!body.ok()) return body.error();
  return bolna::parse_execution_detail(*body);
}

Status BolnaClient::set_agent_webhook(const std::string& agent_id, const std::optional<std::string>& url) {
  HttpRequest request;
  request.method = "PATCH";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = bolna::agent_webhook_patch(url);
  // Setting a value, not adding one: sending it twice ends the same, so a retry is safe.
  request.idempotent = true;
  auto answer = exchange(std::move(request), "/v2/agent/" + url_encode(agent_id));
  if (!answer.ok()) return answer.error();
  return {};
}

Status BolnaClient::list_executions(const std::string& agent_id, TimePoint from, TimePoint to,
                                    const PageCallback& on_page) {
  int pages_read = 0;
  for (const auto& [window_from, window_to] : split_windows(from, to, options_.window)) {
    const std::string range = fmt::format("&from={}&to={}", url_encode(format_iso8601(window_from)),
                                          url_encode(format_iso8601(window_to)));
    // One guard per window: page numbers and Bolna's total start again with each window.
    PagingGuard paging("Bolna executions of agent " + agent_id);
    for (int page_number = 1;; ++page_number) {
      if (page_number > options_.max_pages_per_window) {
        return make_error(core::ErrorCode::upstream_malformed,
                          fmt::format("The Bolna API kept reporting more executions after {} pages "
                                      "for agent {}; the listing was stopped. Try again later.",
                                      options_.max_pages_per_window, agent_id));
      }
      auto body = get(fmt::format("/v2/agent/{}/executions?page_number={}&page_size={}{}", url_encode(agent_id),
                                  page_number, options_.page_size, range));
      if (!body.ok()) return body.error();
      auto page = bolna::parse_execution_page(*body, agent_id);
      if (!page.ok()) return page.error();
      // An empty page that promises more, the same page number again, or only records already
      // read: the paging does not move on, and stopping silently would pass a half-read listing
      // off as complete, unless Bolna's own total says it is.
      for (const auto& record : page->listing.records) paging.saw(record.upstream_id);
      auto verdict = paging.end_numbered_page(page->has_more, page->page_number, page->total);
      if (!verdict.ok()) return verdict.error();
      if (*verdict == PageVerdict::complete_without_it) break;
      if (auto status = on_page(std::move(page->listing), ++pages_read); !status.ok()) return status;
      if (!page->has_more) break;
    }
  }
  return {};
}

}  // namespace tenantsync::upstream
