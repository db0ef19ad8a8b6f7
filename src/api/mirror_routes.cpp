// The mirror as users browse it: agents, phone numbers and campaigns (newest first,
// filterable), the archive of what syncs removed, and restore. Executions have their own routes
// (calls_routes.cpp: the call log).
#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/time_format.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

// Mirror times are 0 when the upstream sent none.
Json mirror_time(std::int64_t ms) {
  return time_or_null(ms > 0 ? std::optional<std::int64_t>(ms) : std::nullopt);
}

}  // namespace

Json mirror_item_json(const store::MirrorItem& m) {
  auto fields = Json::parse(m.fields_json, nullptr, false);
  Json out{
      {"id", m.id},
      {"resource", core::to_string(m.resource)},
      {"upstream_id", m.upstream_id},
      {"upstream_account_id", m.upstream_account_id},
      {"name", m.name},
      {"status", m.status},
      {"agent_id", m.agent_id.empty() ? Json(nullptr) : Json(m.agent_id)},
      {"batch_id", m.batch_id.empty() ? Json(nullptr) : Json(m.batch_id)},
      {"created_at", mirror_time(m.upstream_created_at_ms > 0 ? m.upstream_created_at_ms : m.created_at_ms)},
      {"updated_at", mirror_time(m.upstream_updated_at_ms > 0 ? m.upstream_updated_at_ms : m.updated_at_ms)},
      {"first_seen_at", mirror_time(m.created_at_ms)},
      {"first_seen_run", m.first_seen_run},
      {"last_seen_run", m.last_seen_run},
      {"fields", fields.is_discarded() ? Json::object() : fields}};
  if (m.archived_at_ms) {
    out["archived_at"] = mirror_time(*m.archived_at_ms);
    out["archive_reason"] = m.archive_reason;
    out["archive_run"] = m.archive_run ? Json(*m.archive_run) : Json(nullptr);
  }
  return out;
}

namespace {

Json item_json(const store::MirrorItem& m) { return mirror_item_json(m); }

// The URL spelling of a resource ("phone-numbers") and the API's ("phone_numbers") both work.
core::Resource resource_param(const std::string& text) {
  std::string name = text;
  for (auto& c : name)
    if (c == '-') c = '_';
  if (auto r = core::parse_resource(name)) return *r;
  throw ApiError(404, core::ErrorCode::not_found, "No such resource \"" + text + "\".");
}

std::string query_value(const http::Request& request, const std::string& name) {
  return request.query_param(name).value_or("");
}

std::optional<std::int64_t> query_time(const http::Request& request, const std::string& name) {
  const std::string text = query_value(request, name);
  if (text.empty()) return std::nullopt;
  auto t = parse_iso8601(text);
  if (!t)
    throw ApiError(422, core::ErrorCode::validation_failed,
                   "The parameter \"" + name + "\" must be an ISO-8601 time.");
  return to_epoch_ms(*t);
}

http::Response page_response(const store::MirrorPage& page) {
  Json items = Json::array();
  for (const auto& m : page.items) items.push_back(item_json(m));
  return json_response(
      200, Json{{"items", items}, {"next", page.next ? Json(encode_cursor(*page.next)) : Json(nullptr)}});
}

}  // namespace

void add_mirror_routes(Router& router, store::MirrorStore& mirror, service::ArchiveService& archive) {
  for (core::Resource resource : core::kAllResources) {
    if (resource == core::Resource::executions) continue;  // the call log: calls_routes.cpp
    std::string path = "/api/" + std::string(core::to_string(resource));
    for (auto& c : path)
      if (c == '_') c = '-';
    router.add({"GET", path, Access::viewer, [&mirror, resource](RequestContext& ctx) {
                  store::MirrorQuery q;
                  q.limit = query_int(ctx.request, "limit", 50, 1, 500);
                  q.after = query_cursor(ctx.request);
                  q.agent_id = query_value(ctx.request, "agent_id");
                  q.status = query_value(ctx.request, "status");
                  q.from_ms = query_time(ctx.request, "from");
                  q.to_ms = query_time(ctx.request, "to");
                  auto page = mirror.list_mirror(ctx.session.tenant_id, resource, q);
                  if (!page.ok()) throw_error(page.error());
                  return page_response(*page);
                }});
  }

  router.add({"GET", "/api/archive", Access::viewer, [&mirror](RequestContext& ctx) {
                const std::string name = query_value(ctx.request, "resource");
                std::optional<core::Resource> resource;
                if (!name.empty()) resource = resource_param(name);
                auto page = mirror.list_archive(ctx.session.tenant_id, resource,
                                                query_int(ctx.request, "limit", 50, 1, 500),
                                                query_cursor(ctx.request));
                if (!page.ok()) throw_error(page.error());
                return page_response(*page);
              }});

  router.add({"POST", "/api/archive/{resource}/{id}/restore", Access::admin, [&archive](RequestContext& ctx) {
                const core::Resource resource = resource_param(ctx.param("resource"));
                MirrorRowId id{0};
                try {
                  id = MirrorRowId{std::stoll(ctx.param("id"))};
                } catch (const std::exception&) {
                  throw ApiError(404, core::ErrorCode::not_found, "No such archived record.");
                }
                auto item = archive.restore(ctx.session.tenant_id, resource, id);
                if (!item.ok()) throw_error(item.error());
                ctx.auditor.record("restored", {{"resource", core::to_string(resource)},
                                                {"id", id},
                                                {"upstream_id", item->upstream_id}});
                return json_response(200, Json{{"restored", true}, {"item", item_json(*item)}});
              }});
}

}  // namespace tenantsync::api
