#include "loopback_webhooks.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>

namespace tenantsync::sim {
namespace {

struct Target {
  std::string host;
  std::string port;
  std::string path;
};

std::optional<Target> parse_url(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return std::nullopt;
  const std::string rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  Target t;
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    t.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') t.port = authority.substr(close + 2);
  } else {
    const std::size_t colon = authority.rfind(':');
    t.host = authority.substr(0, colon);
    if (colon != std::string::npos) t.port = authority.substr(colon + 1);
  }
  if (t.port.empty()) t.port = "80";
  if (t.host == "localhost") t.host = "127.0.0.1";
  return t;
}

// Only numeric loopback addresses: nothing is resolved, so nothing can point elsewhere.
bool loopback_address(const std::string& host, sockaddr_storage& out, socklen_t& size) {
  std::memset(&out, 0, sizeof out);
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    if ((ntohl(v4.s_addr) >> 24) != 127) return false;
    auto* a = reinterpret_cast<sockaddr_in*>(&out);
    a->sin_family = AF_INET;
    a->sin_addr = v4;
    size = sizeof(sockaddr_in);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (!IN6_IS_ADDR_LOOPBACK(&v6)) return false;
    auto* a = reinterpret_cast<sockaddr_in6*>(&out);
    a->sin6_family = AF_INET6;
    a->sin6_addr = v6;
    size = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

bool wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(left.count())) == 1;
}

}  // namespace

bool is_loopback_http_url(const std::string& url) {
  const auto target = parse_url(url);
  sockaddr_storage addr{};
  socklen_t size = 0;
  return target && loopback_address(target->host, addr, size);
}

int post_loopback(const WebhookDelivery& d, std::chrono::milliseconds timeout) {
  const auto target = parse_url(d.url);
  if (!target) return -1;
  sockaddr_storage addr{};
  socklen_t size = 0;
  if (!loopback_address(target->host, addr, size)) return -1;
  int port = 0;
  for (char c : target->port) {
    if (c < '0' || c > '9') return -1;
    port = port * 10 + (c - '0');
    if (port > 65535) return -1;
  }
  if (addr.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(static_cast<uint16_t>(port));
  else reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(static_cast<uint16_t>(port));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), size) != 0) return -1;

  std::string request = "POST " + target->path + " HTTP/1.1\r\nHost: " + target->host + ":" + target->port +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(d.body.size()) +
                        "\r\nConnection: close\r\n";
  for (const auto& [name, value] : d.headers) request += name + ": " + value + "\r\n";
  request += "\r\n" + d.body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    if (!wait_for(fd, POLLOUT, deadline)) return -1;
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    sent += static_cast<std::size_t>(n);
  }
  // The status line is all we need; the rest of the answer is read and dropped up to a bound.
  std::string answer;
  char buffer[4096];
  while (answer.find("\r\n") == std::string::npos && answer.size() < 65536) {
    if (!wait_for(fd, POLLIN, deadline)) return -1;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  // "HTTP/1.1 200 OK"
  if (answer.size() < 12 || answer.rfind("HTTP/1.", 0) != 0) return -1;
  const std::string code = answer.substr(9, 3);
  int status = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return -1;
    status = status * 10 + (c - '0');
  }
  return status;
}

WebhookSender::WebhookSender() {
  for (int i = 0; i < kSenders; ++i) threads_.emplace_back([this] { loop(); });
}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WebhookSender::schedule(std::chrono::milliseconds delay, Step step) {
  {
    std::lock_guard lock(mutex_);
    due_.emplace(std::chrono::steady_clock::now() + delay, std::move(step));
  }
  wake_.notify_all();
}

void WebhookSender::send(std::chrono::milliseconds delay, WebhookDelivery delivery) {
  schedule(delay, [d = std::move(delivery)] { return std::vector<WebhookDelivery>{d}; });
}

void WebhookSender::clear() {
  std::lock_guard lock(mutex_);
  due_.clear();
}

WebhookSender::Totals WebhookSender::totals() const {
  std::lock_guard lock(mutex_);
  Totals t = totals_;
  t.pending = due_.size() + in_flight_;
  return t;
}

void WebhookSender::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) return;
    if (due_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto next = due_.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    Step step = std::move(due_.begin()->second);
    due_.erase(due_.begin());
    ++in_flight_;
    // Another sender may take the next due step meanwhile.
    if (!due_.empty()) wake_.notify_one();
    lock.unlock();
    // Steps take their upstream's own lock; deliveries are sent holding no lock at all.
    std::vector<WebhookDelivery> deliveries = step();
    for (WebhookDelivery& d : deliveries) {
      const int status = post_loopback(d, std::chrono::seconds(5));
      const bool ok = status >= 200 && status < 300;
      lock.lock();
      if (ok) {
        ++totals_.sent;
      } else if (d.attempts > 1 && !stopping_) {
        --d.attempts;
        due_.emplace(std::chrono::steady_clock::now() + std::chrono::seconds(1),
                     [again = std::move(d)] { return std::vector<WebhookDelivery>{again}; });
      } else {
        ++totals_.failed;
      }
      lock.unlock();
    }
    lock.lock();
    --in_flight_;
  }
}

}  // namespace tenantsync::sim
