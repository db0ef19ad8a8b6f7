#include "sync/event_bus.hpp"

#include <algorithm>

namespace tenantsync::sync {

void EventBus::subscribe(TenantId tenant_id, EventListener listener) {
  std::lock_guard lock(mutex_);
  listeners_[tenant_id].push_back(std::make_shared<EventListener>(std::move(listener)));
}

EventBus::Subscription EventBus::subscribe_scoped(TenantId tenant_id, EventListener listener) {
  auto entry = std::make_shared<EventListener>(std::move(listener));
  {
    std::lock_guard lock(mutex_);
    listeners_[tenant_id].push_back(entry);
  }
  std::weak_ptr<EventListener> weak = entry;
  return Subscription(static_cast<void*>(this), [this, tenant_id, weak](void*) {
    std::lock_guard lock(mutex_);
    auto found = listeners_.find(tenant_id);
    if (found == listeners_.end()) return;
    auto target = weak.lock();
    std::erase_if(found->second, [&](const auto& l) { return l == target; });
    if (found->second.empty()) listeners_.erase(found);
  });
}

void EventBus::publish(TenantId tenant_id, const std::string& name, const std::string& data_json) {
  deliver(tenant_id, name, data_json);
  if (relay_) relay_(tenant_id, name, data_json);
}

void EventBus::deliver(TenantId tenant_id, const std::string& name, const std::string& data_json) {
  // Copy the listeners out so a slow or re-entrant listener never runs under the lock.
  std::vector<std::shared_ptr<EventListener>> targets;
  {
    std::lock_guard lock(mutex_);
    auto found = listeners_.find(tenant_id);
    if (found == listeners_.end()) return;
    targets = found->second;
  }
  std::vector<std::shared_ptr<EventListener>> refused;
  for (const auto& listener : targets)
    if (!(*listener)(name, data_json)) refused.push_back(listener);
  if (refused.empty()) return;
  std::lock_guard lock(mutex_);
  auto& list = listeners_[tenant_id];
  std::erase_if(list,
                [&](const auto& l) { return std::find(refused.begin(), refused.end(), l) != refused.end(); });
  if (list.empty()) listeners_.erase(tenant_id);
}

std::size_t EventBus::listener_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [tenant, list] : listeners_) n += list.size();
  return n;
}

std::string format_sse(const std::string& name, const std::string& data_json) {
  // JSON from nlohmann's dump() has no raw newlines, so one data line is enough.
  return "event: " + name + "\ndata: " + data_json + "\n\n";
}

}  // namespace tenantsync::sync
