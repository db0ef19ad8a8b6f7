#include "api/metrics.hpp"

#include <fmt/format.h>

namespace tenantsync::api {
namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

void Metrics::observe_request(const std::string& route, const std::string& method, int status,
                              double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_collector(std::function<std::string()> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::vector<std::function<std::string()>> collectors;
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out +=
        "# HELP tenantsync_http_requests_total HTTP requests answered, by route pattern, method and "
        "status.\n";
    out += "# TYPE tenantsync_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      out += fmt::format("tenantsync_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         escape_label(route), escape_label(method), status, count);
    }
    out += "# HELP tenantsync_http_request_duration_seconds Time to answer a request, by route pattern.\n";
    out += "# TYPE tenantsync_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      const auto label = escape_label(route);
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        out += fmt::format("tenantsync_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                           label, kBuckets[i], h.buckets[i]);
      }
      out += fmt::format("tenantsync_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                         label, h.count);
      out += fmt::format("tenantsync_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label, h.sum);
      out +=
          fmt::format("tenantsync_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, h.count);
    }
    collectors = collectors_;
  }
  for (const auto& collect : collectors) out += collect();
  return out;
}

}  // namespace tenantsync::api
