#include "crypto/crypto.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace tenantsync::crypto {
namespace {

std::string to_base64(const unsigned char* data, std::size_t size, int variant) {
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

}  // namespace

void init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
  init();
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  std::size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (cost == PasswordCost::moderate) {
    ops = crypto_pwhash_OPSLIMIT_MODERATE;
    mem = crypto_pwhash_MEMLIMIT_MODERATE;
  } else if (cost == PasswordCost::minimal) {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error(core::ErrorCode::out_of_memory, "The server could not hash the password; try again.");
  }
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& hash) {
  init();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
  init();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return "ts_" + to_base64(bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string hash_token(std::string_view token) {
  init();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return to_hex(digest, sizeof digest);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  init();
  // Compare digests so the time does not depend on where, or whether, the lengths differ.
  unsigned char da[crypto_hash_sha256_BYTES], db[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(da, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256(db, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  return sodium_memcmp(da, db, sizeof da) == 0;
}

std::string random_hex(std::size_t bytes) {
  init();
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return to_hex(buf.data(), buf.size());
}

Result<SecretBox> SecretBox::from_key_file(const std::filesystem::path& path) {
  init();
  std::array<unsigned char, kKeySize> key{};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    randombytes_buf(key.data(), key.size());
    const auto old_mask = ::umask(077);
    {
      std::ofstream out(path, std::ios::trunc);
      out << to_hex(key.data(), key.size()) << "\n";
      if (!out) {
        ::umask(old_mask);
        return make_error(
            core::ErrorCode::secret_key_unwritable,
            "Cannot create the secret key file " + path.string() + ": check the folder's permissions.");
      }
    }
    ::umask(old_mask);
    ::chmod(path.c_str(), 0600);
    return SecretBox(key);
  }
  std::ifstream in(path);
  std::string hex;
  in >> hex;
  std::size_t len = 0;
  if (!in || sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != key.size()) {
    return make_error(
        core::ErrorCode::secret_key_invalid,
        "The secret key file " + path.string() + " must hold 64 hexadecimal characters (32 bytes).");
  }
  return SecretBox(key);
}

std::string SecretBox::seal(std::string_view plaintext) const {
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  randombytes_buf(buf.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(buf.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), buf.data(),
                        key_.data());
  return to_base64(buf.data(), buf.size(), sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  std::vector<unsigned char> buf(sealed.size());
  std::size_t len = 0;
  const auto unreadable =
      make_error(core::ErrorCode::secret_unreadable,
                 "A stored secret cannot be decrypted with this secret key; save it again.");
  if (sodium_base642bin(buf.data(), buf.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return unreadable;
  }
  std::string out(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), buf.data() + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, buf.data(), key_.data()) != 0) {
    return unreadable;
  }
  return out;
}

}  // namespace tenantsync::crypto
