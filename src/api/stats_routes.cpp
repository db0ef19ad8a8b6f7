// Aggregates for the dashboard's charts: calls per day by status, average duration and cost per
// agent, leads per day by source. The store counts (GROUP BY); these routes only lay the
// counts out per day, with the days without any as zeros so a chart's axis has no gaps.
#include <map>

#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace tenantsync::api {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kMaxDays = 366;
constexpr std::int64_t kDefaultDays = 30;

struct DayRange {
  std::int64_t from_ms;  ///< a UTC midnight
  std::int64_t to_ms;    ///< exclusive
};

// ?from&to as whole UTC days: from rounds down to its midnight; the default is the last 30 days.
DayRange day_range(const http::Request& request, std::int64_t now_ms) {
  auto from = time_param(request, "from");
  auto to = time_param(request, "to");
  const std::int64_t end = to.value_or((now_ms / kDayMs + 1) * kDayMs);
  const std::int64_t start = (from.value_or(end - kDefaultDays * kDayMs) / kDayMs) * kDayMs;
  if (start >= end) bad_parameter("from", "must be before \"to\".");
  if (end - start > kMaxDays * kDayMs) bad_parameter("to", "must be at most 366 days after \"from\".");
  return {start, end};
}

std::string day_text(std::int64_t day_ms) { return format_iso8601(from_epoch_ms(day_ms)).substr(0, 10); }

Json per_day(const DayRange& range, const std::vector<store::DayCount>& counts, const char* by) {
  std::map<std::int64_t, Json> days;
  for (std::int64_t day = range.from_ms; day < range.to_ms; day += kDayMs)
    days[day] = {{"day", day_text(day)}, {by, Json::object()}, {"total", 0}};
  for (const auto& c : counts) {
    auto found = days.find(c.day_ms);
    if (found == days.end()) continue;
    found->second[by][c.key.empty() ? "unknown" : c.key] = c.count;
    found->second["total"] = found->second["total"].get<std::int64_t>() + c.count;
  }
  Json out = Json::array();
  for (auto& [day, entry] : days) out.push_back(std::move(entry));
  return {{"from", time_or_null(range.from_ms)}, {"to", time_or_null(range.to_ms)}, {"days", std::move(out)}};
}

Json or_null(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

}  // namespace

void add_stats_routes(Router& router, store::CallStore& calls, store::LeadStore& leads, const Clock& clock) {
  router.add({"GET", "/api/stats/calls", Access::viewer, [&calls, &clock](RequestContext& ctx) {
                const DayRange range = day_range(ctx.request, to_epoch_ms(clock.now()));
                auto counts = calls.calls_per_day(ctx.session.tenant_id, range.from_ms, range.to_ms);
                if (!counts.ok()) throw_error(counts.error());
                return json_response(200, per_day(range, *counts, "by_status"));
              }});

  router.add({"GET", "/api/stats/agents", Access::viewer, [&calls](RequestContext& ctx) {
                auto agents = calls.calls_per_agent(ctx.session.tenant_id);
                if (!agents.ok()) throw_error(agents.error());
                Json items = Json::array();
                for (const auto& a : *agents) {
                  items.push_back({{"agent_id", a.agent_id.empty() ? Json(nullptr) : Json(a.agent_id)},
                                   {"id", a.agent_row ? Json(a.agent_row->value()) : Json(nullptr)},
                                   {"name", a.agent_name.empty() ? Json(nullptr) : Json(a.agent_name)},
                                   {"calls", a.calls},
                                   {"average_duration_s", or_null(a.average_duration_s)},
                                   {"average_cost", or_null(a.average_cost)}});
                }
                return json_response(200, {{"agents", std::move(items)}});
              }});

  router.add({"GET", "/api/stats/leads", Access::viewer, [&leads, &clock](RequestContext& ctx) {
                const DayRange range = day_range(ctx.request, to_epoch_ms(clock.now()));
                auto counts = leads.leads_per_day(ctx.session.tenant_id, range.from_ms, range.to_ms);
                if (!counts.ok()) throw_error(counts.error());
                return json_response(200, per_day(range, *counts, "by_source"));
              }});
}

}  // namespace tenantsync::api
