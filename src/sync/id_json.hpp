#pragma once
// Typed ids in JSON: a TenantId, RunId, ... renders as its number. nlohmann finds to_json next to
// StrongTypedef (argument-dependent lookup), so `Json{{"run_id", run.id}}` needs no value().
#include <nlohmann/json.hpp>

#include "core/strong_typedef.hpp"

namespace tenantsync {

template <class Tag, class T>
void to_json(nlohmann::json& j, const StrongTypedef<Tag, T>& id) {
  j = id.value();
}

}  // namespace tenantsync
