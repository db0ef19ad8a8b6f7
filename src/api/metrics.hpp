#pragma once
// Prometheus metrics of the HTTP API: requests by route and status, and a latency histogram
// by route. Routes are patterns (bounded cardinality), never raw paths.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace tenantsync::api {

class Metrics {
 public:
  /// Records one finished request.
  void observe_request(const std::string& route, const std::string& method, int status, double seconds);
  /// Adds a source of extra lines (e.g. the sync engine's gauges), called at each scrape.
  void add_collector(std::function<std::string()> collector);
  /// The Prometheus text exposition format (version 0.0.4).
  std::string render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::vector<std::function<std::string()>> collectors_;
};

}  // namespace tenantsync::api
