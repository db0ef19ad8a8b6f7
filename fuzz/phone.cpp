// Phone numbers to E.164 (libphonenumber): a valid number is "+" and 2 to 15 digits that
// normalize to themselves; an invalid one has no E.164 and keeps its raw text. The input is
// "REGION\nnumber" or a number of the US.
#include <algorithm>

#include "core/phone.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 512) return 0;  // far beyond any phone field; libphonenumber's cost grows with it
  std::string_view text = fuzz::text_of(data, size);
  std::string_view region = "US";
  if (const auto newline = text.find('\n'); newline != std::string_view::npos && newline <= 3) {
    region = text.substr(0, newline);
    text.remove_prefix(newline + 1);
  }
  const core::PhoneResult phone = core::normalize_phone(text, region);
  fuzz::check(phone.raw == text, "the raw text changed");
  if (!phone.valid) {
    fuzz::check(phone.e164.empty(), "an invalid number with an E.164 form");
    return 0;
  }
  const std::string& e164 = phone.e164;
  fuzz::check(e164.size() >= 3 && e164.size() <= 16 && e164[0] == '+', "an E.164 number of the wrong shape");
  fuzz::check(std::all_of(e164.begin() + 1, e164.end(), [](char c) { return c >= '0' && c <= '9'; }),
              "an E.164 number with a non-digit");
  const core::PhoneResult again = core::normalize_phone(e164, "US");
  fuzz::check(again.valid && again.e164 == e164, "an E.164 number that does not normalize to itself");
  return 0;
}
