#pragma once
// E-mail addresses as the lead matcher compares them.
#include <string>
#include <string_view>

namespace tenantsync::core {

/// Trims ASCII whitespace and lower-cases ASCII letters (other bytes are left alone, so
/// UTF-8 survives). Lower-casing the local part is technically lossy, but no real mail
/// provider distinguishes case there and CRMs store whatever people typed.
std::string normalize_email(std::string_view text);

/// A plausibility check, not RFC 5322: one '@', a non-empty local part, a dotted domain
/// without empty labels, no whitespace or control characters, at most 254 bytes.
/// Checks the text as given; normalize first.
bool looks_like_email(std::string_view text);

}  // namespace tenantsync::core
