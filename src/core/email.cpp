#include "core/email.hpp"

namespace tenantsync::core {
namespace {

constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit minus the angle brackets
constexpr std::size_t kMaxLocalLength = 64;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string normalize_email(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  std::string out(text.substr(begin, end - begin));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool looks_like_email(std::string_view text) {
  if (text.empty() || text.size() > kMaxEmailLength) return false;
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalLength) return false;
  if (domain.find('.') == std::string_view::npos) return false;
  std::size_t label_start = 0;
  while (label_start <= domain.size()) {
    std::size_t dot = domain.find('.', label_start);
    if (dot == std::string_view::npos) dot = domain.size();
    const std::string_view label = domain.substr(label_start, dot - label_start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    label_start = dot + 1;
  }
  return true;
}

}  // namespace tenantsync::core
