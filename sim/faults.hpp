#pragma once
// Fault injection and the request log of the simulator: tests make an upstream fail in a
// chosen way (status, latency, malformed or truncated bodies, on one page, N times) and then
// check from the log what the client did about it (retries, back-off, which pages it read).
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "sim_result.hpp"

namespace tenantsync::sim {

struct Fault {
  std::int64_t id = 0;
  std::string method;        ///< empty matches any method
  std::string path_pattern;  ///< a prefix, or a glob where '*' matches any run of characters
  std::optional<int> status;
  std::optional<nlohmann::json> body;  ///< a string is sent as is, anything else as JSON
  std::optional<int> retry_after;      ///< seconds, sent as Retry-After
  int latency_ms = 0;
  bool malformed = false;      ///< replace the body with text that is not JSON
  bool truncate = false;       ///< cut the real body in half
  std::optional<int> on_page;  ///< only on this page of a paged endpoint
  std::optional<int> times;    ///< remaining applications; unset means forever
};

/// True when `path` matches `pattern`: a glob when it holds '*', else a prefix.
bool path_matches(std::string_view pattern, std::string_view path);

/// Parses the body of POST /_sim/faults.
Result<Fault> parse_fault(const nlohmann::json& spec);
nlohmann::json fault_to_json(const Fault& fault);

/// The active faults; thread-safe.
class FaultSet {
 public:
  /// Adds a fault and returns it with its id.
  Fault add(Fault fault);
  void clear();
  /// The first fault matching the request (page is the request's page, 1-based, when paged);
  /// consumes one of its `times`, removing it when they run out.
  std::optional<Fault> take(const std::string& method, const std::string& path, std::optional<int> page);
  nlohmann::json to_json() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Fault> faults_;
  std::int64_t next_id_ = 1;
};

struct LoggedRequest {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::string body;  ///< the first kLogBodyLimit bytes
  /// The bearer token the request carried (the simulator's own test credentials), so a test can
  /// tell which account or portal a request was for.
  std::string credential;
  int status = 0;
  std::optional<std::int64_t> fault_id;
};

/// A bounded log of the upstream requests the simulator answered (control calls excluded).
class RequestLog {
 public:
  static constexpr std::size_t kDefaultCapacity = 10'000;
  static constexpr std::size_t kLogBodyLimit = 4096;

  explicit RequestLog(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  void record(LoggedRequest entry);
  void clear();
  /// Entries oldest first, optionally only those whose path starts with `path_prefix`.
  nlohmann::json to_json(const std::string& path_prefix = {}) const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::deque<LoggedRequest> entries_;
  std::int64_t next_seq_ = 1;
  std::int64_t dropped_ = 0;
};

}  // namespace tenantsync::sim
