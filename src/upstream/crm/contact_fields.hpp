#pragma once
// Which provider property fills which lead field, for every CRM in one table
// (contact_fields.cpp), so the mapping is read in one place.
#include <map>
#include <string>
#include <string_view>

#include "upstream/crm/crm_client.hpp"

namespace tenantsync::upstream {

enum class CrmProvider { hubspot, salesforce };

/// A record's properties by the provider's names (Salesforce's flattened fields).
using PropertyMap = std::map<std::string, std::string>;

/// A property's value; empty when the record lacks it (or `name` is empty).
std::string property_of(const PropertyMap& properties, std::string_view name);
/// Sets the text fields of `fields` from `properties` by the provider's names. A field the
/// provider has no property for stays empty: HubSpot's owner name and e-mail (resolved through its
/// owners API) and description (a configured notes property), Salesforce's stage (the object a
/// record comes from).
void fill_text_fields(const PropertyMap& properties, CrmProvider provider, ContactFields& fields);
/// The text field the provider's property fills, or nullptr (a parser that reads each property
/// once assigns it there, with no map in between).
std::string* text_field(ContactFields& fields, CrmProvider provider, std::string_view property);

}  // namespace tenantsync::upstream
