#include "core/utf8_text.hpp"

namespace tenantsync::core {

std::string_view utf8_prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  // A continuation byte (10xxxxxx) at the cut belongs to a character that does not fit whole.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace tenantsync::core
