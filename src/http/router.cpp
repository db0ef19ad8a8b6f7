#include "http/router.hpp"

namespace tenantsync::http {
namespace {

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

PathPattern::PathPattern(std::string_view pattern) : segments_(split_path(pattern)) {}

bool PathPattern::match(const std::vector<std::string>& segments, PathParams* params) const {
  if (segments.size() != segments_.size()) return false;
  for (std::size_t i = 0; i < segments_.size(); ++i)
    if (!is_param(segments_[i]) && segments_[i] != segments[i]) return false;
  if (params) {
    for (std::size_t i = 0; i < segments_.size(); ++i)
      if (is_param(segments_[i])) (*params)[segments_[i].substr(1, segments_[i].size() - 2)] = segments[i];
  }
  return true;
}

bool PathPattern::same_shape(const PathPattern& other) const {
  if (segments_.size() != other.segments_.size()) return false;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const bool param = is_param(segments_[i]);
    if (param != is_param(other.segments_[i]) || (!param && segments_[i] != other.segments_[i])) return false;
  }
  return true;
}

bool PathPattern::more_specific_than(const PathPattern& other) const {
  for (std::size_t i = 0; i < segments_.size() && i < other.segments_.size(); ++i) {
    const bool param = is_param(segments_[i]);
    if (param != is_param(other.segments_[i])) return !param;
  }
  return false;
}

bool match_path(std::string_view pattern, std::string_view path, PathParams* params) {
  return PathPattern(pattern).match(split_path(path), params);
}

}  // namespace tenantsync::http
