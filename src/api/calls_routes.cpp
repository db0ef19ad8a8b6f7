// The call log and the pages around it: executions filtered, searched and paged; one call with
// its detail (fetched from the voice platform on first open, off the request threads, cached
// after); an agent's page (numbers, campaigns, recent calls, statistics); a campaign's progress.
#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

Json or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }
Json or_null(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }
Json or_null(const std::optional<MirrorRowId>& id) { return id ? Json(id->value()) : Json(nullptr); }

std::string field_text(const Json& fields, const char* key) {
  const auto found = fields.find(key);
  return found != fields.end() && found->is_string() ? found->get<std::string>() : std::string();
}

Json page_json(const store::CallPage& page) {
  Json items = Json::array();
  for (const auto& call : page.items) items.push_back(call_json(call));
  return {{"items", std::move(items)}, {"next", page.next ? Json(encode_cursor(*page.next)) : Json(nullptr)}};
}

// A stored JSON part; text that does not parse (it always should) shows as null.
Json stored_json(const std::string& text) {
  Json value = Json::parse(text, nullptr, false);
  return value.is_discarded() ? Json(nullptr) : value;
}

Json detail_json(const store::CallDetail& d) {
  return {{"transcript", d.transcript},
          {"transcript_truncated", d.transcript_truncated},
          {"transcript_bytes", d.transcript_bytes},
          {"recording_url", or_null(d.recording_url)},
          {"extracted_data", stored_json(d.extracted_data_json)},
          {"cost_breakdown", stored_json(d.cost_breakdown_json)},
          {"telephony_data", stored_json(d.telephony_data_json)},
          {"fetched_at", time_or_null(d.fetched_at_ms)}};
}

// The call and what is known of its detail: cached, just fetched, or why it could not be.
http::Response opened_call(const store::CallRow& call, const std::optional<store::CallDetail>& detail,
                           const char* source, const std::optional<Error>& failure) {
  Json out = call_json(call);
  out["detail"] = detail ? detail_json(*detail) : Json(nullptr);
  out["detail_source"] = detail ? Json(source) : Json(nullptr);
  out["detail_error"] =
      failure ? Json{{"code", core::to_string(failure->code)}, {"message", failure->message}} : Json(nullptr);
  return json_response(200, out);
}

store::CallStats stats_or_throw(Result<store::CallStats> stats) {
  if (!stats.ok()) throw_error(stats.error());
  return std::move(*stats);
}

Json stats_json(const store::CallStats& s) {
  Json by_status = Json::object();
  for (const auto& [status, count] : s.by_status) by_status[status.empty() ? "unknown" : status] = count;
  return {{"calls", s.calls},
          {"by_status", std::move(by_status)},
          {"average_duration_s", or_null(s.average_duration_s)},
          {"average_cost", or_null(s.average_cost)},
          {"total_cost", or_null(s.total_cost)}};
}

store::MirrorItem mirror_row(store::CallStore& calls, TenantId tenant_id, core::Resource resource,
                             const std::string& id_text, const char* what) {
  auto item = calls.find_mirror_item(tenant_id, resource, MirrorRowId{path_id(id_text, what)});
  if (!item.ok()) throw_error(item.error());
  if (!item->has_value())
    throw ApiError(404, core::ErrorCode::not_found, std::string("No such ") + what + ".");
  return std::move(**item);
}

Json mirror_items(store::MirrorStore& mirror, TenantId tenant_id, core::Resource resource,
                  const std::string& agent_id) {
  store::MirrorQuery q;
  q.agent_id = agent_id;
  q.limit = 100;
  auto page = mirror.list_mirror(tenant_id, resource, q);
  if (!page.ok()) throw_error(page.error());
  Json items = Json::array();
  for (const auto& item : page->items) items.push_back(mirror_item_json(item));
  return items;
}

Json recent_calls(store::CallStore& calls, TenantId tenant_id, const std::string& agent_id,
                  const std::string& batch_id) {
  store::CallQuery q;
  q.agent_id = agent_id;
  q.batch_id = batch_id;
  q.limit = 10;
  auto page = calls.list_calls(tenant_id, q);
  if (!page.ok()) throw_error(page.error());
  return page_json(*page)["items"];
}

}  // namespace

Json call_json(const store::CallRow& c) {
  const store::MirrorItem& m = c.item;
  Json out = mirror_item_json(m);
  const Json& fields = out["fields"];
  out["agent"] = {
      {"id", or_null(c.agent_row)}, {"upstream_id", or_null(m.agent_id)}, {"name", or_null(c.agent_name)}};
  out["campaign"] = m.batch_id.empty() ? Json(nullptr)
                                       : Json{{"id", or_null(c.campaign_row)},
                                              {"upstream_id", m.batch_id},
                                              {"name", or_null(c.campaign_name)}};
  out["direction"] = or_null(field_text(fields, "call_type"));
  out["from_number"] = or_null(field_text(fields, "from_number"));
  out["to_number"] = or_null(field_text(fields, "to_number"));
  out["from_e164"] = or_null(c.from_e164);
  out["to_e164"] = or_null(c.to_e164);
  out["duration_s"] = or_null(c.duration_s);
  out["cost"] = or_null(c.cost);
  return out;
}

