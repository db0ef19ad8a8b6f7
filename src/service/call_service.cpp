#include "service/call_service.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "core/phone.hpp"
#include "sync/voice_run.hpp"

namespace tenantsync::service {

Result<std::string> tenant_region(store::SettingsStore& settings, TenantId tenant_id) {
  auto found = settings.get_settings(tenant_id);
  if (found.ok()) return found->default_region;
  if (found.error().is(core::ErrorCode::not_found)) return std::string("US");
  return found.error();
}

std::string search_number(const std::string& text, const std::string& region) {
  // Only phone-like text: digits and the usual separators, with at least 7 digits.
  int digits = 0;
  for (unsigned char c : text) {
    if (std::isdigit(c))
      ++digits;
    else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.')
      return {};
  }
  if (digits < 7) return {};
  const core::PhoneResult parsed = core::normalize_phone(text, region);
  return parsed.valid ? parsed.e164 : std::string();
}

Result<store::CallPage> CallService::list(TenantId tenant_id, store::CallQuery query) {
  if (!query.q.empty()) {
    auto region = tenant_region(settings_, tenant_id);
    if (!region.ok()) return region.error();
    query.q_e164 = search_number(query.q, *region);
  }
  return calls_.list_calls(tenant_id, query);
}

Result<OpenedCall> CallService::open(TenantId tenant_id, MirrorRowId id) {
  auto call = calls_.find_call(tenant_id, id);
  if (!call.ok()) return call.error();
  if (!call->has_value()) return make_error(core::ErrorCode::not_found, "No such call.");
  auto detail = calls_.find_call_detail(tenant_id, id);
  if (!detail.ok()) return detail.error();
  return OpenedCall{std::move(**call), std::move(*detail)};
}

Result<store::CallDetail> CallService::fetch_detail(TenantId tenant_id, const store::CallRow& call) {
  auto settings = settings_.get_settings(tenant_id);
  if (!settings.ok()) return settings.error();
  if (settings->voice_api_key_cipher.empty())
    return make_error(
        core::ErrorCode::no_api_key,
        "No voice API key is saved, so the call's detail cannot be fetched. Add one in Settings.");
  auto key = secrets_.open(settings->voice_api_key_cipher);
  if (!key.ok())
    return make_error(key.error().code,
                      "The saved API key cannot be decrypted with this server's secret key. Save the key "
                      "again in Settings.");
  auto client = connectors_.voice_check(sync::voice_endpoint(connectors_, settings->voice_base_url, *key));
  auto fetched = client->get_execution(call.item.upstream_id);
  if (!fetched.ok()) {
    spdlog::info("event=call_detail_failed tenant_id={} execution_id={} code={}", tenant_id, call.item.id,
                 core::to_string(fetched.error().code));
    return fetched.error();
  }
  store::CallDetail detail;
  detail.execution_id = call.item.id;
  detail.transcript = std::move(fetched->transcript);
  detail.transcript_bytes = fetched->transcript_bytes;
  detail.transcript_truncated = fetched->transcript_truncated;
  detail.recording_url = std::move(fetched->recording_url);
  detail.extracted_data_json = std::move(fetched->extracted_data_json);
  detail.cost_breakdown_json = std::move(fetched->cost_breakdown_json);
  detail.telephony_data_json = std::move(fetched->telephony_data_json);
  detail.fetched_at_ms = to_epoch_ms(clock_.now());
  if (Status saved = calls_.save_call_detail(tenant_id, detail); !saved.ok()) return saved.error();
  if (fetched->record) {
    if (Status filled = fill_columns(tenant_id, call, *fetched->record); !filled.ok()) return filled.error();
  }
  return detail;
}

Status CallService::fill_columns(TenantId tenant_id, const store::CallRow& call,
                                 const upstream::VoiceRecord& record) {
  // The detail's fields over the stored ones: a listing row trimmed of cost, numbers or batch
  // gets them from the detail, and what the detail leaves out is kept.
  nlohmann::json fields = nlohmann::json::parse(call.item.fields_json, nullptr, false);
  if (!fields.is_object()) fields = nlohmann::json::object();
  const nlohmann::json fresh = nlohmann::json::parse(record.fields_json, nullptr, false);
  if (fresh.is_object()) fields.update(fresh);
  auto region = tenant_region(settings_, tenant_id);
  if (!region.ok()) return region.error();
  store::CallColumnsUpdate update;
  update.fields_json = fields.dump();
  update.status = record.status;
  update.batch_id = record.batch_id;
  update.columns = store::execution_columns(update.fields_json, *region);
  return calls_.update_call_columns(tenant_id, call.item.id, update);
}

Result<store::CallPage> CallService::calls_of_lead(TenantId tenant_id, LeadId id, int limit,
                                                   std::optional<store::PageCursor> after) {
  auto lead = leads_.find_lead(tenant_id, id);
  if (!lead.ok()) return lead.error();
  if (!lead->has_value()) return make_error(core::ErrorCode::not_found, "No such lead.");
  if ((*lead)->phone_e164.empty()) return store::CallPage{};
  store::CallQuery query;
  query.number_e164 = (*lead)->phone_e164;
  query.include_archived = true;
  query.limit = limit;
  query.after = after;
  return calls_.list_calls(tenant_id, query);
}

}  // namespace tenantsync::service
