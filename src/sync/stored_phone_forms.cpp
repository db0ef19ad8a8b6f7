#include "sync/stored_phone_forms.hpp"

#include <string_view>
#include <unordered_map>

#include "sync/lead_contact.hpp"

namespace tenantsync::sync {

const std::string& contact_phone(const upstream::ContactFields& fields) {
  return fields.phone.empty() ? fields.mobile_phone : fields.phone;
}

void normalize_contact_phones(std::vector<upstream::CrmContact>& contacts, const std::string& region,
                              const std::vector<store::StoredPhone>& stored) {
  // The forms that stand for a parse in `region`, by raw number.
  std::unordered_map<std::string_view, const store::StoredPhone*> reusable;
  reusable.reserve(stored.size());
  for (const store::StoredPhone& phone : stored) {
    if (phone.raw.empty()) continue;
    if (phone.region == region || phone.raw.front() == '+') reusable.emplace(phone.raw, &phone);
  }
  for (upstream::CrmContact& contact : contacts) {
    const std::string raw = trimmed(contact_phone(contact.fields));
    if (auto found = reusable.find(raw); found != reusable.end()) {
      core::PhoneResult form;
      form.raw = raw;
      form.e164 = found->second->e164;
      form.valid = found->second->valid;
      contact.normalized_phone = std::move(form);
      continue;
    }
    contact.normalized_phone = normalized_phone(raw, region);
  }
}

}  // namespace tenantsync::sync
