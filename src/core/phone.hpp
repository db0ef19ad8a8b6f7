#pragma once
// Phone numbers to E.164: the lead matcher compares numbers only in this
// form, so "(415) 555-2671" and "+1 415-555-2671" are the same lead. An unparseable number is
// kept raw and flagged, never dropped.
#include <string>
#include <string_view>

namespace tenantsync::core {

struct PhoneResult {
  std::string e164;       ///< "+14155552671"; empty when the number is not valid
  std::string raw;        ///< the input as given
  std::string extension;  ///< "123" for "… ext. 123"; kept apart from the number
  bool valid = false;
};

/// Parses `raw` as a number of `default_region` (ISO 3166-1 alpha-2, any case) unless it is
/// international ("+44…", "0044…"); valid only when libphonenumber's metadata accepts it.
PhoneResult normalize_phone(std::string_view raw, std::string_view default_region = "US");

}  // namespace tenantsync::core
