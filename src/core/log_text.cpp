#include "core/log_text.hpp"

namespace tenantsync::core {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}

// Appends text[i] escaped when it starts a control character; returns the bytes it consumed.
std::size_t append_escaped(std::string& out, std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == '\n') {
    out += "\\n";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c == '\t') {
    out += "\\t";
  } else if (c < 0x20 || c == 0x7f) {
    append_hex_byte(out, c);
  } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
             static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
    // A C1 control in UTF-8 (NEL, U+0085, is a line break to some readers).
    append_hex_byte(out, c);
    append_hex_byte(out, static_cast<unsigned char>(text[i + 1]));
    return 2;
  } else if (c == 0xe2 && i + 2 < text.size() && text[i + 1] == '\x80' &&
             (text[i + 2] == '\xa8' || text[i + 2] == '\xa9')) {
    out += text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
    return 3;
  } else {
    out.push_back(static_cast<char>(c));
  }
  return 1;
}

bool needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  for (char c : text) {
    if (c == ' ' || c == '"' || c == '\\' || c == '=') return true;
  }
  return false;
}

}  // namespace

std::string escape_control(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) i += append_escaped(out, text, i);
  return out;
}

std::string log_value(std::string_view text) {
  if (!needs_quotes(text)) return escape_control(text);
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '"' || text[i] == '\\') {
      out.push_back('\\');
      out.push_back(text[i++]);
    } else {
      i += append_escaped(out, text, i);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace tenantsync::core
