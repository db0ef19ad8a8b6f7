#pragma once
// The simulator's expected failures. Unlike tenantsync's own errors, whose codes are one closed
// enum, the simulator answers with each provider's protocol codes ("VALIDATION_ERROR",
// "MALFORMED_QUERY", "INVALID_FIELD", …) and its control API's ("bad_request", "conflict"), so a
// failure here carries its code as text. Inside tenantsync::sim, unqualified Result and
// make_error name these.
#include <string>

#include "core/result.hpp"

namespace tenantsync::sim {

struct ProtocolError {
  std::string code;     ///< the provider's (or the control API's) own error code
  std::string message;  ///< what the provider would say
};

template <class T>
using Result = tenantsync::Result<T, ProtocolError>;
using Status = Result<void>;

inline ProtocolError make_error(std::string code, std::string message) {
  return ProtocolError{std::move(code), std::move(message)};
}

}  // namespace tenantsync::sim
