#pragma once
// libsodium in one place: password hashes (Argon2id), bearer tokens (256 random bits,
// stored only as a SHA-256 hash), and the secret box that encrypts stored credentials.
#include <array>
#include <chrono>
#include <mutex>
#include <semaphore>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// Argon2id hashing with a bound on how many hashes run at once: at the interactive cost each
/// takes 64 MiB and most of a core, so a flood of sign-ups or logins must queue here instead of
/// exhausting memory. A caller that waits longer than `max_wait` gets server_busy.
class PasswordHasher {
 public:
  PasswordHasher(PasswordCost cost, int max_concurrent, std::chrono::milliseconds max_wait);

  Result<std::string> hash(std::string_view password);
  /// Whether the password matches `stored_hash`; with no hash (an unknown e-mail) it checks a
  /// dummy hash of the same cost and answers false, so timing does not tell which e-mails exist.
  Result<bool> verify(std::string_view password, const std::string* stored_hash);

 private:
  class Permit;
  Result<Permit> acquire();

  PasswordCost cost_;
  std::chrono::milliseconds max_wait_;
  std::counting_semaphore<> permits_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

/// A new bearer token: "ts_" + 43 base64url characters (256 random bits).
std::string new_token();
/// What the database stores for a token: hex SHA-256.
std::string hash_token(std::string_view token);
/// Constant-time string comparison (the cron secret).
bool constant_time_equal(std::string_view a, std::string_view b);

/// Random bytes as lower-case hex (ids, request ids, plan ids).
std::string random_hex(std::size_t bytes);

/// Symmetric encryption of stored secrets (XSalsa20-Poly1305, libsodium secretbox) with a key
/// ring: every key has a version, the newest seals, and every key of the ring opens what it
/// sealed, so a key can be rotated (`tenantsync admin rotate-key`) while old ciphertexts stay
/// readable until they are sealed again.
///
/// The key file holds one "<version>:<64 hex>" line per key; a file of one bare hex line (the
/// format before versions) is key version 1. A ciphertext is "v<version>:" + base64(nonce ||
/// ciphertext); one without the prefix (sealed before versions) is version 1.
class SecretBox {
 public:
  static constexpr std::size_t kKeySize = 32;
  using Key = std::array<unsigned char, kKeySize>;

  /// A ring of one key, version 1.
  explicit SecretBox(const Key& key) : keys_{{1, key}} {}
  /// A ring of these keys by version (not empty); the highest version seals.
  explicit SecretBox(std::map<int, Key> keys) : keys_(std::move(keys)) {}

  /// Reads the key file; secret_key_missing when there is none, secret_key_invalid when malformed.
  static Result<SecretBox> load_key_file(const std::filesystem::path& path);
  /// Creates the key file (mode 0600, folder included) with one new key, atomically: a temp file
  /// made with O_EXCL, written, fsynced, linked into place (never over an existing file) and the
  /// folder fsynced. secret_key_unwritable, naming the cause (a full disk…), when it cannot.
  static Result<SecretBox> create_key_file(const std::filesystem::path& path);
  /// load_key_file, or create_key_file when the file is missing (tests, first start).
  static Result<SecretBox> from_key_file(const std::filesystem::path& path);

  /// Writes the ring to `path` atomically, replacing the file (temp file, fsync, rename, fsync
  /// of the folder); secret_key_unwritable when it cannot.
  Status save_key_file(const std::filesystem::path& path) const;
  /// This ring plus a new random key of the next version, which then seals.
  SecretBox with_new_key() const;
  /// A ring of the sealing key only (after every secret is sealed with it).
  SecretBox current_key_only() const;
  /// The version of the key that seals.
  int current_version() const { return keys_.rbegin()->first; }
  /// Versions of every key of the ring, oldest first.
  std::vector<int> versions() const;

  /// "v<version>:" + base64(nonce || ciphertext), with the current key.
  std::string seal(std::string_view plaintext) const;
  /// secret_unreadable when no key of the ring sealed the text.
  Result<std::string> open(std::string_view sealed) const;
  /// The key version a ciphertext names (1 for one without a prefix); nullopt when malformed.
  static std::optional<int> version_of(std::string_view sealed);

 private:
  std::map<int, Key> keys_;
};

}  // namespace tenantsync::crypto
