#pragma once
// Routing by method and path pattern ("/api/sync/runs/{id}/cancel"), for the API and the simulator.
// The table is data: the caller's route type carries `method` and `pattern` plus whatever else it
// needs (an access rule, a handler), and `routes()` enumerates it (the isolation test does).
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tenantsync::http {

/// Values of a pattern's {name} segments.
using PathParams = std::map<std::string, std::string>;

/// Splits "/a/b/" into {"a", "b"} (empty segments dropped).
std::vector<std::string> split_path(std::string_view path);

/// A route pattern: literal segments and {name} segments that match any one segment.
class PathPattern {
 public:
  explicit PathPattern(std::string_view pattern);

  /// True when the segments fit; then `params` (when given) holds the {name} values.
  bool match(const std::vector<std::string>& segments, PathParams* params = nullptr) const;
  /// True when both name the same paths (the same literals and {name}s at the same places).
  bool same_shape(const PathPattern& other) const;
  /// True when, at the first segment where the two differ in kind, this one is literal:
  /// "/runs/latest" beats "/runs/{id}" for the path "/runs/latest", whatever the table's order.
  bool more_specific_than(const PathPattern& other) const;

 private:
  std::vector<std::string> segments_;
};

/// True when `path` fits `pattern` ("/v2/agent/{id}/executions"); fills `params` when given.
bool match_path(std::string_view pattern, std::string_view path, PathParams* params = nullptr);

/// Whether a HEAD request is served by the GET route of its path (HTTP's default) or needs its own.
enum class HeadRequests { as_get, exact };

enum class MatchOutcome { found, not_found, method_not_allowed };

/// A route table. `Route` is any type with `std::string method` and `std::string pattern`; the
/// method "*" accepts every method. A path is served by the most specific pattern that fits it;
/// the method then picks among the routes of that pattern (none fits: 405 with the allowed ones).
template <class Route>
class Router {
 public:
  using Outcome = MatchOutcome;
  struct Match {
    Outcome outcome = Outcome::not_found;
    const Route* route = nullptr;              ///< set when found
    PathParams params;                         ///< set when found or method_not_allowed
    std::vector<std::string> allowed_methods;  ///< for 405's Allow header
  };

  explicit Router(HeadRequests head = HeadRequests::as_get) : head_(head) {}

  void add(Route route) {
    patterns_.emplace_back(route.pattern);
    routes_.push_back(std::move(route));
  }

  Match match(const std::string& method, std::string_view path) const {
    Match result;
    const auto segments = split_path(path);
    const PathPattern* best = nullptr;
    for (const auto& pattern : patterns_)
      if (pattern.match(segments) && (!best || pattern.more_specific_than(*best))) best = &pattern;
    if (!best) return result;
    best->match(segments, &result.params);
    result.outcome = Outcome::method_not_allowed;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
      if (!patterns_[i].same_shape(*best)) continue;
      const Route& route = routes_[i];
      if (accepts(route.method, method)) {
        result.outcome = Outcome::found;
        result.route = &route;
        result.params.clear();  // the names are this route's own
        patterns_[i].match(segments, &result.params);
        result.allowed_methods.clear();
        return result;
      }
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
          result.allowed_methods.end())
        result.allowed_methods.push_back(route.method);
    }
    return result;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  bool accepts(const std::string& route_method, const std::string& method) const {
    return route_method == method || route_method == "*" ||
           (head_ == HeadRequests::as_get && method == "HEAD" && route_method == "GET");
  }

  HeadRequests head_;
  std::vector<Route> routes_;
  std::vector<PathPattern> patterns_;  ///< parsed once, same index as routes_
};

}  // namespace tenantsync::http
