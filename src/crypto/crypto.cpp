#include "crypto/crypto.hpp"

#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include <cstring>
#include <fstream>
#include <sstream>
#include <mutex>
#include <stdexcept>
#include <utility>
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

// Holds one of the hasher's permits until destroyed.
class PasswordHasher::Permit {
 public:
  explicit Permit(std::counting_semaphore<>& permits) : permits_(&permits) {}
  Permit(Permit&& other) noexcept : permits_(std::exchange(other.permits_, nullptr)) {}
  Permit& operator=(Permit&&) = delete;
  ~Permit() {
    if (permits_ != nullptr) permits_->release();
  }

 private:
  std::counting_semaphore<>* permits_;
};

PasswordHasher::PasswordHasher(PasswordCost cost, int max_concurrent, std::chrono::milliseconds max_wait)
    : cost_(cost), max_wait_(max_wait), permits_(std::max(1, max_concurrent)) {}

Result<PasswordHasher::Permit> PasswordHasher::acquire() {
  if (!permits_.try_acquire_for(max_wait_)) {
    return make_error(core::ErrorCode::server_busy,
                      "The server is busy checking passwords; try again in a few seconds.");
  }
  return Permit(permits_);
}

Result<std::string> PasswordHasher::hash(std::string_view password) {
  auto permit = acquire();
  if (!permit.ok()) return permit.error();
  return hash_password(password, cost_);
}

Result<bool> PasswordHasher::verify(std::string_view password, const std::string* stored_hash) {
  if (stored_hash == nullptr) {
    // Made on first use (not at start), under no permit of its own: it is one hash, once.
    std::call_once(dummy_once_, [this] {
      auto dummy = hash_password("dummy-password", cost_);
      dummy_hash_ = dummy.ok() ? *dummy : std::string();
    });
  }
  auto permit = acquire();
  if (!permit.ok()) return permit.error();
  if (stored_hash == nullptr) {
    (void)verify_password(password, dummy_hash_);
    return false;
  }
  return verify_password(password, *stored_hash);
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

namespace {

constexpr std::string_view kVersionPrefix = "v";

Error unwritable(const std::filesystem::path& path, const std::string& step, int error_number) {
  return make_error(core::ErrorCode::secret_key_unwritable,
                    "Cannot write the secret key file " + path.string() + " (" + step + ": " +
                        std::strerror(error_number) + "); check the disk space and the folder's permissions.");
}

std::string key_file_text(const std::map<int, SecretBox::Key>& keys) {
  std::string text;
  for (const auto& [version, key] : keys) text += std::to_string(version) + ":" + to_hex(key.data(), key.size()) + "\n";
  return text;
}

std::optional<SecretBox::Key> key_from_hex(std::string_view hex) {
  SecretBox::Key key{};
  std::size_t len = 0;
  if (sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != key.size()) {
    return std::nullopt;
  }
  return key;
}

// Parses the key file's text: "<version>:<hex>" lines, or the one bare hex line of old files.
std::optional<std::map<int, SecretBox::Key>> parse_key_file(std::string_view text) {
  std::map<int, SecretBox::Key> keys;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    int version = 1;
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      auto [ptr, ec] = std::from_chars(line.data(), line.data() + colon, version);
      if (ec != std::errc() || ptr != line.data() + colon || version < 1) return std::nullopt;
      line.remove_prefix(colon + 1);
    } else if (!keys.empty()) {
      return std::nullopt;  // a bare key is only the whole of an old file
    }
    auto key = key_from_hex(line);
    if (!key || !keys.emplace(version, *key).second) return std::nullopt;
  }
  if (keys.empty()) return std::nullopt;
  return keys;
}

