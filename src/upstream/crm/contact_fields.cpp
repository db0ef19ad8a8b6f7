#include "upstream/crm/contact_fields.hpp"

#include <array>

namespace tenantsync::upstream {
namespace {

struct FieldSource {
  std::string ContactFields::*field;
  std::string_view hubspot;
  std::string_view salesforce;
};

constexpr std::array<FieldSource, 11> kSources = {{
    {&ContactFields::first_name, "firstname", "FirstName"},
    {&ContactFields::last_name, "lastname", "LastName"},
    {&ContactFields::email, "email", "Email"},
    {&ContactFields::phone, "phone", "Phone"},
    {&ContactFields::mobile_phone, "mobilephone", "MobilePhone"},
    {&ContactFields::owner_id, "hubspot_owner_id", "OwnerId"},
    {&ContactFields::owner_name, "", "Owner.Name"},
    {&ContactFields::owner_email, "", "Owner.Email"},
    {&ContactFields::status, "hs_lead_status", "Status"},
    {&ContactFields::stage, "lifecyclestage", ""},
    {&ContactFields::description, "", "Description"},
}};

}  // namespace

std::string property_of(const PropertyMap& properties, std::string_view name) {
  if (name.empty()) return {};
  auto it = properties.find(std::string(name));
  return it == properties.end() ? std::string() : it->second;
}

void fill_text_fields(const PropertyMap& properties, CrmProvider provider, ContactFields& fields) {
  for (const FieldSource& source : kSources)
    fields.*source.field =
        property_of(properties, provider == CrmProvider::hubspot ? source.hubspot : source.salesforce);
}

std::string* text_field(ContactFields& fields, CrmProvider provider, std::string_view property) {
  if (property.empty()) return nullptr;
  for (const FieldSource& source : kSources)
    if ((provider == CrmProvider::hubspot ? source.hubspot : source.salesforce) == property)
      return &(fields.*source.field);
  return nullptr;
}

}  // namespace tenantsync::upstream
