// E-mail normalization and the plausibility check: normalizing twice changes nothing, and an
// address that passes has one '@', no space or control byte, and at most 254 bytes.
#include <algorithm>

#include "core/email.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string email = core::normalize_email(fuzz::text_of(data, size));
  fuzz::check(email.size() <= size, "normalizing made the text longer");
  fuzz::check(core::normalize_email(email) == email, "normalizing is not idempotent");
  if (!core::looks_like_email(email)) return 0;
  fuzz::check(email.size() <= 254, "an address over 254 bytes");
  fuzz::check(std::count(email.begin(), email.end(), '@') == 1, "an address without exactly one '@'");
  fuzz::check(std::none_of(email.begin(), email.end(),
                           [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; }),
              "an address with a space or control byte");
  fuzz::check(email.front() != '@' && email.back() != '.', "an address with an empty part");
  return 0;
}
