#include "upstream/bounded_json.hpp"

#include "core/json_depth.hpp"

namespace tenantsync::upstream {

using Json = nlohmann::json;

Json parse_bounded_json(std::string_view body) {
  if (!core::json_depth_within(body)) return Json(Json::value_t::discarded);
  return Json::parse(body, nullptr, false);
}

}  // namespace tenantsync::upstream
