// Bolna JSON → mirror records for all four resources. Kept in one file (over ~400 lines) on
// purpose: the upstream's quirks (numbers as strings, nested names, odd timestamps) are handled
// by shared field readers here, and splitting per resource would spread them again.
#include "upstream/voice/bolna_records.hpp"

#include <cmath>
#include <functional>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/time_format.hpp"
#include "core/utf8_text.hpp"

namespace tenantsync::upstream::bolna {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;
using Json = nlohmann::json;

// Warnings are capped so one bad upstream cannot flood a run's record.
class Warnings {
 public:
  explicit Warnings(std::vector<std::string>& out) : out_(out) {}
  ~Warnings() {
    if (dropped_ > 0) out_.push_back(fmt::format("… and {} more warnings", dropped_));
  }
  Warnings(const Warnings&) = delete;
  Warnings& operator=(const Warnings&) = delete;
  void add(std::string text) {
    if (out_.size() < kMaxWarnings) out_.push_back(std::move(text));
    else ++dropped_;
  }

 private:
  std::vector<std::string>& out_;
  std::size_t dropped_ = 0;
};

// Cuts at a UTF-8 character boundary so the result stays valid text.
std::string truncate_utf8(std::string_view text, std::size_t limit) {
  return std::string(core::utf8_prefix(text, limit));
}

Error malformed(std::string_view what, std::string_view detail) {
  return make_error(core::ErrorCode::upstream_malformed,
                    fmt::format("The Bolna API sent {} that could not be read ({}). "
                                "Try again later; if it persists, contact Bolna support.",
                                what, detail));
}

struct Parsed {
  simdjson::dom::parser parser;
  element root;
};

Result<std::unique_ptr<Parsed>> parse_body(std::string_view body, std::string_view what) {
  auto parsed = std::make_unique<Parsed>();
  const simdjson::padded_string padded(body);
  // Parsed elements point into the parser's own copy of the document, not into `padded`.
  if (auto error = parsed->parser.parse(padded).get(parsed->root))
    return malformed(what, simdjson::error_message(error));
  return parsed;
}

// Reads typed fields of one record, recording a warning for each one of the wrong type.
class RecordReader {
 public:
  RecordReader(object record, std::string label, Warnings& warnings)
      : record_(record), label_(std::move(label)), warnings_(warnings) {}

