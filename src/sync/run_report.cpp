#include "sync/run_report.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "crypto/crypto.hpp"
#include "sync/id_json.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;

// A held plan is read by a person: the first few hundred names say what is going on; the rest
// would only make the run history slow to load.
constexpr std::size_t kMaxListed = 200;

template <typename T, typename F>
Json capped_list(const std::vector<T>& items, F to_json) {
  Json list = Json::array();
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) list.push_back(to_json(items[i]));
  return list;
}

// One field summed over the resources of a counts object.
int sum_of(const Json& counts, const char* field) {
  int n = 0;
  if (!counts.is_object()) return 0;
  for (const auto& [resource, c] : counts.items())
    if (c.is_object() && c.contains(field) && c[field].is_number_integer()) n += c[field].get<int>();
  return n;
}

}  // namespace

store::RunOutcome failed_outcome(const Error& error) {
  store::RunOutcome outcome;
  outcome.state = core::RunState::failed;
  outcome.error_code = error.code;
  outcome.error_message = error.message;
  return outcome;
}

std::string stored_plan_id(const std::string& plan_json) {
  if (plan_json.empty()) return {};
  const Json plan = Json::parse(plan_json, nullptr, false);
  return plan.is_object() ? plan.value("plan_id", "") : "";
}

core::PlanCounts totals_of(const std::string& counts_json) {
  const Json counts = Json::parse(counts_json, nullptr, false);
  core::PlanCounts totals;
  totals.created = sum_of(counts, "created");
  totals.updated = sum_of(counts, "updated");
  totals.archived = sum_of(counts, "archived");
  totals.restored = sum_of(counts, "restored");
  totals.unchanged = sum_of(counts, "unchanged");
  return totals;
}

std::string counts_json(const std::vector<core::ResourcePlan>& plans) {
  Json out = Json::object();
  for (const auto& plan : plans) {
    const core::PlanCounts c = core::count_plan(plan);
    out[std::string(core::to_string(plan.resource))] = {{"created", c.created},     {"updated", c.updated},
                                                        {"archived", c.archived},   {"restored", c.restored},
                                                        {"unchanged", c.unchanged}, {"total", c.total_after}};
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string plan_id(const std::vector<core::ResourcePlan>& plans) {
  std::vector<std::string> lines;
  for (const auto& plan : plans) {
    const std::string resource(core::to_string(plan.resource));
    if (plan.staged) {  // its lists are only the first items: the store's digest stands for them all
      lines.push_back(resource + "\tstaged\t" + plan.staged->digest);
      continue;
    }
    for (const auto& a : plan.archives)
      lines.push_back(resource + "\tarchive\t" + a.upstream_id + "\t" + a.reason);
    for (const auto& r : plan.restores) lines.push_back(resource + "\trestore\t" + r.record.upstream_id);
  }
  std::sort(lines.begin(), lines.end());
  std::string text = plans.empty() ? std::string() : plans.front().account_id;
  for (const auto& line : lines) text += "\n" + line;
  return "plan_" + crypto::hash_token(text).substr(0, 20);
}

std::string plan_json(const std::vector<core::ResourcePlan>& plans, const std::string& message) {
  Json resources = Json::object();
  for (const auto& plan : plans) {
    const core::PlanCounts counts = core::count_plan(plan);
    Json r;
    r["archive"] = capped_list(plan.archives, [](const core::PlannedArchive& a) {
      return Json{{"id", a.local_id}, {"upstream_id", a.upstream_id}, {"name", a.name}, {"reason", a.reason}};
    });
    r["archive_count"] = counts.archived;
    r["create"] = capped_list(plan.creates, [](const core::UpstreamRecord& c) {
      return Json{{"upstream_id", c.upstream_id}, {"name", c.name}};
    });
    r["create_count"] = counts.created;
    r["restore"] = capped_list(plan.restores, [](const core::PlannedRestore& x) {
      return Json{{"id", x.local_id}, {"upstream_id", x.record.upstream_id}, {"name", x.record.name}};
    });
    r["restore_count"] = counts.restored;
    r["update"] = counts.updated;
    r["unchanged"] = plan.unchanged;
    r["active_before"] = plan.active_before;
    resources[std::string(core::to_string(plan.resource))] = std::move(r);
  }
  Json out{{"plan_id", plan_id(plans)},
           {"account_id", plans.empty() ? std::string() : plans.front().account_id},
           {"message", message},
           {"resources", std::move(resources)}};
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string warnings_json(const std::vector<ResourceNotRead>& not_read, const std::vector<RecordNote>& notes,
                          std::size_t limit) {
  Json out = Json::array();
  for (const auto& r : not_read)
    out.push_back(
        {{"resource", core::to_string(r.resource)}, {"code", r.error.code}, {"message", r.error.message}});
  for (std::size_t i = 0; i < notes.size() && i < limit; ++i) {
    const auto& note = notes[i];
    out.push_back({{"resource", note.resource ? Json(core::to_string(*note.resource)) : Json(nullptr)},
                   {"code", kRecordWarning},
                   {"message", note.message}});
  }
  if (notes.size() > limit)
    out.push_back({{"resource", nullptr},
                   {"code", kRecordWarning},
                   {"message", std::to_string(notes.size() - limit) + " more warnings not shown"}});
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace tenantsync::sync
