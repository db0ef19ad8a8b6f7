#include "bolna_records.hpp"

#include <algorithm>
#include <array>
#include <ctime>

#include "core/time_format.hpp"

namespace tenantsync::sim::bolna {
namespace {

std::string iso(std::int64_t ms) { return format_iso8601(from_epoch_ms(ms)); }

Result<std::int64_t> parse_time_field(const json& value, const char* name) {
  if (!value.is_string()) return make_error("bad_request", std::string(name) + " must be an ISO-8601 string");
  const auto parsed = parse_iso8601(value.get<std::string>());
  if (!parsed) return make_error("bad_request", std::string(name) + " is not a valid ISO-8601 datetime");
  return to_epoch_ms(*parsed);
}

Status read_string(const json& value, const char* name, std::string& out) {
  if (!value.is_string()) return make_error("bad_request", std::string(name) + " must be a string");
  out = value.get<std::string>();
  return {};
}

// A string field where null clears the value.
Status read_string_or_null(const json& value, const char* name, std::string& out) {
  if (!value.is_null()) return read_string(value, name, out);
  out.clear();
  return {};
}

Status read_number(const json& value, const char* name, double& out) {
  if (!value.is_number()) return make_error("bad_request", std::string(name) + " must be a number");
  out = value.get<double>();
  return {};
}

// Sets or, for null, removes a verbatim field.
void put_extra(json& bag, const std::string& key, const json& value) {
  if (value.is_null()) {
    if (bag.is_object()) bag.erase(key);
    return;
  }
  if (!bag.is_object()) bag = json::object();
  bag[key] = value;
}

Status apply_telephony(const json& input, Execution& e) {
  if (input.is_null()) {
    e.telephony_extra = nullptr;
    return {};
  }
  if (!input.is_object()) return make_error("bad_request", "telephony_data must be an object");
  for (const auto& [key, value] : input.items()) {
    Status status;
    if (key == "to_number")
      status = read_string(value, "telephony_data.to_number", e.to_number);
    else if (key == "from_number")
      status = read_string(value, "telephony_data.from_number", e.from_number);
    else if (key == "provider")
      status = read_string(value, "telephony_data.provider", e.provider);
    else if (key == "call_type")
      status = read_string(value, "telephony_data.call_type", e.call_type);
    else if (key == "recording_url")
      status = read_string(value, "telephony_data.recording_url", e.recording_url);
    else if (key == "duration")
      continue;  // derived from conversation_duration
    else
      put_extra(e.telephony_extra, key, value);
    if (!status) return status;
  }
  return {};
}

}  // namespace

Result<Execution> apply_execution_fields(const json& input, Execution e) {
  if (!input.is_object()) return make_error("bad_request", "an execution is a JSON object");
  for (const auto& [key, value] : input.items()) {
    Status status;
    if (key == "id") {
      status = read_string(value, "id", e.id);
    } else if (key == "agent_id") {
      continue;  // the agent comes from the path
    } else if (key == "batch_id") {
      status = read_string_or_null(value, "batch_id", e.batch_id);
    } else if (key == "status") {
      status = read_string(value, "status", e.status);
    } else if (key == "created_at" || key == "updated_at") {
      auto ms = parse_time_field(value, key.c_str());
      if (!ms) return ms.error();
      (key == "created_at" ? e.created_ms : e.updated_ms) = *ms;
    } else if (key == "conversation_duration") {
      status = read_number(value, "conversation_duration", e.conversation_duration);
    } else if (key == "total_cost") {
      status = read_number(value, "total_cost", e.total_cost);
    } else if (key == "transcript") {
      status = read_string_or_null(value, "transcript", e.transcript);
    } else if (key == "telephony_data") {
      status = apply_telephony(value, e);
    } else {
      put_extra(e.extra, key, value);
    }
    if (!status) return status.error();
  }
  if (e.id.empty()) return make_error("bad_request", "an execution needs a non-empty id");
  return e;
}

json execution_full(const Execution& e) {
  json out = e.extra.is_object() ? e.extra : json::object();
  out["id"] = e.id;
  out["agent_id"] = e.agent_id;
  out["batch_id"] = e.batch_id.empty() ? json(nullptr) : json(e.batch_id);
  out["status"] = e.status;
  out["conversation_duration"] = e.conversation_duration;
  out["total_cost"] = e.total_cost;
  out["transcript"] = e.transcript;
  out["created_at"] = iso(e.created_ms);
  out["updated_at"] = iso(e.updated_ms);
  json telephony = e.telephony_extra.is_object() ? e.telephony_extra : json::object();
  telephony["duration"] = std::to_string(static_cast<long long>(e.conversation_duration));
  telephony["to_number"] = e.to_number;
  telephony["from_number"] = e.from_number;
  telephony["provider"] = e.provider;
  telephony["call_type"] = e.call_type;
  telephony["recording_url"] = e.recording_url.empty() ? json(nullptr) : json(e.recording_url);
  out["telephony_data"] = std::move(telephony);
  if (!out.contains("answered_by_voice_mail")) out["answered_by_voice_mail"] = false;
  if (!out.contains("extracted_data")) out["extracted_data"] = nullptr;
  if (!out.contains("error_message")) out["error_message"] = nullptr;
  return out;
}

json execution_row(const Execution& e, bool trimmed) {
  if (!trimmed) return execution_full(e);
  return {{"id", e.id},
          {"status", e.status},
          {"conversation_duration", e.conversation_duration},
          {"created_at", iso(e.created_ms)},
          {"telephony_data",
           {{"to_number", e.to_number}, {"from_number", e.from_number}, {"call_type", e.call_type}}}};
}

json default_agent(const std::string& id, const std::string& now_iso) {
  return {{"id", id},
          {"agent_name", "Agent " + id.substr(0, 8)},
          {"agent_type", "other"},
          {"agent_status", "processed"},
          {"created_at", now_iso},
          {"updated_at", now_iso},
          {"tasks", json::array()},
          {"agent_prompts", json::object()}};
}

json default_phone_number(const std::string& id, const std::string& number, std::int64_t now_ms) {
  const std::string now = iso(now_ms);
  return {{"id", id},
          {"phone_number", number},
          {"agent_id", nullptr},
          {"telephony_provider", "twilio"},
          {"rented", true},
          {"price", "$5.0"},
          {"created_at", now},
          {"updated_at", now},
          {"humanized_created_at", "just now"},
          {"humanized_updated_at", "just now"},
          {"renewal_at", humanized_date(now_ms + 30 * kDayMs)}};
}

json default_batch(const std::string& id, const std::string& now_iso) {
  return {{"batch_id", id},
          {"status", "created"},
          {"scheduled_at", nullptr},
          {"created_at", now_iso},
          {"updated_at", now_iso},
          {"humanized_created_at", "just now"},
          {"from_phone_numbers", json::array()},
          {"file_name", "contacts.csv"},
          {"valid_contacts", 0},
          {"total_contacts", 0},
          {"execution_status", json::object()}};
}

std::string humanized_date(std::int64_t epoch_ms) {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  const int day = tm.tm_mday;
  const char* suffix = (day % 10 == 1 && day != 11)   ? "st"
                       : (day % 10 == 2 && day != 12) ? "nd"
                       : (day % 10 == 3 && day != 13) ? "rd"
                                                      : "th";
  return std::to_string(day) + suffix + " " + kMonths[static_cast<std::size_t>(tm.tm_mon)] + ", " +
         std::to_string(tm.tm_year + 1900);
}

std::vector<json>::iterator find_record(std::vector<json>& list, const char* id_field,
                                        const std::string& id) {
  return std::find_if(list.begin(), list.end(), [&](const json& record) {
    const auto it = record.find(id_field);
    return it != record.end() && it->is_string() && it->get<std::string>() == id;
  });
}

Result<json> add_record(std::vector<json>& list, const char* id_field, json defaults, const json& input) {
  if (!input.is_object()) return make_error("bad_request", "a record is a JSON object");
  if (input.contains(id_field)) {
    const json& id = input[id_field];
    if (!id.is_string() || id.get<std::string>().empty())
      return make_error("bad_request", std::string(id_field) + " must be a non-empty string");
  }
  defaults.update(input);
  const std::string id = defaults[id_field].get<std::string>();
  if (find_record(list, id_field, id) != list.end())
    return make_error("conflict", "a record with " + std::string(id_field) + " " + id + " already exists");
  list.push_back(defaults);
  return defaults;
}

Result<json> patch_record(json& record, const char* id_field, const json& patch, const std::string& now_iso) {
  if (!patch.is_object()) return make_error("bad_request", "a PATCH body is a JSON object");
  if (patch.contains(id_field) && patch[id_field] != record[id_field])
    return make_error("bad_request", std::string(id_field) + " cannot be changed");
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null())
      record.erase(key);
    else
      record[key] = value;
  }
  if (!patch.contains("updated_at")) record["updated_at"] = now_iso;
  return record;
}

}  // namespace tenantsync::sim::bolna
