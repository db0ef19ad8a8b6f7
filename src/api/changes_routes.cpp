// The change feed: GET /api/changes?cursor&types&limit pages through a tenant's changes in order
// of seq. The cursor is the seq of the last entry read (opaque to clients: they pass back
// next_cursor); absent or "0", the feed starts at its oldest entry still kept.
#include <charconv>

#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/routes.hpp"
#include "service/webhook_dispatch.hpp"
#include "service/webhook_events.hpp"

namespace tenantsync::api {
namespace {

std::int64_t seq_cursor(const http::Request& request) {
  const std::string text = text_param(request, "cursor", 24);
  if (text.empty()) return 0;
  std::int64_t value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    throw ApiError(400, core::ErrorCode::validation_failed,
                   "The parameter \"cursor\" is not a cursor this server gave out.");
  }
  return value;
}

// types=lead.created,execution.* → exact types and whole kinds; "*" or nothing: every type.
void type_filter(const http::Request& request, store::ChangeQuery& query) {
  const std::string text = text_param(request, "types", 1000);
  if (text.empty()) return;
  auto patterns = service::parse_event_patterns(service::split_patterns(text), "types");
  if (!patterns.ok()) throw ApiError(400, core::ErrorCode::validation_failed, patterns.error().message);
  for (const std::string& p : *patterns) {
    if (p == "*") return;
    if (p.ends_with(".*")) {
      query.kinds.push_back(p.substr(0, p.size() - 2));
    } else {
      query.types.push_back(p);
    }
  }
}

}  // namespace

void add_changes_routes(Router& router, store::ChangeFeedStore& feed) {
  router.add({"GET", "/api/changes", Access::viewer, [&feed](RequestContext& ctx) {
                store::ChangeQuery query;
                query.after_seq = seq_cursor(ctx.request);
                query.limit = limit_param(ctx.request, 100, 1000);
                type_filter(ctx.request, query);
                auto changes = feed.list_changes(ctx.session.tenant_id, query);
                if (!changes.ok()) throw_error(changes.error());
                Json items = Json::array();
                for (const auto& c : *changes) items.push_back(service::WebhookDispatcher::change_json(c));
                const std::int64_t next = changes->empty() ? query.after_seq : changes->back().seq;
                return json_response(200,
                                     Json{{"items", items},
                                          {"next_cursor", std::to_string(next)},
                                          {"has_more", static_cast<int>(changes->size()) == query.limit}});
              }});
}

}  // namespace tenantsync::api
