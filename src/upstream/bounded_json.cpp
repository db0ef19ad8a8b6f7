#include "upstream/bounded_json.hpp"

#include "core/json_depth.hpp"

namespace tenantsync::upstream {

using Json = nlohmann::json;

Json parse_bounded_json(std::string_view body) {
  if (!core::json_depth_within(body)) return Json(Json::value_t::discarded);
  return Json::parse(body, nullptr, false);
}

std::string bounded_raw_json(const Json& record, const std::map<std::string, std::string>& fields,
                             std::size_t max_bytes) {
  std::string raw = record.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (raw.size() <= max_bytes) return raw;
  Json stub(fields);
  stub["_raw_truncated_bytes"] = raw.size();
  std::string out = stub.dump(-1, ' ', false, Json::error_handler_t::replace);
  return out.size() <= max_bytes ? out : Json{{"_raw_truncated_bytes", raw.size()}}.dump();
}

}  // namespace tenantsync::upstream
