#pragma once
// Salesforce record shapes for the simulator: users (owners), Leads and Contacts, their fields
// as SOQL sees them (typed, case-insensitive names, Owner.* relationship fields) and their JSON.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tenantsync::sim::salesforce {

enum class FieldType { kId, kString, kDateTime, kDate, kBoolean };

/// A user; records point at one through OwnerId (Owner.Name, Owner.Email).
struct User {
  std::string id;
  std::string name;
  std::string email;
};

/// A Lead or a Contact (Status exists on Leads only).
struct Record {
  std::string id;
  bool is_lead = true;
  std::optional<std::string> first_name, last_name, email, phone, mobile_phone, owner_id, status, description;
  std::optional<std::string> last_activity_date;  ///< "YYYY-MM-DD"
  std::int64_t created_ms = 0;
  std::int64_t modstamp_ms = 0;  ///< SystemModstamp and LastModifiedDate
  bool is_deleted = false;

  const char* type() const { return is_lead ? "Lead" : "Contact"; }
};

using Users = std::map<std::string, User>;

/// A field's value for filtering and sorting: text for ids, strings and dates, ms for
/// datetimes, 0/1 for booleans.
struct Value {
  bool null = true;
  std::string text;
  std::int64_t number = 0;
};

/// The canonical spelling of a field of `object` ("Lead", "Contact", "Organization"), matched
/// case-insensitively; "Owner.Name"-style relationship fields included. nullopt when unknown.
std::optional<std::string> canonical_field(std::string_view object, std::string_view name);
/// The canonical object name ("lead" → "Lead"), or nullopt when the simulator does not have it.
std::optional<std::string> canonical_object(std::string_view name);
FieldType field_type(const std::string& canonical);

Value field_value(const Record& record, const std::string& field, const Users& users);
/// -1, 0, 1; nulls first.
int compare(const Value& a, const Value& b, FieldType type);

/// Salesforce's datetime text: "2026-01-01T10:00:00.000+0000".
std::string format_datetime(std::int64_t ms);
/// `value` in `width` base-62 digits (0-9A-Za-z), zero-padded: the body of a generated id.
std::string base62(std::uint64_t value, std::size_t width);
/// An 18-character id: the 15-character `id15` plus its case-encoding checksum.
std::string id18(std::string_view id15);

/// {attributes:{type,url}, <fields in order>} with Owner.* nested as {"Owner":{attributes,…}}.
nlohmann::ordered_json record_json(const Record& record, const std::vector<std::string>& fields,
                                   const Users& users, const std::string& version);
/// The control view: every field.
nlohmann::json record_control_json(const Record& record, const Users& users);

}  // namespace tenantsync::sim::salesforce
