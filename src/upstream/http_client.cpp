#include "upstream/http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <string_view>

#include "upstream/address_rule.hpp"

namespace tenantsync::upstream {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

std::once_flag g_curl_init;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

struct Exchange {
  HttpResponse response;
  std::size_t max_body_bytes = 0;
  bool too_large = false;
  bool allow_private = false;
  std::optional<IpAddress> refused;  ///< the last address the rule refused to connect to
};

std::optional<IpAddress> address_of(const curl_sockaddr& address) {
  if (address.family == AF_INET && address.addrlen >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, &address.addr, sizeof in);
    return IpAddress::v4_of(ntohl(in.sin_addr.s_addr));
  }
  if (address.family == AF_INET6 && address.addrlen >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address.addr, sizeof in6);
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
    return IpAddress::v6_of(bytes);
  }
  return std::nullopt;
}

// libcurl asks for every socket it is about to connect, for every address a name resolved to,
// so checking here checks exactly what is connected to: no second lookup can differ.
curl_socket_t open_checked_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::optional<IpAddress> ip = address_of(*address);
  if (purpose != CURLSOCKTYPE_IPCXN || !ip || !may_connect(*ip, exchange->allow_private)) {
    exchange->refused = ip.value_or(IpAddress{});
    return CURL_SOCKET_BAD;  // libcurl tries the next address, or fails with COULDNT_CONNECT
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

bool is_https(std::string_view url) {
  if (url.size() < 8) return false;
  return lower(url.substr(0, 8)) == "https://";
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  if (exchange->response.body.size() + bytes > exchange->max_body_bytes) {
    exchange->too_large = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  exchange->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  // A new status line starts a new header block (after 100 Continue or an auth round).
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->response.headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string name = lower(trim(line.substr(0, colon)));
  const std::string_view value = trim(line.substr(colon + 1));
  auto [it, inserted] = exchange->response.headers.try_emplace(std::move(name), value);
  if (!inserted) it->second.append(", ").append(value);
  return bytes;
}

// What a tenant sees is the same for every network failure: libcurl's text names addresses and
// tells a refused port from a silent one, which would make the server a scanner of its network.
Error transport_error(CURLcode code, const HttpRequest& request, const char* detail) {
  const std::string what = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  spdlog::warn("event=upstream_unreachable url={:?} curl_code={} detail={:?}",
               request.url.substr(0, request.url.find('?')), static_cast<int>(code), what);
  return make_error(core::ErrorCode::upstream_unreachable,
                    "Could not reach the service (no answer in time, or no connection). Check its address; "
                    "if it is right, try again later.");
}

Error forbidden_address(const HttpRequest& request, const IpAddress& address) {
  spdlog::warn("event=upstream_forbidden url={:?} address={} kind={}",
               request.url.substr(0, request.url.find('?')), address.to_string(),
               describe(classify(address)));
  return make_error(core::ErrorCode::forbidden_upstream,
                    "The service's address is not a public one (loopback, private, link-local or reserved), "
                    "and this server only calls public hosts.");
}

}  // namespace

std::string url_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

bool HttpRequest::is_idempotent() const {
  if (idempotent) return *idempotent;
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

const std::string* HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? nullptr : &it->second;
}

void CurlHttpClient::EasyDeleter::operator()(void* handle) const { curl_easy_cleanup(handle); }

CurlHttpClient::CurlHttpClient(CurlOptions options) : options_(std::move(options)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHttpClient::~CurlHttpClient() = default;

CurlHttpClient::EasyPtr CurlHttpClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      EasyPtr handle = std::move(idle_.back());
      idle_.pop_back();
      curl_easy_reset(handle.get());  // keeps live connections and the DNS cache
      return handle;
    }
  }
  return EasyPtr(curl_easy_init());
}

void CurlHttpClient::release(EasyPtr handle) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle_handles) idle_.push_back(std::move(handle));
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  if (!options_.allow_private_upstreams && !is_https(request.url))
    return make_error(core::ErrorCode::forbidden_upstream,
                      "The service's URL is not an https:// URL, and this server only calls https.");
  EasyPtr handle = acquire();
  if (!handle)
    return make_error(core::ErrorCode::upstream_unreachable,
                      "Could not start an HTTP request (libcurl init failed).");
  CURL* curl = handle.get();

  Exchange exchange;
  exchange.max_body_bytes = options_.max_body_bytes;
  exchange.allow_private = options_.allow_private_upstreams;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  SlistPtr headers;
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (!appended)
      return make_error(core::ErrorCode::upstream_unreachable,
                        "Could not build the request headers (out of memory).");
    (void)headers.release();
    headers.reset(appended);
  }

  const auto timeout = request.timeout.count() > 0 ? request.timeout : options_.default_timeout;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, options_.allow_private_upstreams ? "http,https" : "https");
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &open_checked_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &exchange);
  // A proxy would connect for us, to an address the rule never saw.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  // Redirects are not followed: they would carry the bearer token to another host.
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  const CURLcode code = curl_easy_perform(curl);
  // The handle must not keep pointers into this frame once it goes back to the pool.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, nullptr);
  if (exchange.too_large) {
    release(std::move(handle));
    return make_error(core::ErrorCode::upstream_too_large, fmt::format("The response was larger than {} bytes and was not read.",
                                                options_.max_body_bytes));
  }
  if (code != CURLE_OK && exchange.refused) return forbidden_address(request, *exchange.refused);
  if (code != CURLE_OK) {
    Error error = transport_error(code, request, error_buffer);
    // A failed transfer may leave the connection in an unknown state; drop the handle.
    return error;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  release(std::move(handle));
  return std::move(exchange.response);
}

}  // namespace tenantsync::upstream
