#include "core/lead_matcher.hpp"

#include <algorithm>
#include <array>

namespace tenantsync::core {
namespace {

bool has_crm_key(std::string_view provider, std::string_view crm_id) {
  return !provider.empty() && !crm_id.empty();
}

std::string crm_key(std::string_view provider, std::string_view crm_id) {
  std::string key(provider);
  key += '\x1f';  // a separator no provider name or CRM id contains
  key += crm_id;
  return key;
}

}  // namespace

std::string_view to_string(MatchReason reason) {
  // Indexed by the enum's values; anything else reads as a new lead.
  static constexpr std::array<std::string_view, 4> kNames = {"crm_id", "phone", "email", "new"};
  const auto index = static_cast<std::size_t>(reason);
  return index < kNames.size() ? kNames[index] : "new";
}

LeadIndex::LeadIndex(std::vector<ExistingLead> leads) {
  std::sort(leads.begin(), leads.end(),
            [](const ExistingLead& a, const ExistingLead& b) { return a.id < b.id; });
  for (ExistingLead& lead : leads)
    add_entry(
        Entry{LeadRef{false, lead.id}, lead.manual, std::move(lead.crm_provider), std::move(lead.crm_id)},
        lead.phone_e164, lead.email_norm);
}

void LeadIndex::add_key(std::unordered_map<std::string, std::vector<std::size_t>>& map,
                        const std::string& key, std::size_t entry) {
  if (key.empty()) return;
  auto& list = map[key];
  if (std::find(list.begin(), list.end(), entry) == list.end()) list.push_back(entry);
}

void LeadIndex::add_entry(Entry entry, const std::string& phone, const std::string& email) {
  const std::size_t index = entries_.size();
  if (has_crm_key(entry.crm_provider, entry.crm_id))
    by_crm_.emplace(crm_key(entry.crm_provider, entry.crm_id), index);  // first (oldest) keeps the key
  entries_.push_back(std::move(entry));
  add_key(by_phone_, phone, index);
  add_key(by_email_, email, index);
}

std::optional<std::size_t> LeadIndex::first_eligible(
    const std::unordered_map<std::string, std::vector<std::size_t>>& map, const std::string& key,
    const ContactKeys& contact) const {
  if (key.empty()) return std::nullopt;
  auto found = map.find(key);
  if (found == map.end()) return std::nullopt;
  const bool contact_has_crm = has_crm_key(contact.crm_provider, contact.crm_id);
  for (std::size_t i : found->second) {
    const Entry& e = entries_[i];
    const bool linked_elsewhere = contact_has_crm && e.crm_provider == contact.crm_provider &&
                                  !e.crm_id.empty() && e.crm_id != contact.crm_id;
    if (!linked_elsewhere) return i;
  }
  return std::nullopt;
}

LeadMatch LeadIndex::match(const ContactKeys& contact) const { return match_at(contact).first; }

std::pair<LeadMatch, std::optional<std::size_t>> LeadIndex::match_at(const ContactKeys& contact) const {
  LeadMatch result;
  std::optional<std::size_t> hit;
  if (has_crm_key(contact.crm_provider, contact.crm_id)) {
    auto found = by_crm_.find(crm_key(contact.crm_provider, contact.crm_id));
    if (found != by_crm_.end()) {
      hit = found->second;
      result.reason = MatchReason::crm_id;
    }
  }
  if (!hit) {
    const auto by_phone = first_eligible(by_phone_, contact.phone_e164, contact);
    const auto by_email = first_eligible(by_email_, contact.email_norm, contact);
    if (by_phone) {
      hit = by_phone;
      result.reason = MatchReason::phone;
      if (by_email && *by_email != *by_phone) result.email_conflict = entries_[*by_email].ref;
    } else if (by_email) {
      hit = by_email;
      result.reason = MatchReason::email;
    }
  }
  if (!hit) {
    result.create = true;
    result.lead = LeadRef{true, static_cast<std::int64_t>(planned_count_)};
    result.reason = MatchReason::new_lead;
    result.link_crm_id = has_crm_key(contact.crm_provider, contact.crm_id);
    return {result, std::nullopt};
  }
  const Entry& e = entries_[*hit];
  result.lead = e.ref;
  result.lead_is_manual = e.manual;
  result.link_crm_id = has_crm_key(contact.crm_provider, contact.crm_id) && e.crm_id.empty();
  return {result, hit};
}

LeadMatch LeadIndex::assign(const ContactKeys& contact) {
  auto [result, hit] = match_at(contact);
  if (!hit) {
    add_entry(Entry{result.lead, false, contact.crm_provider, contact.crm_id}, contact.phone_e164,
              contact.email_norm);
    ++planned_count_;
    return result;
  }
  const std::size_t index = *hit;
  if (result.link_crm_id) {
    entries_[index].crm_provider = contact.crm_provider;
    entries_[index].crm_id = contact.crm_id;
    by_crm_.emplace(crm_key(contact.crm_provider, contact.crm_id), index);
  }
  // The sync writes the contact's phone and e-mail on the lead, so later contacts find it by them.
  add_key(by_phone_, contact.phone_e164, index);
  add_key(by_email_, contact.email_norm, index);
  return result;
}

}  // namespace tenantsync::core
