#include "app/cluster_events.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/log_text.hpp"

namespace tenantsync::app {
namespace {

using Json = nlohmann::json;

// What an event keeps when it is too long to travel whole: enough for the dashboard to know
// which run it is about and to re-read it.
constexpr const char* kIdentifyingFields[] = {"run_id", "target", "trigger", "state", "phase"};

std::string payload_of(TenantId tenant_id, const std::string& name, const std::string& data_json) {
  return R"({"t":)" + std::to_string(tenant_id.value()) + R"(,"n":)" + Json(name).dump() + R"(,"d":)" +
         data_json + "}";
}

}  // namespace

std::string encode_cluster_event(TenantId tenant_id, const std::string& name, const std::string& data_json) {
  std::string payload = payload_of(tenant_id, name, data_json);
  if (payload.size() <= store::postgres::kMaxNotifyPayload) return payload;
  Json cut = Json::object();
  const Json data = Json::parse(data_json, nullptr, false);
  if (data.is_object()) {
    for (const char* field : kIdentifyingFields)
      if (auto it = data.find(field); it != data.end() && it->dump().size() < 256) cut[field] = *it;
  }
  cut["truncated"] = true;
  return payload_of(tenant_id, name.size() < 64 ? name : "event", cut.dump());
}

std::optional<ClusterEvent> decode_cluster_event(const std::string& payload) {
  const Json j = Json::parse(payload, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  const auto t = j.find("t");
  const auto n = j.find("n");
  const auto d = j.find("d");
  if (t == j.end() || !t->is_number_integer() || n == j.end() || !n->is_string() || d == j.end())
    return std::nullopt;
  return ClusterEvent{TenantId{t->get<std::int64_t>()}, n->get<std::string>(), d->dump()};
}

bool frees_or_queues_work(const std::string& name) { return name == "run.queued" || name == "run.finished"; }

ClusterEvents::ClusterEvents(const std::string& url, sync::EventBus& bus)
    : channel_(
          url,
          [this, &bus](const std::string& payload) {
            auto event = decode_cluster_event(payload);
            if (!event) return;
            bus.deliver(event->tenant_id, event->name, event->data_json);
            if (observer_) observer_(*event);
          },
          store::postgres::NotifyOptions{.on_state = [](bool listening, const std::string& why) {
            if (listening) {
              spdlog::info("event=cluster_events_listening");
            } else {
              spdlog::warn("event=cluster_events_down message={}", core::log_value(why));
            }
          }}) {
  bus.set_relay([this](TenantId tenant_id, const std::string& name, const std::string& data_json) {
    channel_.send(encode_cluster_event(tenant_id, name, data_json));
  });
}

}  // namespace tenantsync::app
