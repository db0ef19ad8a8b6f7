#pragma once
// Cutting text from strangers to a byte bound without splitting a character, so what is kept
// stays valid UTF-8 (upstream fields over their bound, HubSpot and Bolna alike).
#include <cstddef>
#include <string_view>

namespace tenantsync::core {

/// The longest prefix of `text` of at most `limit` bytes that ends on a character boundary.
std::string_view utf8_prefix(std::string_view text, std::size_t limit);

}  // namespace tenantsync::core
