#include "faults.hpp"

#include <algorithm>
#include <cctype>

namespace tenantsync::sim {
namespace {

using nlohmann::json;

// Iterative glob with backtracking over the last '*': linear enough for short paths.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::optional<int> optional_int(const json& spec, const char* name, bool& bad) {
  if (!spec.contains(name) || spec[name].is_null()) return std::nullopt;
  if (!spec[name].is_number_integer()) {
    bad = true;
    return std::nullopt;
  }
  return spec[name].get<int>();
}

}  // namespace

bool path_matches(std::string_view pattern, std::string_view path) {
  if (pattern.find('*') != std::string_view::npos) return glob_match(pattern, path);
  return path.substr(0, pattern.size()) == pattern;
}

Result<Fault> parse_fault(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "a fault is a JSON object");
  Fault fault;
  if (!spec.contains("path_pattern") || !spec["path_pattern"].is_string() ||
      spec["path_pattern"].get<std::string>().empty())
    return make_error("bad_request", "path_pattern (a path prefix or glob) is required");
  fault.path_pattern = spec["path_pattern"].get<std::string>();
  if (spec.contains("method") && spec["method"].is_string()) {
    fault.method = spec["method"].get<std::string>();
    std::transform(fault.method.begin(), fault.method.end(), fault.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  }
  bool bad = false;
  fault.status = optional_int(spec, "status", bad);
  fault.retry_after = optional_int(spec, "retry_after", bad);
  fault.latency_ms = optional_int(spec, "latency_ms", bad).value_or(0);
  fault.on_page = optional_int(spec, "on_page", bad);
  fault.times = optional_int(spec, "times", bad);
  if (bad)
    return make_error("bad_request", "status, retry_after, latency_ms, on_page and times are integers");
  if (fault.status && (*fault.status < 100 || *fault.status > 599))
    return make_error("bad_request", "status must be an HTTP status code (100-599)");
  if (fault.times && *fault.times < 1) return make_error("bad_request", "times must be at least 1");
  if (fault.latency_ms < 0 || fault.latency_ms > 120'000)
    return make_error("bad_request", "latency_ms must be between 0 and 120000");
  if (spec.contains("body") && !spec["body"].is_null()) fault.body = spec["body"];
  fault.malformed = spec.value("malformed", false);
  fault.truncate = spec.value("truncate", false);
  if (!fault.status && !fault.malformed && !fault.truncate && fault.latency_ms == 0 && !fault.retry_after)
    return make_error("bad_request",
                      "a fault needs at least one of status, malformed, truncate or latency_ms");
  return fault;
}

json fault_to_json(const Fault& fault) {
  json out = {{"id", fault.id},
              {"path_pattern", fault.path_pattern},
              {"latency_ms", fault.latency_ms},
              {"malformed", fault.malformed},
              {"truncate", fault.truncate}};
  out["method"] = fault.method.empty() ? json(nullptr) : json(fault.method);
  out["status"] = fault.status ? json(*fault.status) : json(nullptr);
  out["body"] = fault.body ? *fault.body : json(nullptr);
  out["retry_after"] = fault.retry_after ? json(*fault.retry_after) : json(nullptr);
  out["on_page"] = fault.on_page ? json(*fault.on_page) : json(nullptr);
  out["times"] = fault.times ? json(*fault.times) : json(nullptr);
  return out;
}

Fault FaultSet::add(Fault fault) {
  std::lock_guard lock(mutex_);
  fault.id = next_id_++;
  faults_.push_back(fault);
  return fault;
}

void FaultSet::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::optional<Fault> FaultSet::take(const std::string& method, const std::string& path,
                                    std::optional<int> page) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (!path_matches(it->path_pattern, path)) continue;
    if (it->on_page && (!page || *page != *it->on_page)) continue;
    Fault taken = *it;
    if (it->times && --*it->times == 0) faults_.erase(it);
    return taken;
  }
  return std::nullopt;
}

json FaultSet::to_json() const {
  std::lock_guard lock(mutex_);
  json out = json::array();
  for (const auto& fault : faults_) out.push_back(fault_to_json(fault));
  return out;
}

void RequestLog::record(LoggedRequest entry) {
  std::lock_guard lock(mutex_);
  entry.seq = next_seq_++;
  if (entry.body.size() > kLogBodyLimit) entry.body.resize(kLogBodyLimit);
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  dropped_ = 0;
}

std::size_t RequestLog::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

json RequestLog::to_json(const std::string& path_prefix) const {
  std::lock_guard lock(mutex_);
  json list = json::array();
  for (const auto& entry : entries_) {
    if (entry.path.compare(0, path_prefix.size(), path_prefix) != 0) continue;
    json query = json::object();
    for (const auto& [name, value] : entry.query) {
      // Repeated parameters become arrays; single ones stay plain strings for easy asserts.
      if (!query.contains(name)) {
        query[name] = value;
      } else {
        if (!query[name].is_array()) query[name] = json::array({query[name]});
        query[name].push_back(value);
      }
    }
    list.push_back({{"seq", entry.seq},
                    {"at_ms", entry.at_ms},
                    {"method", entry.method},
                    {"path", entry.path},
                    {"query", query},
                    {"body", entry.body},
                    {"status", entry.status},
                    {"credential", entry.credential},
                    {"fault_id", entry.fault_id ? json(*entry.fault_id) : json(nullptr)}});
  }
  return {{"requests", list}, {"dropped", dropped_}};
}

}  // namespace tenantsync::sim
