#include "store/execution_columns.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/phone.hpp"

namespace tenantsync::store {
namespace {

using Json = nlohmann::json;

bool plus_and_digits(std::string_view text) {
  if (text.size() < 8 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  for (std::size_t i = 1; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

std::optional<double> number_field(const Json& fields, const char* key) {
  const auto found = fields.find(key);
  if (found == fields.end() || !found->is_number()) return std::nullopt;
  const double value = found->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

std::string text_field(const Json& fields, const char* key) {
  const auto found = fields.find(key);
  return found != fields.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string call_number_e164(std::string_view number, std::string_view region) {
  if (number.empty()) return {};
  const core::PhoneResult parsed = core::normalize_phone(number, region);
  if (parsed.valid) return parsed.e164;
  return plus_and_digits(number) ? std::string(number) : std::string();
}

ExecutionColumns execution_columns(std::string_view fields_json, std::string_view region) {
  ExecutionColumns out;
  const Json fields = Json::parse(fields_json, nullptr, false);
  if (!fields.is_object()) return out;
  out.from_e164 = call_number_e164(text_field(fields, "from_number"), region);
  out.to_e164 = call_number_e164(text_field(fields, "to_number"), region);
  out.duration_s = number_field(fields, "conversation_duration");
  out.cost = number_field(fields, "total_cost");
  return out;
}

}  // namespace tenantsync::store
