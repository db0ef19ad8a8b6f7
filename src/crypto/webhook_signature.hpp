#pragma once
// The signature of an outbound webhook: X-Tenantsync-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, t + "." + body)>. The timestamp is signed with the body, so a receiver
// that checks it is recent refuses a replay of an old delivery.
#include <cstdint>
#include <string>
#include <string_view>

namespace tenantsync::crypto {

/// A new endpoint secret: "whsec_" + 64 hex characters (256 random bits).
std::string new_webhook_secret();
/// Hex HMAC-SHA256 of `message` with `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
/// The header's value for a body sent at `unix_seconds`.
std::string webhook_signature(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

}  // namespace tenantsync::crypto
