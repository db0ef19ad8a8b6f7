#include "id_gen.hpp"

namespace tenantsync::sim {

std::uint64_t IdGen::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string IdGen::hex(std::size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(length);
  std::uint64_t bits = 0;
  int left = 0;
  while (out.size() < length) {
    if (left == 0) {
      bits = next();
      left = 16;
    }
    out.push_back(kDigits[bits & 0xf]);
    bits >>= 4;
    --left;
  }
  return out;
}

std::string IdGen::digits(int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out.push_back(static_cast<char>('0' + below(10)));
  return out;
}

std::string IdGen::uuid() {
  std::string h = hex(32);
  h[12] = '4';
  h[16] = "89ab"[next() % 4];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
         h.substr(20, 12);
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace tenantsync::sim
