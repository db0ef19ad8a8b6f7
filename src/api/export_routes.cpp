// Exports: every lead (the filters of GET /api/leads) or every call (the filters of GET
// /api/executions) as CSV or JSON Lines, streamed: the body is produced one page of rows at a
// time (Response::body_pieces), each page read with the list's own keyset cursor, so an export
// of a million rows holds one page in memory.
#include <memory>
#include <utility>

#include "api/export_format.hpp"
#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/routes.hpp"
#include "core/time_format.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

constexpr int kRowsPerPiece = 500;

ExportFormat format_param(const http::Request& request) {
  return choice_param(request, "format", {"csv", "jsonl"}) == "jsonl" ? ExportFormat::jsonl
                                                                      : ExportFormat::csv;
}

// A field of a rendered row as a CSV cell: text as is, null or absent as empty, numbers and
// booleans as JSON writes them.
std::string cell(const Json& row, const char* key) {
  const auto it = row.find(key);
  if (it == row.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

const std::vector<std::string> kLeadColumns = {"id",
                                               "name",
                                               "email",
                                               "phone_e164",
                                               "phone_raw",
                                               "source",
                                               "crm_provider",
                                               "crm_id",
                                               "crm_owner",
                                               "crm_owner_email",
                                               "crm_status",
                                               "crm_stage",
                                               "crm_last_activity_at",
                                               "crm_archived_at",
                                               "match_reason",
                                               "created_at",
                                               "updated_at"};

const std::vector<std::string> kCallColumns = {
    "id",          "upstream_id", "status",    "agent_id", "agent_name", "campaign_id", "direction",
    "from_number", "to_number",   "from_e164", "to_e164",  "duration_s", "cost",        "created_at"};

std::string time_cell(std::optional<std::int64_t> ms) { return ms ? format_iso8601(from_epoch_ms(*ms)) : ""; }

// A lead's CSV cells straight from the record: no JSON in between, since an export is the one
// place a million leads are rendered in one request.
std::vector<std::string> lead_cells(const store::Lead& l) {
  return {std::to_string(l.id.value()),
          l.name,
          l.email,
          l.phone_e164,
          l.phone_raw,
          l.source,
          l.crm_provider,
          l.crm_id,
          l.crm_owner,
          l.crm_owner_email,
          l.crm_status,
          l.crm_stage,
          time_cell(l.crm_last_activity_at_ms),
          time_cell(l.crm_archived_at_ms),
          l.match_reason,
          time_cell(l.created_at_ms),
          time_cell(l.updated_at_ms)};
}

// A call's CSV cells from its API rendering (agent and campaign names, fields read from the
// upstream's JSON).
std::vector<std::string> call_cells(const Json& call) {
  static const Json kNone = Json::object();
  const auto agent = call.find("agent");
  const auto campaign = call.find("campaign");
  const Json& a = agent != call.end() && agent->is_object() ? *agent : kNone;
  const Json& c = campaign != call.end() && campaign->is_object() ? *campaign : kNone;
  const std::string created = cell(call, "upstream_created_at");
  return {cell(call, "id"),        cell(call, "upstream_id"),
          cell(call, "status"),    cell(a, "upstream_id"),
          cell(a, "name"),         cell(c, "upstream_id"),
          cell(call, "direction"), cell(call, "from_number"),
          cell(call, "to_number"), cell(call, "from_e164"),
          cell(call, "to_e164"),   cell(call, "duration_s"),
          cell(call, "cost"),      created.empty() ? cell(call, "created_at") : created};
}

// One page of an export as text: its rows, and the cursor after them (none: the last page).
struct PageText {
  std::string text;
  bool empty = true;
  std::optional<store::PageCursor> next;
};

// One export in progress: the query with its cursor, moved on by each piece. read_page(query)
// reads and renders the next page.
template <class Query, class ReadPage>
class ExportCursor {
 public:
  ExportCursor(Query query, ReadPage read_page, std::string header)
      : query_(std::move(query)), read_page_(std::move(read_page)), header_(std::move(header)) {}

  /// The next piece of the body; empty once the export is complete.
  std::string next_piece() {
    std::string piece = std::exchange(header_, std::string());
    while (!done_ && piece.size() < 64 * 1024) {
      PageText page = read_page_(query_);
      piece += page.text;
      query_.after = page.next;
      done_ = !page.next.has_value();
      if (!page.empty) break;
    }
    return piece;
  }

 private:
  Query query_;
  ReadPage read_page_;
  std::string header_;  ///< the CSV header line, written with the first piece
  bool done_ = false;
};

template <class Query, class ReadPage>
http::Response streamed(ExportFormat format, const std::string& name, Query query, ReadPage read_page,
                        const std::vector<std::string>& columns) {
  query.limit = kRowsPerPiece;
  query.after.reset();
  auto cursor = std::make_shared<ExportCursor<Query, ReadPage>>(
      std::move(query), std::move(read_page),
      format == ExportFormat::csv ? csv_line(columns) : std::string());
  http::Response res;
  res.status = 200;
  res.content_type = format == ExportFormat::csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  res.headers.emplace_back(
      "Content-Disposition",
      "attachment; filename=\"" + name + (format == ExportFormat::csv ? ".csv" : ".jsonl") + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");
  res.body_pieces = [cursor] { return cursor->next_piece(); };
  return res;
}

std::string query_text(const http::Request& request) {
  const auto mark = request.target.find('?');
  return mark == std::string::npos ? std::string() : request.target.substr(mark + 1, 1000);
}

}  // namespace

void add_export_routes(Router& router, service::LeadService& leads, service::CallService& calls) {
  router.add({"GET", "/api/leads/export", Access::viewer, [&leads](RequestContext& ctx) {
                const ExportFormat format = format_param(ctx.request);
                store::LeadQuery query = lead_query(ctx.request);
                ctx.auditor.record("export", {{"resource", "leads"},
                                              {"format", format == ExportFormat::csv ? "csv" : "jsonl"},
                                              {"query", query_text(ctx.request)}});
                auto read = [&leads, tenant_id = ctx.session.tenant_id, format](const store::LeadQuery& q) {
                  auto page = leads.list(tenant_id, q);
                  if (!page.ok()) throw std::runtime_error("leads export: " + page.error().message);
                  PageText out{"", page->items.empty(), page->next};
                  for (const auto& l : page->items)
                    out.text +=
                        format == ExportFormat::csv ? csv_line(lead_cells(l)) : lead_json(l).dump() + "\n";
                  return out;
                };
                return streamed(format, "leads", std::move(query), std::move(read), kLeadColumns);
              }});

  router.add({"GET", "/api/executions/export", Access::viewer, [&calls](RequestContext& ctx) {
                const ExportFormat format = format_param(ctx.request);
                store::CallQuery query = call_query(ctx.request);
                ctx.auditor.record("export", {{"resource", "executions"},
                                              {"format", format == ExportFormat::csv ? "csv" : "jsonl"},
                                              {"query", query_text(ctx.request)}});
                auto read = [&calls, tenant_id = ctx.session.tenant_id, format](const store::CallQuery& q) {
                  auto page = calls.list(tenant_id, q);
                  if (!page.ok()) throw std::runtime_error("calls export: " + page.error().message);
                  PageText out{"", page->items.empty(), page->next};
                  for (const auto& c : page->items) {
                    const Json row = call_json(c);
                    out.text += format == ExportFormat::csv ? csv_line(call_cells(row)) : row.dump() + "\n";
                  }
                  return out;
                };
                return streamed(format, "calls", std::move(query), std::move(read), kCallColumns);
              }});
}

}  // namespace tenantsync::api
