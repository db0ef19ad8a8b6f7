#include "http/message.hpp"

#include <cctype>
#include <future>
#include <mutex>

namespace tenantsync::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view Request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string_view{} : std::string_view{it->second};
}

std::optional<std::string> Request::query_param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response await_response(Response response) {
  if (response.body_pieces) {
    for (std::string piece = response.body_pieces(); !piece.empty(); piece = response.body_pieces())
      response.body += piece;
    response.body_pieces = nullptr;
  }
  if (!response.deferred) return response;
  auto answer = std::make_shared<std::promise<Response>>();
  auto answered = answer->get_future();
  auto start = std::move(response.deferred);
  // Set once: a deferred answer is delivered at most once, but a copy of respond may linger.
  auto once = std::make_shared<std::once_flag>();
  start([answer, once](Response final) {
    std::call_once(*once, [&] { answer->set_value(std::move(final)); });
  });
  Response final = answered.get();
  if (final.route_label.empty()) final.route_label = response.route_label;
  return final;
}

std::string bearer_token(const Request& request) {
  const auto value = request.header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size()) return {};
  // The scheme is case-insensitive (RFC 9110).
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i]))) {
      return {};
    }
  }
  std::string token(value.substr(kPrefix.size()));
  while (!token.empty() && token.back() == ' ') token.pop_back();
  return token;
}

std::string url_decode(std::string_view text, bool form_encoded) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(form_encoded && c == '+' ? ' ' : c);
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::multimap<std::string, std::string> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) {
        out.emplace(url_decode(pair), "");
      } else {
        out.emplace(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
      }
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace tenantsync::http
