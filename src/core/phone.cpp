#include "core/phone.hpp"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>

namespace tenantsync::core {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber refuses longer input anyway; the cap keeps hostile CRM data cheap.
constexpr std::size_t kMaxInputLength = 250;

bool parse_valid(const PhoneNumberUtil& util, const std::string& text, const std::string& region,
                 PhoneNumber& number) {
  return util.Parse(text, region, &number) == PhoneNumberUtil::NO_PARSING_ERROR && util.IsValidNumber(number);
}

// "0044 20 …": 00 is the international prefix in most of the world but not in the default
// region (the US dials 011), so people in CRMs write it anyway. Read it as "+".
std::string with_plus_for_double_zero(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (text.substr(i, 2) != "00") return {};
  return "+" + std::string(text.substr(i + 2));
}

bool is_e164_shape(std::string_view text) {
  if (text.size() < 3 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

PhoneResult normalize_phone(std::string_view raw, std::string_view default_region) {
  PhoneResult result;
  result.raw = std::string(raw);
  if (raw.empty() || raw.size() > kMaxInputLength) return result;

  std::string region(default_region);
  for (char& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  bool valid = parse_valid(util, result.raw, region, number);
  if (!valid) {
    const std::string international = with_plus_for_double_zero(raw);
    if (!international.empty()) {
      number.Clear();
      valid = parse_valid(util, international, region, number);
    }
  }
  if (!valid) return result;

  util.Format(number, PhoneNumberUtil::E164, &result.e164);
  // What we store must be E.164 whatever the library made of odd input (fuzz/phone found a
  // "valid" number with a control character and letters whose formatted form was not "+" and
  // 2..15 digits): such a number is invalid, never a malformed key for matching.
  if (!is_e164_shape(result.e164)) {
    result.e164.clear();
    return result;
  }
  if (number.has_extension()) result.extension = number.extension();
  result.valid = true;
  return result;
}

}  // namespace tenantsync::core
