#include "salesforce_records.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/time_format.hpp"

namespace tenantsync::sim::salesforce {
namespace {

struct FieldDef {
  const char* name;
  FieldType type;
  bool lead_only;
};

const FieldDef kRecordFields[] = {
    {"Id", FieldType::kId, false},
    {"FirstName", FieldType::kString, false},
    {"LastName", FieldType::kString, false},
    {"Name", FieldType::kString, false},
    {"Email", FieldType::kString, false},
    {"Phone", FieldType::kString, false},
    {"MobilePhone", FieldType::kString, false},
    {"OwnerId", FieldType::kId, false},
    {"Owner.Id", FieldType::kId, false},
    {"Owner.Name", FieldType::kString, false},
    {"Owner.Email", FieldType::kString, false},
    {"Status", FieldType::kString, true},
    {"Description", FieldType::kString, false},
    {"LastActivityDate", FieldType::kDate, false},
    {"SystemModstamp", FieldType::kDateTime, false},
    {"LastModifiedDate", FieldType::kDateTime, false},
    {"CreatedDate", FieldType::kDateTime, false},
    {"IsDeleted", FieldType::kBoolean, false},
};

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

Value text_value(const std::optional<std::string>& text) {
  Value v;
  if (text) {
    v.null = false;
    v.text = *text;
  }
  return v;
}

Value ms_value(std::int64_t ms) {
  Value v;
  v.null = false;
  v.number = ms;
  return v;
}

const User* owner_of(const Record& record, const Users& users) {
  if (!record.owner_id) return nullptr;
  const auto it = users.find(*record.owner_id);
  return it == users.end() ? nullptr : &it->second;
}

std::optional<std::string> full_name(const Record& record) {
  if (!record.first_name && !record.last_name) return std::nullopt;
  if (!record.first_name) return record.last_name;
  if (!record.last_name) return record.first_name;
  return *record.first_name + " " + *record.last_name;
}

nlohmann::ordered_json value_json(const Value& value, FieldType type) {
  if (value.null) return nullptr;
  switch (type) {
    case FieldType::kDateTime:
      return format_datetime(value.number);
    case FieldType::kBoolean:
      return value.number != 0;
    default:
      return value.text;
  }
}

}  // namespace

std::optional<std::string> canonical_object(std::string_view name) {
  for (const char* object : {"Lead", "Contact", "Organization"})
    if (iequal(name, object)) return std::string(object);
  return std::nullopt;
}

std::optional<std::string> canonical_field(std::string_view object, std::string_view name) {
  if (object == "Organization") {
    for (const char* field : {"Id", "Name", "TimeZoneSidKey"})
      if (iequal(name, field)) return std::string(field);
    return std::nullopt;
  }
  for (const auto& def : kRecordFields)
    if (iequal(name, def.name) && (!def.lead_only || object == "Lead")) return std::string(def.name);
  return std::nullopt;
}

FieldType field_type(const std::string& canonical) {
  for (const auto& def : kRecordFields)
    if (canonical == def.name) return def.type;
  return FieldType::kString;
}

Value field_value(const Record& record, const std::string& field, const Users& users) {
  if (field == "Id") return text_value(record.id);
  if (field == "FirstName") return text_value(record.first_name);
  if (field == "LastName") return text_value(record.last_name);
  if (field == "Name") return text_value(full_name(record));
  if (field == "Email") return text_value(record.email);
  if (field == "Phone") return text_value(record.phone);
  if (field == "MobilePhone") return text_value(record.mobile_phone);
  if (field == "OwnerId" || field == "Owner.Id") return text_value(record.owner_id);
  if (field == "Owner.Name" || field == "Owner.Email") {
    const User* owner = owner_of(record, users);
    if (!owner) return {};
    return text_value(field == "Owner.Name" ? owner->name : owner->email);
  }
  if (field == "Status") return text_value(record.status);
  if (field == "Description") return text_value(record.description);
  if (field == "LastActivityDate") return text_value(record.last_activity_date);
  if (field == "SystemModstamp" || field == "LastModifiedDate") return ms_value(record.modstamp_ms);
  if (field == "CreatedDate") return ms_value(record.created_ms);
  if (field == "IsDeleted") return ms_value(record.is_deleted ? 1 : 0);
  return {};
}

int compare(const Value& a, const Value& b, FieldType type) {
  if (a.null || b.null) return a.null == b.null ? 0 : (a.null ? -1 : 1);
  if (type == FieldType::kDateTime || type == FieldType::kBoolean)
    return a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
  const int c = a.text.compare(b.text);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string format_datetime(std::int64_t ms) {
  std::string text = format_iso8601(from_epoch_ms(ms));
  if (!text.empty() && text.back() == 'Z') text.replace(text.size() - 1, 1, "+0000");
  return text;
}

std::string base62(std::uint64_t value, std::size_t width) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out(width, '0');
  for (std::size_t i = width; i-- > 0 && value > 0; value /= 62) out[i] = kDigits[value % 62];
  return out;
}

std::string id18(std::string_view id15) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  std::string out(id15);
  for (std::size_t chunk = 0; chunk < 3; ++chunk) {
    int bits = 0;
    for (std::size_t i = 0; i < 5 && chunk * 5 + i < id15.size(); ++i) {
      const char c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out.push_back(kAlphabet[bits]);
  }
  return out;
}

nlohmann::ordered_json record_json(const Record& record, const std::vector<std::string>& fields,
                                   const Users& users, const std::string& version) {
  nlohmann::ordered_json out;
  out["attributes"] = {
      {"type", record.type()},
      {"url", "/services/data/v" + version + "/sobjects/" + record.type() + "/" + record.id}};
  for (const auto& field : fields) {
    if (field.rfind("Owner.", 0) == 0) {
      const User* owner = owner_of(record, users);
      if (!owner) {
        out["Owner"] = nullptr;
        continue;
      }
      if (!out.contains("Owner") || out["Owner"].is_null())
        out["Owner"] = {
            {"attributes",
             {{"type", "User"}, {"url", "/services/data/v" + version + "/sobjects/User/" + owner->id}}}};
      out["Owner"][field.substr(6)] = value_json(field_value(record, field, users), FieldType::kString);
      continue;
    }
    out[field] = value_json(field_value(record, field, users), field_type(field));
  }
  return out;
}

nlohmann::json record_control_json(const Record& record, const Users& users) {
  std::vector<std::string> fields;
  for (const auto& def : kRecordFields)
    if (!def.lead_only || record.is_lead) fields.emplace_back(def.name);
  return nlohmann::json(record_json(record, fields, users, "67.0"));
}

}  // namespace tenantsync::sim::salesforce
