#pragma once
// The cells and lines of an export: CSV (RFC 4180, with spreadsheet formula injection
// neutralized) and JSON Lines. Pure functions; export_routes.cpp streams what they write.
#include <string>
#include <string_view>
#include <vector>

namespace tenantsync::api {

enum class ExportFormat { csv, jsonl };

/// One CSV cell. A cell a spreadsheet would run as a formula (its first character is =, +, -, @,
/// a tab or a carriage return) gets a leading apostrophe, unless it is a plain number ("+1415…",
/// "-3.5"), which cannot carry a formula; a cell with a comma, a quote or a line break is quoted.
std::string csv_cell(std::string_view text);
/// One CSV line of cells, ending in CRLF.
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace tenantsync::api
