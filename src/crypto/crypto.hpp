#pragma once
// libsodium in one place: password hashes (Argon2id), bearer tokens (256 random bits,
// stored only as a SHA-256 hash), and the secret box that encrypts stored credentials.
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tenantsync::crypto {

/// Initialises libsodium; call once at start (safe to call again).
void init();

/// How hard password hashing works. `interactive` is libsodium's recommended login cost;
/// `minimal` exists only so test suites that sign up many users stay fast.
enum class PasswordCost { interactive, moderate, minimal };

/// Argon2id hash in libsodium's self-describing string format.
Result<std::string> hash_password(std::string_view password, PasswordCost cost);
/// Constant-time check of a password against a hash from hash_password.
bool verify_password(std::string_view password, const std::string& hash);

/// A new bearer token: "ts_" + 43 base64url characters (256 random bits).
std::string new_token();
/// What the database stores for a token: hex SHA-256.
std::string hash_token(std::string_view token);
/// Constant-time string comparison (the cron secret).
bool constant_time_equal(std::string_view a, std::string_view b);

/// Random bytes as lower-case hex (ids, request ids, plan ids).
std::string random_hex(std::size_t bytes);

/// Symmetric encryption of stored secrets (XSalsa20-Poly1305, libsodium secretbox).
class SecretBox {
 public:
  static constexpr std::size_t kKeySize = 32;
  explicit SecretBox(const std::array<unsigned char, kKeySize>& key) : key_(key) {}

  /// Reads the hex key in `path`, or creates it (mode 0600, folder included) when missing.
  static Result<SecretBox> from_key_file(const std::filesystem::path& path);

  /// base64(nonce || ciphertext)
  std::string seal(std::string_view plaintext) const;
  /// Error "secret_unreadable" when the text was not sealed with this key.
  Result<std::string> open(std::string_view sealed) const;

 private:
  std::array<unsigned char, kKeySize> key_;
};

}  // namespace tenantsync::crypto
