// HubSpot's batch read of contacts by id, for webhook events (sync/hubspot_events): one call per
// at most 100 ids, through the client's credentials, rate gate and error mapping. HubSpot answers
// 200 when it found every id and 207 with `errors` for ids it has not; ids not in `results` are
// reported missing (deleted, merged away), which the caller archives.
#include <set>

#include <nlohmann/json.hpp>

#include "upstream/crm/hubspot_client.hpp"
#include "upstream/crm/hubspot_json.hpp"

namespace tenantsync::upstream {

Result<ContactBatch> HubSpotClient::read_contacts(const std::vector<std::string>& ids) {
  if (ids.size() > kMaxBatchRead)
    return make_error(core::ErrorCode::internal_error, "A HubSpot batch read takes at most 100 ids.");
  ContactBatch out;
  if (ids.empty()) return out;
  credentials_.forget();
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& id : ids) inputs.push_back({{"id", id}});
  const nlohmann::json request = {{"properties", properties_}, {"inputs", inputs}};
  auto body = call("POST", "/crm/v3/objects/contacts/batch/read", request.dump());
  if (!body.ok()) return body.error();
  auto page = hubspot::parse_contact_page(*body, options_.notes_property);
  if (!page.ok()) return page.error();
  std::set<std::string> found;
  for (auto& contact : page->contacts) {
    found.insert(contact.crm_id);
    out.found.push_back(std::move(contact));
  }
  for (const auto& id : ids)
    if (!found.count(id)) out.missing.push_back(id);
  return out;
}

}  // namespace tenantsync::upstream
