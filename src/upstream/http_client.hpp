#pragma once
// Outbound HTTP behind an interface: connectors talk to HttpClient, tests script a fake,
// production uses libcurl. Network failures are Error values; HTTP statuses are responses.
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error_code.hpp"
#include "core/result.hpp"

namespace tenantsync::upstream {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Total time for the exchange; zero means the client's default.
  std::chrono::milliseconds timeout{0};
  /// Unset: GET, HEAD, PUT, DELETE and OPTIONS are idempotent, POST and PATCH are not.
  std::optional<bool> idempotent;

  /// Whether the request may be sent again after a failure.
  bool is_idempotent() const;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names lower-cased; repeated headers joined with ", "
  std::string body;

  /// Header value by lower-case name, or nullptr.
  const std::string* header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends one request; an Error only when no HTTP response was received.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

/// Percent-encodes everything but RFC 3986 unreserved characters (for paths and query values).
std::string url_encode(std::string_view text);

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds default_timeout{30'000};
  std::size_t max_body_bytes = 64u * 1024u * 1024u;
  std::size_t max_idle_handles = 8;  ///< easy handles kept for connection reuse
  std::string user_agent = "tenantsync/0.1";
  /// TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS: connect to loopback and private addresses, and send
  /// http. Off, every connection goes to a public address over https (upstream/address_rule.hpp).
  bool allow_private_upstreams = false;
};

/// libcurl transport. Thread-safe: each call borrows an easy handle from a small pool,
/// so concurrent callers never share one, and a returned handle keeps its live connections.
/// Every socket it opens is checked against the address rule first (whatever the name resolved
/// to, every address tried), so the address checked is the address connected to; redirects are
/// not followed and proxies from the environment are not used. A refused address is
/// forbidden_upstream; every other network failure is one generic upstream_unreachable, with
/// libcurl's detail (addresses, refused or timed out) only in the log.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  struct EasyDeleter {
    void operator()(void* handle) const;
  };
  using EasyPtr = std::unique_ptr<void, EasyDeleter>;

  EasyPtr acquire();
  void release(EasyPtr handle);

  CurlOptions options_;
  std::mutex mutex_;
  std::vector<EasyPtr> idle_;
};

}  // namespace tenantsync::upstream
