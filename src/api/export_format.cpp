#include "api/export_format.hpp"

#include <algorithm>

namespace tenantsync::api {
namespace {

// "+14155552671", "-3.5", "42": a spreadsheet reads these as numbers, never as formulas.
bool plain_number(std::string_view text) {
  std::size_t i = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
  if (i == text.size()) return false;
  bool digit_seen = false;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      digit_seen = true;
    } else if (text[i] != '.') {
      return false;
    }
  }
  return digit_seen;
}

bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

}  // namespace

std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty() && formula_start(text.front()) && !plain_number(text)) cell += '\'';
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_cell(cells[i]);
  }
  line += "\r\n";
  return line;
}

}  // namespace tenantsync::api
