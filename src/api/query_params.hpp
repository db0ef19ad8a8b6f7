#pragma once
// Query parameters of the browsing routes (the call log, leads, charts), read strictly: a bad
// value is a 400 validation_failed whose message names the parameter, never a silent default.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "api/json.hpp"
#include "core/ids.hpp"
#include "http/message.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::api {

/// Throws 400 validation_failed: "The parameter "name" <problem>".
[[noreturn]] void bad_parameter(const std::string& name, const std::string& problem);

/// The parameter's text ("" when absent); 400 when longer than max_bytes.
std::string text_param(const http::Request& request, const std::string& name, std::size_t max_bytes = 200);
/// An ISO-8601 time as epoch ms; nullopt when absent or empty; 400 when unreadable.
std::optional<std::int64_t> time_param(const http::Request& request, const std::string& name);
/// ?limit= from 1 to max (default fallback); 400 otherwise.
int limit_param(const http::Request& request, int fallback = 50, int max = 500);
/// ?cursor= as given out by a list; 400 when it is not one.
std::optional<store::PageCursor> cursor_param(const http::Request& request);
/// One of `allowed` ("" when absent: the caller's default); 400 naming the choices otherwise.
std::string choice_param(const http::Request& request, const std::string& name,
                         std::initializer_list<const char*> allowed);
/// A positive integer id (e.g. ?connection_id=); nullopt when absent; 400 otherwise.
std::optional<std::int64_t> id_param(const http::Request& request, const std::string& name);

/// A path id (/api/executions/{id}) as a row id; 404 not_found (as for any id the tenant does
/// not have) when it is not a positive integer.
std::int64_t path_id(const std::string& text, const std::string& what);

}  // namespace tenantsync::api