// RAII for a file descriptor.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Writes `text` to a new temp file beside `path` (O_EXCL, mode 0600) and fsyncs it; returns the
// temp file's path. On any error the temp file is removed.
Result<std::filesystem::path> write_temp_file(const std::filesystem::path& path, std::string_view text) {
  std::error_code ec;
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::filesystem::create_directories(folder, ec);
  if (ec) return unwritable(path, "creating its folder", ec.value());
  const auto temp = folder / ("." + path.filename().string() + ".tmp-" + random_hex(6));
  Fd file{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
  if (file.fd < 0) return unwritable(path, "creating a temporary file", errno);
  const char* data = text.data();
  std::size_t left = text.size();
  int failure = 0;
  std::string step;
  while (left > 0 && failure == 0) {
    const ssize_t written = ::write(file.fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      failure = written < 0 ? errno : EIO;
      step = "writing";
    } else {
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  }
  if (failure == 0 && ::fsync(file.fd) != 0) {
    failure = errno;
    step = "flushing to disk";
  }
  if (failure == 0 && ::close(std::exchange(file.fd, -1)) != 0) {
    failure = errno;
    step = "closing";
  }
  if (failure != 0) {
    ::unlink(temp.c_str());
    return unwritable(path, step, failure);
  }
  return temp;
}

// fsyncs the folder of `path`, so a rename or link into it survives a crash.
Status sync_folder(const std::filesystem::path& path) {
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  Fd dir{::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0 || ::fsync(dir.fd) != 0) return unwritable(path, "flushing its folder to disk", errno);
  return {};
}

}  // namespace

Result<SecretBox> SecretBox::load_key_file(const std::filesystem::path& path) {
  init();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return make_error(core::ErrorCode::secret_key_missing, "The secret key file " + path.string() + " does not exist.");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto keys = in ? parse_key_file(text.str()) : std::nullopt;
  if (!keys) {
    return make_error(core::ErrorCode::secret_key_invalid,
                      "The secret key file " + path.string() +
                          " must hold 64 hexadecimal characters (32 bytes), or one \"<version>:<64 hex>\" line per key.");
  }
  return SecretBox(std::move(*keys));
}

Result<SecretBox> SecretBox::create_key_file(const std::filesystem::path& path) {
  init();
  Key key{};
  randombytes_buf(key.data(), key.size());
  SecretBox box(key);
  auto temp = write_temp_file(path, key_file_text(box.keys_));
  if (!temp.ok()) return temp.error();
  // link() fails when the file exists: two instances starting at once keep one key, not two.
  const int linked = ::link(temp->c_str(), path.c_str()) == 0 ? 0 : errno;
  ::unlink(temp->c_str());
  if (linked == EEXIST) return load_key_file(path);
  if (linked != 0) return unwritable(path, "moving the new file into place", linked);
  if (auto synced = sync_folder(path); !synced.ok()) return synced.error();
  return box;
}

Result<SecretBox> SecretBox::from_key_file(const std::filesystem::path& path) {
  auto loaded = load_key_file(path);
  if (loaded.ok() || !loaded.error().is(core::ErrorCode::secret_key_missing)) return loaded;
  return create_key_file(path);
}

Status SecretBox::save_key_file(const std::filesystem::path& path) const {
  init();
  auto temp = write_temp_file(path, key_file_text(keys_));
  if (!temp.ok()) return temp.error();
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    const int failure = errno;
    ::unlink(temp->c_str());
    return unwritable(path, "moving the new file into place", failure);
  }
  return sync_folder(path);
}

SecretBox SecretBox::with_new_key() const {
  init();
  Key key{};
  randombytes_buf(key.data(), key.size());
  auto keys = keys_;
  keys.emplace(current_version() + 1, key);
  return SecretBox(std::move(keys));
}

SecretBox SecretBox::current_key_only() const { return SecretBox(std::map<int, Key>{*keys_.rbegin()}); }

std::vector<int> SecretBox::versions() const {
  std::vector<int> out;
  for (const auto& [version, key] : keys_) out.push_back(version);
  return out;
}

std::optional<int> SecretBox::version_of(std::string_view sealed) {
  const auto colon = sealed.find(':');
  if (colon == std::string_view::npos) return 1;  // sealed before versions
  if (!sealed.starts_with(kVersionPrefix)) return std::nullopt;
  int version = 0;
  const char* first = sealed.data() + kVersionPrefix.size();
  auto [ptr, ec] = std::from_chars(first, sealed.data() + colon, version);
  if (ec != std::errc() || ptr != sealed.data() + colon || version < 1) return std::nullopt;
  return version;
}

std::string SecretBox::seal(std::string_view plaintext) const {
  const auto& [version, key] = *keys_.rbegin();
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  randombytes_buf(buf.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(buf.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), buf.data(),
                        key.data());
  return std::string(kVersionPrefix) + std::to_string(version) + ":" +
         to_base64(buf.data(), buf.size(), sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  const auto unreadable = make_error(core::ErrorCode::secret_unreadable,
                                     "A stored secret cannot be decrypted with this secret key; save it again.");
  const auto version = version_of(sealed);
  if (!version) return unreadable;
  const auto key = keys_.find(*version);
  if (key == keys_.end()) return unreadable;
  if (const auto colon = sealed.find(':'); colon != std::string_view::npos) sealed.remove_prefix(colon + 1);
  std::vector<unsigned char> buf(sealed.size());
  std::size_t len = 0;
  if (sodium_base642bin(buf.data(), buf.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return unreadable;
  }
  std::string out(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), buf.data() + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, buf.data(), key->second.data()) != 0) {
    return unreadable;
  }
  return out;
}

}  // namespace tenantsync::crypto
