#include "upstream/crm/answer_text.hpp"

namespace tenantsync::upstream {

std::string text_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return {};
}

std::string trim_reason(std::string text) {
  if (text.size() > 512) text.resize(512);
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace tenantsync::upstream
