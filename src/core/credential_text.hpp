#pragma once
// What a credential a tenant pastes (an access or refresh token, a Nango connection id or
// provider config key) may contain. Each is sent in a header or URL of an upstream request, where
// CR/LF would forge headers and spaces or control characters only ever mean a pasting mistake, so
// the rule is strict: visible ASCII, no spaces, bounded.
#include <cstddef>
#include <string>
#include <string_view>

namespace tenantsync::core {

/// Longer than any real token (Salesforce's are ~112 characters, JWTs a few hundred).
inline constexpr std::size_t kMaxCredentialLength = 4096;

/// Whether `text` is 1 to kMaxCredentialLength visible ASCII characters (0x21-0x7E).
bool is_credential_text(std::string_view text);
/// The sentence that refuses `field` for breaking the rule.
std::string credential_text_refusal(std::string_view field);

}  // namespace tenantsync::core
