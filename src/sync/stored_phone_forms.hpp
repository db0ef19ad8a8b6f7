#pragma once
// Phones parsed once. A contact read again whose raw number is the one its lead's stored form was
// made of, in the same region, takes that form instead of being parsed again: libphonenumber
// (ICU regular expressions) is about half of the CPU of re-reading unchanged contacts
// (docs/benchmarks.md, docs/sync.md "Phones").
#include <string>
#include <vector>

#include "store/sync_records.hpp"
#include "upstream/crm/crm_client.hpp"

namespace tenantsync::sync {

/// The phone a contact's lead gets: its phone, else its mobile phone (raw, as the CRM holds it).
const std::string& contact_phone(const upstream::ContactFields& fields);

/// Sets each contact's normalized_phone to normalized_phone(contact_phone, region), taken from
/// `stored` when one of them was made of the same trimmed raw number in the same region, or of the
/// same international number ("+…", whose calling code it carries: the region plays no part), and
/// parsed otherwise. A form of another region is never taken for a national number.
void normalize_contact_phones(std::vector<upstream::CrmContact>& contacts, const std::string& region,
                              const std::vector<store::StoredPhone>& stored);

}  // namespace tenantsync::sync