  std::optional<element> find(std::string_view key) const {
    element value;
    if (record_.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
    if (value.is_null()) return std::nullopt;
    return value;
  }

  void warn(std::string_view key, std::string_view problem) {
    warnings_.add(fmt::format("{}: field '{}' {}", label_, key, problem));
  }

  std::optional<std::string> string(std::string_view key, std::size_t limit = kMaxFieldBytes) {
    auto value = find(key);
    if (!value) return std::nullopt;
    std::string_view text;
    if (value->get_string().get(text) != simdjson::SUCCESS) {
      warn(key, "is not a string; left empty");
      return std::nullopt;
    }
    if (text.size() > limit) {
      warn(key, fmt::format("is {} bytes long; cut to {}", text.size(), limit));
      return truncate_utf8(text, limit);
    }
    return std::string(text);
  }

  void copy_string(Json& out, std::string_view key, std::string_view out_key = {}) {
    if (auto text = string(key)) out[std::string(out_key.empty() ? key : out_key)] = *text;
  }

  void copy_number(Json& out, std::string_view key, std::string_view out_key = {}) {
    auto value = find(key);
    if (!value) return;
    const std::string name(out_key.empty() ? key : out_key);
    switch (value->type()) {
      case element_type::INT64: out[name] = value->get_int64().value_unsafe(); break;
      case element_type::UINT64: out[name] = value->get_uint64().value_unsafe(); break;
      case element_type::DOUBLE: {
        const double number = value->get_double().value_unsafe();
        if (std::isfinite(number)) out[name] = number;
        break;
      }
      default: warn(key, "is not a number; left empty");
    }
  }

  void copy_bool(Json& out, std::string_view key) {
    auto value = find(key);
    if (!value) return;
    bool flag = false;
    if (value->get_bool().get(flag) == simdjson::SUCCESS) out[std::string(key)] = flag;
    else warn(key, "is not true or false; left empty");
  }

  void copy_string_array(Json& out, std::string_view key) {
    auto value = find(key);
    if (!value) return;
    simdjson::dom::array items;
    if (value->get_array().get(items) != simdjson::SUCCESS) {
      warn(key, "is not a list; left empty");
      return;
    }
    Json list = Json::array();
    for (element item : items) {
      std::string_view text;
      if (item.get_string().get(text) == simdjson::SUCCESS) list.push_back(truncate_utf8(text, kMaxFieldBytes));
      else warn(key, "has an entry that is not a string; entry left out");
    }
    out[std::string(key)] = std::move(list);
  }

  void copy_count_map(Json& out, std::string_view key) {
    auto value = find(key);
    if (!value) return;
    object entries;
    if (value->get_object().get(entries) != simdjson::SUCCESS) {
      warn(key, "is not an object; left empty");
      return;
    }
    Json map = Json::object();
    for (auto [name, count] : entries) {
      std::int64_t number = 0;
      if (count.get_int64().get(number) == simdjson::SUCCESS) map[truncate_utf8(name, kMaxNameBytes)] = number;
      else warn(key, "has a count that is not an integer; entry left out");
    }
    out[std::string(key)] = std::move(map);
  }

  // An unreadable or impossible time (Bolna's own spec has …T04:22:89Z) is stored as unknown
  // (0, a NULL column) with a warning; it never costs the record.
  std::int64_t timestamp(std::string_view key) {
    auto text = string(key, 64);
    if (!text) return 0;
    if (auto parsed = parse_iso8601(*text)) return to_epoch_ms(*parsed);
    warn(key, fmt::format("has an unreadable time '{}'; stored as unknown", *text));
    return 0;
  }

  // A time kept in the fields as the upstream wrote it, when it is a real time; else left out.
  void copy_time(Json& out, std::string_view key) {
    auto text = string(key, 64);
    if (!text) return;
    if (parse_iso8601(*text))
      out[std::string(key)] = *text;
    else
      warn(key, fmt::format("has an unreadable time '{}'; stored as unknown", *text));
  }

  const std::string& label() const { return label_; }
  Warnings& warnings() { return warnings_; }
  void relabel(std::string label) { label_ = std::move(label); }

 private:
  object record_;
  std::string label_;
  Warnings& warnings_;
};

// One resource's rules: where its id is, and what to keep of it.
struct RecordKind {
  std::string_view noun;     // "agent", for warnings
  std::string_view id_key;   // "id" or "batch_id"
  std::function<void(RecordReader&, VoiceRecord&, Json&)> fill;
};

std::optional<VoiceRecord> read_record(element value, std::size_t index, const RecordKind& kind,
                                       Warnings& warnings) {
  object record;
  if (value.get_object().get(record) != simdjson::SUCCESS) {
    warnings.add(fmt::format("{} #{} is not an object; skipped", kind.noun, index + 1));
    return std::nullopt;
  }
  RecordReader reader(record, fmt::format("{} #{}", kind.noun, index + 1), warnings);
  auto id_value = reader.find(kind.id_key);
  std::string_view id;
  if (!id_value || id_value->get_string().get(id) != simdjson::SUCCESS || id.empty()) {
    warnings.add(fmt::format("{} has no usable '{}'; skipped", reader.label(), kind.id_key));
    return std::nullopt;
  }
  if (id.size() > kMaxIdBytes) {
    warnings.add(fmt::format("{} has an id of {} bytes; skipped", reader.label(), id.size()));
    return std::nullopt;
  }
  VoiceRecord out;
  out.upstream_id = std::string(id);
  reader.relabel(fmt::format("{} {}", kind.noun, out.upstream_id));
  Json fields = Json::object();
  kind.fill(reader, out, fields);
  out.created_at_ms = reader.timestamp("created_at");
  out.updated_at_ms = reader.timestamp("updated_at");
  out.fields_json = fields.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string raw = simdjson::minify(value);
  if (raw.size() > kMaxRawBytes) {
    warnings.add(fmt::format("{} is {} bytes long; only its normalized fields are kept", reader.label(), raw.size()));
    Json stub = fields;
    stub["_raw_truncated_bytes"] = raw.size();
    raw = stub.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  out.raw_json = std::move(raw);
  out.content_hash = content_hash(out);
  return out;
}

std::optional<std::int64_t> integer_at(object wrapper, std::string_view key) {
  std::int64_t number = 0;
  if (wrapper.at_key(key).get_int64().get(number) != simdjson::SUCCESS) return std::nullopt;
  return number;
}

// Finds the record list: the body itself, or one of the wrapper keys.
Result<simdjson::dom::array> find_list(element root, std::initializer_list<std::string_view> wrappers,
                                       std::string_view what) {
  simdjson::dom::array list;
  if (root.get_array().get(list) == simdjson::SUCCESS) return list;
  object wrapper;
  if (root.get_object().get(wrapper) == simdjson::SUCCESS) {
    for (auto key : wrappers) {
      element inner;
      if (wrapper.at_key(key).get(inner) == simdjson::SUCCESS && inner.get_array().get(list) == simdjson::SUCCESS)
        return list;
    }
  }
  return malformed(what, "expected a list");
}

Result<VoiceListing> parse_list(std::string_view body, std::initializer_list<std::string_view> wrappers,
                                std::string_view what, const RecordKind& kind) {
  auto parsed = parse_body(body, what);
  if (!parsed.ok()) return parsed.error();
  auto list = find_list((*parsed)->root, wrappers, what);
  if (!list.ok()) return list.error();
  VoiceListing listing;
  {
    Warnings warnings(listing.warnings);
    std::size_t index = 0;
    for (element value : *list) {
      if (auto record = read_record(value, index++, kind, warnings)) listing.records.push_back(std::move(*record));
    }
  }
  return listing;
}

const RecordKind kAgent{"agent", "id", [](RecordReader& r, VoiceRecord& out, Json& fields) {
                          out.name = r.string("agent_name", kMaxNameBytes).value_or("");
                          out.status = r.string("agent_status").value_or("");
                          r.copy_string(fields, "agent_name");
                          r.copy_string(fields, "agent_type");
                          r.copy_string(fields, "agent_status");
                        }};

const RecordKind kPhoneNumber{"phone number", "id", [](RecordReader& r, VoiceRecord& out, Json& fields) {
                                out.name = r.string("phone_number", kMaxNameBytes).value_or("");
                                out.agent_id = r.string("agent_id", kMaxIdBytes).value_or("");
                                r.copy_string(fields, "phone_number");
                                r.copy_string(fields, "telephony_provider");
                                r.copy_string(fields, "agent_id");
                                r.copy_bool(fields, "rented");
                                r.copy_string(fields, "price");
                                r.copy_string(fields, "renewal_at");
                                const auto rented = fields.find("rented");
                                out.status = rented != fields.end() && rented->get<bool>() ? "rented" : "active";
                              }};

RecordKind batch_kind(const std::string& agent_id) {
  return {"batch", "batch_id", [agent_id](RecordReader& r, VoiceRecord& out, Json& fields) {
            out.status = r.string("status").value_or("");
            out.agent_id = r.string("agent_id", kMaxIdBytes).value_or(agent_id);
            out.batch_id = out.upstream_id;
            auto file_name = r.string("file_name", kMaxNameBytes);
            out.name = file_name && !file_name->empty() ? *file_name : out.upstream_id;
            r.copy_string(fields, "status");
            r.copy_time(fields, "scheduled_at");
            if (file_name) fields["file_name"] = *file_name;
            r.copy_number(fields, "valid_contacts");
            r.copy_number(fields, "total_contacts");
            r.copy_count_map(fields, "execution_status");
            r.copy_string_array(fields, "from_phone_numbers");
          }};
}

RecordKind execution_kind(const std::string& agent_id) {
  return {"execution", "id", [agent_id](RecordReader& r, VoiceRecord& out, Json& fields) {
            out.name = out.upstream_id;
            out.status = r.string("status").value_or("");
            out.agent_id = r.string("agent_id", kMaxIdBytes).value_or(agent_id);
            out.batch_id = r.string("batch_id", kMaxIdBytes).value_or("");
            r.copy_string(fields, "status");
            // One docs example names the duration conversation_time.
            if (r.find("conversation_duration")) r.copy_number(fields, "conversation_duration");
            else r.copy_number(fields, "conversation_time", "conversation_duration");
            r.copy_number(fields, "total_cost");
            if (!out.batch_id.empty()) fields["batch_id"] = out.batch_id;
            auto telephony = r.find("telephony_data");
            if (!telephony) return;
            object data;
            if (telephony->get_object().get(data) != simdjson::SUCCESS) {
              r.warn("telephony_data", "is not an object; left empty");
              return;
            }
            RecordReader inner(data, r.label() + " telephony_data", r.warnings());
            inner.copy_string(fields, "to_number");
            inner.copy_string(fields, "from_number");
            inner.copy_string(fields, "provider");
            inner.copy_string(fields, "call_type");
          }};
}

}  // namespace

Result<VoiceAccount> parse_account(std::string_view body) {
  auto parsed = parse_body(body, "an account description");
  if (!parsed.ok()) return parsed.error();
  object user;
  if ((*parsed)->root.get_object().get(user) != simdjson::SUCCESS)
    return malformed("an account description", "expected an object");
  VoiceAccount account;
  element id;
  if (user.at_key("id").get(id) == simdjson::SUCCESS) {
    std::string_view text;
    if (id.get_string().get(text) == simdjson::SUCCESS) account.id = truncate_utf8(text, kMaxIdBytes);
    else if (id.is_int64() || id.is_uint64()) account.id = simdjson::minify(id);
  }
  if (account.id.empty()) return malformed("an account description", "it has no account id");
  std::vector<std::string> ignored;
  Warnings warnings(ignored);
  RecordReader reader(user, "account", warnings);
  account.name = reader.string("name", kMaxNameBytes).value_or("");
  account.email = reader.string("email", kMaxNameBytes).value_or("");
  return account;
}

Result<VoiceListing> parse_agents(std::string_view body) {
  return parse_list(body, {"data", "agents"}, "an agent list", kAgent);
}

Result<VoiceListing> parse_phone_numbers(std::string_view body) {
  return parse_list(body, {"data", "phone_numbers"}, "a phone number list", kPhoneNumber);
}

Result<VoiceListing> parse_batches(std::string_view body, const std::string& agent_id) {
  return parse_list(body, {"data", "batches"}, "a batch list", batch_kind(agent_id));
}

Result<ExecutionPage> parse_execution_page(std::string_view body, const std::string& agent_id) {
  constexpr std::string_view kWhat = "a page of executions";
  auto parsed = parse_body(body, kWhat);
  if (!parsed.ok()) return parsed.error();
  const element root = (*parsed)->root;
  ExecutionPage page;
  object wrapper;
  if (root.get_object().get(wrapper) == simdjson::SUCCESS) {
    element more;
    if (wrapper.at_key("has_more").get(more) == simdjson::SUCCESS && !more.is_null()) {
      if (more.get_bool().get(page.has_more) != simdjson::SUCCESS)
        return malformed(kWhat, "'has_more' is not true or false");
    }
    // Paging marks only: a value of another type is as good as none (the paging guard then
    // judges progress by the records alone).
    page.page_number = integer_at(wrapper, "page_number");
    page.total = integer_at(wrapper, "total");
  }
  auto list = find_list(root, {"data", "executions"}, kWhat);
  if (!list.ok()) return list.error();
  {
    Warnings warnings(page.listing.warnings);
    const RecordKind kind = execution_kind(agent_id);
    std::size_t index = 0;
    for (element value : *list) {
      if (auto record = read_record(value, index++, kind, warnings)) page.listing.records.push_back(std::move(*record));
    }
  }
  return page;
}

Result<ExecutionDetail> parse_execution_detail(std::string_view body) {
  constexpr std::string_view kWhat = "an execution";
  auto parsed = parse_body(body, kWhat);
  if (!parsed.ok()) return parsed.error();
  object record;
  if ((*parsed)->root.get_object().get(record) != simdjson::SUCCESS)
    return malformed(kWhat, "expected an object");
  ExecutionDetail detail;
  const auto part = [&record](std::string_view key) -> std::string {
    element value;
    if (record.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return "null";
    std::string text = simdjson::minify(value);
    if (text.size() > kMaxDetailPartBytes) return fmt::format("{{\"_truncated_bytes\":{}}}", text.size());
    return text;
  };
  element transcript;
  std::string_view text;
  if (record.at_key("transcript").get(transcript) == simdjson::SUCCESS &&
      transcript.get_string().get(text) == simdjson::SUCCESS) {
    detail.transcript_bytes = static_cast<std::int64_t>(text.size());
    detail.transcript_truncated = text.size() > kMaxTranscriptBytes;
    detail.transcript = truncate_utf8(text, kMaxTranscriptBytes);
  }
  detail.extracted_data_json = part("extracted_data");
  detail.cost_breakdown_json = part("cost_breakdown");
  detail.telephony_data_json = part("telephony_data");
  // The recording is a telephony field at Bolna; some answers carry it at the top.
  object telephony;
  element value;
  if (record.at_key("telephony_data").get(value) == simdjson::SUCCESS &&
      value.get_object().get(telephony) == simdjson::SUCCESS) {
    element url;
    if (telephony.at_key("recording_url").get(url) == simdjson::SUCCESS &&
        url.get_string().get(text) == simdjson::SUCCESS)
      detail.recording_url = truncate_utf8(text, kMaxFieldBytes);
  }
  if (detail.recording_url.empty()) {
    element url;
    if (record.at_key("recording_url").get(url) == simdjson::SUCCESS &&
        url.get_string().get(text) == simdjson::SUCCESS)
      detail.recording_url = truncate_utf8(text, kMaxFieldBytes);
  }
  // The same fields a listing row gives, so the call log's columns can be filled from the detail
  // (a listing may leave cost, numbers or batch out). Its warnings are of no use to the caller.
  std::vector<std::string> ignored;
  {
    Warnings warnings(ignored);
    detail.record = read_record((*parsed)->root, 0, execution_kind(""), warnings);
  }
  return detail;
}

std::string error_message(std::string_view body) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return {};
  object fields;
  if (root.get_object().get(fields) != simdjson::SUCCESS) return {};
  for (std::string_view key : {"message", "detail", "error"}) {
    element value;
    if (fields.at_key(key).get(value) != simdjson::SUCCESS) continue;
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
      if (!text.empty()) return truncate_utf8(text, kMaxNameBytes);
    } else if (value.is_number()) {
      return simdjson::minify(value);
    }
  }
  return {};
}

std::string content_hash(const VoiceRecord& record) {
  std::uint64_t hash = 14695981039346656037ull;
  const auto mix = [&hash](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    hash ^= 0x1f;  // separator, so ("ab","c") and ("a","bc") differ
    hash *= 1099511628211ull;
  };
  mix(record.fields_json);
  mix(record.name);
  mix(record.status);
  mix(record.agent_id);
  mix(record.batch_id);
  mix(std::to_string(record.created_at_ms));
  mix(std::to_string(record.updated_at_ms));
  return fmt::format("{:016x}", hash);
}

std::string agent_webhook_url(std::string_view agent_json) {
  const auto agent = nlohmann::json::parse(agent_json, nullptr, false);
  if (!agent.is_object()) return {};
  const auto string_at = [](const nlohmann::json& object) -> std::string {
    const auto found = object.find("webhook_url");
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  if (std::string top = string_at(agent); !top.empty()) return top;
  const auto config = agent.find("agent_config");
  return config != agent.end() && config->is_object() ? string_at(*config) : std::string();
}

std::string agent_webhook_patch(const std::optional<std::string>& url) {
  nlohmann::json config = nlohmann::json::object();
  config["webhook_url"] = url ? nlohmann::json(*url) : nlohmann::json(nullptr);
  return nlohmann::json{{"agent_config", std::move(config)}}.dump();
}

}  // namespace tenantsync::upstream::bolna
