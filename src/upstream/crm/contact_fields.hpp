#pragma once
// Which provider property fills which lead field, for every CRM in one table
// (contact_fields.cpp), so the mapping is read in one place.
#include <string>
#include <string_view>

#include "upstream/crm/crm_client.hpp"

namespace tenantsync::upstream {

enum class CrmProvider { hubspot, salesforce };

/// A property's value; empty when the contact lacks it (or `name` is empty).
std::string property_of(const CrmContact& contact, std::string_view name);
/// Sets the text fields of contact.fields from contact.properties by the provider's names. A
/// field the provider has no property for stays empty: HubSpot's owner name and e-mail (resolved
/// through its owners API) and description (a configured notes property), Salesforce's stage
/// (the object a record comes from).
void fill_text_fields(CrmContact& contact, CrmProvider provider);

}  // namespace tenantsync::upstream
