// Exports: every lead (the filters of GET /api/leads) or every call (the filters of GET
// /api/executions) as CSV or JSON Lines, streamed: the body is produced one page of rows at a
// time (Response::body_pieces), each page read with the list's own keyset cursor, so an export
// of a million rows holds one page in memory.
#include <memory>

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

std::vector<std::string> lead_cells(const Json& lead) {
  std::vector<std::string> cells;
  for (const auto& column : kLeadColumns) cells.push_back(cell(lead, column.c_str()));
  return cells;
}

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

using CellsOf = std::vector<std::string> (*)(const Json&);

// One export in progress: the query with its cursor, moved on by each piece. read_page reads the
// next page: (the rows as JSON, the cursor after them).
template <class Query, class ReadPage>
struct ExportCursor {
  ExportCursor(Query q, ReadPage read, ExportFormat f, std::vector<std::string> columns, CellsOf row_cells)
      : query(std::move(q)),
        read_page(std::move(read)),
        format(f),
        header(std::move(columns)),
        cells(row_cells) {}

  Query query;
  ReadPage read_page;
  ExportFormat format;
  std::vector<std::string> header;
  CellsOf cells;
  bool header_written = false;
  bool done = false;

  std::string next_piece() {
    std::string piece;
    if (!header_written) {
      header_written = true;
      if (format == ExportFormat::csv) piece += csv_line(header);
    }
    while (!done && piece.size() < 64 * 1024) {
      auto [rows, next] = read_page(query);
      for (const Json& row : rows)
        piece += format == ExportFormat::csv ? csv_line(cells(row)) : row.dump() + "\n";
      query.after = next;
      done = !next.has_value();
      if (!rows.empty()) break;
    }
    return piece;
  }
};

template <class Query, class ReadPage>
http::Response streamed(ExportFormat format, const std::string& name, Query query, ReadPage read_page,
                        const std::vector<std::string>& header, CellsOf cells) {
  query.limit = kRowsPerPiece;
  query.after.reset();
  auto cursor = std::make_shared<ExportCursor<Query, ReadPage>>(std::move(query), std::move(read_page),
                                                                format, header, cells);
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
                auto read = [&leads, tenant_id = ctx.session.tenant_id](const store::LeadQuery& q) {
                  auto page = leads.list(tenant_id, q);
                  if (!page.ok()) throw std::runtime_error("leads export: " + page.error().message);
                  std::vector<Json> rows;
                  for (const auto& l : page->items) rows.push_back(lead_json(l));
                  return std::make_pair(std::move(rows), page->next);
                };
                return streamed(format, "leads", std::move(query), std::move(read), kLeadColumns, lead_cells);
              }});

  router.add({"GET", "/api/executions/export", Access::viewer, [&calls](RequestContext& ctx) {
                const ExportFormat format = format_param(ctx.request);
                store::CallQuery query = call_query(ctx.request);
                ctx.auditor.record("export", {{"resource", "executions"},
                                              {"format", format == ExportFormat::csv ? "csv" : "jsonl"},
                                              {"query", query_text(ctx.request)}});
                auto read = [&calls, tenant_id = ctx.session.tenant_id](const store::CallQuery& q) {
                  auto page = calls.list(tenant_id, q);
                  if (!page.ok()) throw std::runtime_error("calls export: " + page.error().message);
                  std::vector<Json> rows;
                  for (const auto& c : page->items) rows.push_back(call_json(c));
                  return std::make_pair(std::move(rows), page->next);
                };
                return streamed(format, "calls", std::move(query), std::move(read), kCallColumns, call_cells);
              }});
}

}  // namespace tenantsync::api
