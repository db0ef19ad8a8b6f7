#pragma once
// Logged values come from strangers (request paths, upstream error text, record ids), so a value
// must never start a new log line or pass for another field. Two rules: every log line has its
// control characters escaped (the logger does it, src/app/logging.cpp), and values in key=value
// fields that people or log parsers split on are written with log_value.
#include <string>
#include <string_view>

namespace tenantsync::core {

/// The text with control characters written visibly: \n, \r, \t, or \xHH for the other C0 bytes,
/// DEL and the C1 controls; U+2028 and U+2029 (line breaks to some viewers) as \u2028 and \u2029.
/// Other bytes, UTF-8 included, are left alone.
std::string escape_control(std::string_view text);

/// A value for a key=value log field: control characters escaped as by escape_control, and the
/// whole value in double quotes (with \" and \\ inside) when it is empty or holds a space, a
/// quote, a backslash or '=', so a value can never add a field of its own.
std::string log_value(std::string_view text);

}  // namespace tenantsync::core
