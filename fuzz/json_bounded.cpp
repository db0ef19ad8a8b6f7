// The JSON depth scan and the bounded parse every outside JSON goes through: a text nested past
// the bound is refused before parsing; a text parsed is within the bound and survives a dump and
// a parse unchanged.
#include <nlohmann/json.hpp>

#include "core/json_depth.hpp"
#include "fuzz_support.hpp"
#include "upstream/bounded_json.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  const bool shallow = core::json_depth_within(text);
  fuzz::check(core::json_depth_within(text, 100000) || !shallow, "a deeper bound refused what a smaller took");
  const nlohmann::json parsed = upstream::parse_bounded_json(text);
  if (!shallow) fuzz::check(parsed.is_discarded(), "a text nested too deeply was parsed");
  if (parsed.is_discarded()) return 0;
  const std::string dumped = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  fuzz::check(core::json_depth_within(dumped), "a parsed value that dumps deeper than the bound");
  const auto reparsed = nlohmann::json::parse(dumped, nullptr, false);
  fuzz::check(!reparsed.is_discarded(), "a dump that does not parse");
  return 0;
}
