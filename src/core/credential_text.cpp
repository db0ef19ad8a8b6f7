#include "core/credential_text.hpp"

#include <algorithm>

namespace tenantsync::core {

bool is_credential_text(std::string_view text) {
  if (text.empty() || text.size() > kMaxCredentialLength) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x21 && byte <= 0x7e;
  });
}

std::string credential_text_refusal(std::string_view field) {
  return "The field \"" + std::string(field) +
         "\" must be printable characters without spaces or control characters (at most " +
         std::to_string(kMaxCredentialLength) + ").";
}

}  // namespace tenantsync::core