store::CallQuery call_query(const http::Request& r) {
  store::CallQuery q;
  q.agent_id = text_param(r, "agent_id", 256);
  q.status = text_param(r, "status", 64);
  q.batch_id = text_param(r, "batch_id", 256);
  q.q = text_param(r, "q", 200);
  q.from_ms = time_param(r, "from");
  q.to_ms = time_param(r, "to");
  if (q.from_ms && q.to_ms && *q.from_ms > *q.to_ms)
    bad_parameter("from", "must not be after \"to\".");
  q.limit = limit_param(r);
  q.after = cursor_param(r);
  return q;
}

void add_calls_routes(Router& router, store::CallStore& calls, store::MirrorStore& mirror,
                      service::CallService& service, LongWork& work) {
  router.add({"GET", "/api/executions", Access::viewer, [&service](RequestContext& ctx) {
                const store::CallQuery q = call_query(ctx.request);
                auto page = service.list(ctx.session.tenant_id, q);
                if (!page.ok()) throw_error(page.error());
                return json_response(200, page_json(*page));
              }});

  router.add({"GET", "/api/executions/{id}", Access::viewer, [&service, &work](RequestContext& ctx) {
                const TenantId tenant_id = ctx.session.tenant_id;
                auto opened = service.open(tenant_id, MirrorRowId{path_id(ctx.param("id"), "call")});
                if (!opened.ok()) throw_error(opened.error());
                if (opened->detail) return opened_call(opened->call, opened->detail, "cache", std::nullopt);
                // First open: the voice platform is asked, off the request threads (its URL may be
                // the tenant's own). Whatever goes wrong, the mirror's data is still the answer.
                store::CallRow call = opened->call;
                try {
                  return work.check(tenant_id, [&service, tenant_id, call] {
                    auto fetched = service.fetch_detail(tenant_id, call);
                    if (!fetched.ok()) return opened_call(call, std::nullopt, "", fetched.error());
                    // The fetch filled the call's list columns from the detail: show them.
                    auto reread = service.open(tenant_id, call.item.id);
                    return opened_call(reread.ok() ? reread->call : call, *fetched, "voice_platform", std::nullopt);
                  });
                } catch (const ApiError& busy) {
                  return opened_call(call, std::nullopt, "", make_error(busy.code(), busy.what()));
                }
              }});

  router.add({"GET", "/api/agents/{id}", Access::viewer, [&calls, &mirror](RequestContext& ctx) {
                const TenantId tenant_id = ctx.session.tenant_id;
                const store::MirrorItem agent =
                    mirror_row(calls, tenant_id, core::Resource::agents, ctx.param("id"), "agent");
                Json out = mirror_item_json(agent);
                out["phone_numbers"] =
                    mirror_items(mirror, tenant_id, core::Resource::phone_numbers, agent.upstream_id);
                out["campaigns"] =
                    mirror_items(mirror, tenant_id, core::Resource::campaigns, agent.upstream_id);
                out["recent_calls"] = recent_calls(calls, tenant_id, agent.upstream_id, "");
                out["call_stats"] =
                    stats_json(stats_or_throw(calls.call_stats(tenant_id, agent.upstream_id, "")));
                return json_response(200, out);
              }});

  router.add(
      {"GET", "/api/campaigns/{id}", Access::viewer, [&calls](RequestContext& ctx) {
         const TenantId tenant_id = ctx.session.tenant_id;
         const store::MirrorItem campaign =
             mirror_row(calls, tenant_id, core::Resource::campaigns, ctx.param("id"), "campaign");
         Json out = mirror_item_json(campaign);
         const store::CallStats stats = stats_or_throw(calls.call_stats(tenant_id, "", campaign.upstream_id));
         const Json& fields = out["fields"];
         const std::int64_t total = fields.value("total_contacts", std::int64_t{0});
         out["progress"] = {
             {"total_contacts", fields.contains("total_contacts") ? fields["total_contacts"] : Json(nullptr)},
             {"valid_contacts", fields.contains("valid_contacts") ? fields["valid_contacts"] : Json(nullptr)},
             {"platform_status_counts",
              fields.contains("execution_status") ? fields["execution_status"] : Json(nullptr)},
             {"calls_mirrored", stats.calls},
             {"done_fraction",
              total > 0 ? Json(std::min(1.0, static_cast<double>(stats.calls) / static_cast<double>(total)))
                        : Json(nullptr)}};
         out["call_stats"] = stats_json(stats);
         out["recent_calls"] = recent_calls(calls, tenant_id, "", campaign.upstream_id);
         return json_response(200, out);
       }});
}

}  // namespace tenantsync::api
