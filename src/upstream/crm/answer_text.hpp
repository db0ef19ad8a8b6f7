#pragma once
// Reading the text of a provider's JSON answer (OAuth token endpoints, Nango), shared by the
// credential sources and the Nango client.
#include <nlohmann/json.hpp>
#include <string>

namespace tenantsync::upstream {

/// object[key] as text: a string, or an integer's digits (ids some providers send as numbers);
/// "" when the key is missing or holds anything else.
std::string text_at(const nlohmann::json& object, const char* key);

/// A provider's reason for a message to a person: at most 512 bytes, without a final period.
std::string trim_reason(std::string text);

}  // namespace tenantsync::upstream
