#include "api/router.hpp"

#include <algorithm>

namespace tenantsync::api {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    if (end > start) parts.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

void Router::add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  const auto segments = split_path(path);
  for (const auto& route : routes_) {
    const auto pattern = split_path(route.pattern);
    if (pattern.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matched = true;
    for (std::size_t i = 0; i < pattern.size() && matched; ++i) {
      const auto& p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params[p.substr(1, p.size() - 2)] = segments[i];
      } else {
        matched = p == segments[i];
      }
    }
    if (!matched) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      result.outcome = Outcome::found;
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    result.outcome = Outcome::method_not_allowed;
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
        result.allowed_methods.end()) {
      result.allowed_methods.push_back(route.method);
    }
  }
  return result;
}

}  // namespace tenantsync::api
