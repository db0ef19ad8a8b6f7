#include "sync/crm_sync.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/error_code.hpp"
#include "core/lead_matcher.hpp"
#include "sync/both_ends_listing.hpp"
#include "sync/lead_contact.hpp"
#include "sync/page_read_ahead.hpp"
#include "sync/stored_phone_forms.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;

std::string owner_name(const upstream::CrmOwner& o) { return trimmed(o.first_name + " " + o.last_name); }

struct Cursor {
  std::string phase;  ///< "", "full", "incremental"
  bool archived_read = false;  ///< full: the archived contacts are read; the live ones are next
  std::string after;  ///< full: the list's cursor
  std::string below;  ///< full: the lowest id read from the top (sync/both_ends_listing.hpp)
  std::int64_t started_ms = 0;
  std::int64_t modified_after_ms = 0;
};

Cursor parse_cursor(const std::string& text) {
  Cursor c;
  auto j = Json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (!j.is_object()) return c;
  c.phase = j.value("phase", "");
  c.archived_read = j.value("archived_read", false);
  c.after = j.value("after", "");
  c.below = j.value("below", "");
  c.started_ms = j.value("started_ms", std::int64_t{0});
  c.modified_after_ms = j.value("modified_after_ms", std::int64_t{0});
  return c;
}

// The archived contacts are read (or not yet: false), the live ones from `at` on.
std::string full_cursor(bool archived_read, const BothEndsPosition& at, std::int64_t started_ms) {
  Json j{{"phase", "full"}, {"after", at.after}, {"started_ms", started_ms}};
  if (archived_read) j["archived_read"] = true;
  if (!at.below.empty()) j["below"] = at.below;
  return j.dump();
}

std::string incremental_cursor(std::int64_t modified_after_ms) {
  return Json{{"phase", "incremental"}, {"modified_after_ms", modified_after_ms}}.dump();
}

// Whether reading every contact is faster than reading the `changed` ones through search alone
// (HubSpot Professional: search gives 5 pages of 200 a second, 1,000 contacts/s; the list and
// search together about 3,000/s, docs/benchmarks.md): past a third of the contacts the connection
// has (`known`, its leads), and only when the changes alone would take a while. `changed` is the
// CRM's word, so it is only compared, never multiplied.
bool read_everything_is_faster(std::int64_t changed, std::int64_t known, const CrmSyncOptions& options) {
  return changed >= options.read_everything_from_changes && changed >= known / 3 + (known % 3 != 0);
}

// The stored leads the matcher needs for `built`, sorted by id: those with its CRM ids, then those
// with the phones and e-mails of the contacts no CRM id found. A contact found by its CRM id is
// matched by it and never by phone or e-mail (core::LeadIndex), and every lead holding an
// unfound contact's phone or e-mail is read for it, so the matcher sees what one lookup of every
// key would give it; a re-read of unchanged contacts makes one lookup instead of three.
Result<std::vector<core::ExistingLead>> find_candidates(store::LeadStore& leads,
                                                        const store::CrmConnection& connection,
                                                        const std::vector<store::Lead>& built,
                                                        const std::vector<std::string>& crm_ids) {
  const std::string provider(core::to_string(connection.provider));
  auto by_crm_id = leads.find_lead_candidates(connection.tenant_id, provider, crm_ids, {}, {});
  if (!by_crm_id.ok()) return by_crm_id.error();
  std::unordered_set<std::string_view> found;
  for (const core::ExistingLead& lead : *by_crm_id)
    if (lead.crm_provider == provider) found.insert(lead.crm_id);
  std::vector<std::string> phones, emails;
  for (const store::Lead& lead : built) {
    if (found.count(lead.crm_id) != 0) continue;
    if (!lead.phone_e164.empty()) phones.push_back(lead.phone_e164);
    if (!lead.email_norm.empty()) emails.push_back(lead.email_norm);
  }
  if (phones.empty() && emails.empty()) return by_crm_id;
  auto by_contact = leads.find_lead_candidates(connection.tenant_id, "", {}, phones, emails);
  if (!by_contact.ok()) return by_contact.error();
  std::vector<core::ExistingLead> all = std::move(by_crm_id).value();
  std::unordered_set<std::int64_t> ids;
  for (const core::ExistingLead& lead : all) ids.insert(lead.id);
  for (core::ExistingLead& lead : *by_contact)
    if (ids.insert(lead.id).second) all.push_back(std::move(lead));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return all;
}

std::string failure_message(const Error& e) {
  if (e.code == core::ErrorCode::key_rejected || e.code == core::ErrorCode::needs_reauth)
    return "Sync failed: the CRM refused the credentials (" + e.message + "). Reconnect your CRM.";
  if (e.code == core::ErrorCode::rate_limited)
    return "Sync failed: the CRM's rate limit was reached (" + e.message + ").";
  return "Sync failed: could not read contacts from the CRM: " + e.message;
}

}  // namespace

store::Lead lead_from_contact(const upstream::CrmContact& contact, core::CrmProvider provider,
                              ConnectionId connection_id, const std::string& region,
                              const std::map<std::string, upstream::CrmOwner>& owners, TimePoint now) {
  const auto& f = contact.fields;
  store::Lead lead;
  lead.source = "crm";
  set_contact(lead, {f.first_name + " " + f.last_name, f.email, contact_phone(f)}, region,
              contact.normalized_phone ? &*contact.normalized_phone : nullptr);
  lead.crm_connection_id = connection_id;
  lead.crm_provider = core::to_string(provider);
  lead.crm_id = contact.crm_id;
  lead.crm_owner = f.owner_name;
  lead.crm_owner_email = f.owner_email;
  if (lead.crm_owner.empty() && !f.owner_id.empty()) {
    if (auto o = owners.find(f.owner_id); o != owners.end()) {
      lead.crm_owner = owner_name(o->second);
      lead.crm_owner_email = o->second.email;
    }
  }
  lead.crm_status = f.status;
  lead.crm_stage = f.stage;
  lead.crm_description = f.description;
  if (f.last_activity_at_ms > 0) lead.crm_last_activity_at_ms = f.last_activity_at_ms;
  if (contact.archived) lead.crm_archived_at_ms = contact.updated_at_ms > 0 ? contact.updated_at_ms : to_epoch_ms(now);
  if (contact.updated_at_ms > 0) lead.crm_updated_at_ms = contact.updated_at_ms;
  return lead;
}

Result<PlannedLeadWrites> plan_lead_writes(store::LeadStore& leads, const store::CrmConnection& connection,
                                           const std::vector<upstream::CrmContact>& contacts,
                                           const std::string& region,
                                           const std::map<std::string, upstream::CrmOwner>& owners, TimePoint now) {
  std::vector<store::Lead> built;
  built.reserve(contacts.size());
  std::vector<std::string> crm_ids;
  for (const auto& c : contacts) {
    if (c.crm_id.empty()) continue;  // nothing to link it by; counted as a warning by the client
    built.push_back(lead_from_contact(c, connection.provider, connection.id, region, owners, now));
    crm_ids.push_back(built.back().crm_id);
  }
  PlannedLeadWrites out;
  const auto lookup_started = std::chrono::steady_clock::now();
  auto existing = find_candidates(leads, connection, built, crm_ids);
  if (!existing.ok()) return existing.error();
  out.lookup_time = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                          lookup_started);

  // Match in page order; two contacts that land on one lead (the same id twice) share a write.
  core::LeadIndex index(std::move(existing).value());
  std::map<std::int64_t, std::size_t> write_of_lead;     // existing lead id → write
  std::map<std::int64_t, std::size_t> write_of_planned;  // planned creation → write
  for (auto& lead : built) {
    const core::ContactKeys keys{lead.crm_provider, lead.crm_id, lead.phone_e164, lead.email_norm};
    const core::LeadMatch m = index.assign(keys);
    lead.match_reason = std::string(core::to_string(m.reason));
    auto& slots = m.lead.planned ? write_of_planned : write_of_lead;
    // `built` is not read again: each lead moves into its write.
    if (auto found = slots.find(m.lead.id); found != slots.end()) {
      out.writes[found->second].lead = std::move(lead);
      if (!m.lead.planned) out.writes[found->second].lead.id = LeadId{m.lead.id};
      continue;
    }
    if (lead.crm_archived_at_ms) ++out.archived;
    store::LeadWrite w;
    w.lead = std::move(lead);
    w.lead.id = LeadId{m.lead.planned ? 0 : m.lead.id};
    if (!m.create && m.lead_is_manual) w.lead.source = "manual";
    w.link_crm_id = m.create || m.link_crm_id;
    slots[m.lead.id] = out.writes.size();
    out.writes.push_back(std::move(w));
  }
  return out;
}

CrmSync::CrmSync(store::LeadStore& leads, upstream::CrmClient& client, const Clock& clock, EventBus& events,
                 CrmSyncOptions options)
    : leads_(leads), client_(client), clock_(clock), events_(events), options_(options) {}

Status CrmSync::write_page(const store::SyncRun& run, const store::LeaseHold& lease,
                           const store::CrmConnection& connection, const std::string& region,
                           std::vector<upstream::CrmContact>& contacts, const std::string& cursor_json,
                           CrmSyncResult& result) {
  const TimePoint now = clock_.now();
  auto planned = plan_lead_writes(leads_, connection, contacts, region, owners_, now);
  if (!planned.ok()) return planned.error();
  result.store_time += planned->lookup_time;
  result.archived += planned->archived;
  const auto write_started = std::chrono::steady_clock::now();
  auto applied = leads_.apply_lead_batch(run.tenant_id, connection.id, planned->writes, cursor_json, lease, now);
  if (!applied.ok()) return applied.error();
  result.store_time +=
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - write_started);
  result.created += applied->created;
  result.updated += applied->updated;
  result.unchanged += applied->unchanged;
  if (applied->created + applied->updated > 0)
    events_.publish(
        run.tenant_id, "leads.changed",
        Json{{"connection_id", connection.id.value()}, {"created", applied->created}, {"updated", applied->updated}}
            .dump());
  return {};
}

CrmSyncResult CrmSync::run(const store::SyncRun& run, const store::LeaseHold& lease,
                           const store::CrmConnection& connection, const std::string& region,
                           const ProgressFn& progress, const StopFn& should_stop) {
  CrmSyncResult result;
  RunProgress p;
  auto fail = [&](const Error& e) {
    result.outcome.state = core::RunState::failed;
    result.outcome.error_code = e.code;
    result.outcome.error_message = failure_message(e);
    return result;
  };
  const Error interrupted = make_error(
      core::ErrorCode::interrupted, "the service stopped; the next sync resumes from the last saved page.");

  p.phase = "owners";
  if (progress) progress(p);
  auto owners = client_.list_owners();
  if (!owners.ok()) return fail(owners.error());
  for (auto& o : *owners) owners_[o.id] = o;

  Cursor cursor = parse_cursor(connection.cursor);
  core::RunBudget budget(options_.limits);
  p.phase = "contacts";
  p.resource = "contacts";
  // Each page is counted against the run's budget and joins the batch, which is written with the
  // cursor that resumes after its last page once it is large enough (and at the end of each
  // listing, failed or not: the pages read before a failure are kept).
  std::vector<upstream::CrmContact> batch;
  std::string batch_cursor;  // the last page's ("": the listing keeps no position)
  bool batched = false;      // pages wait in the batch
  auto write_batch = [&]() -> Status {
    if (!batched) return {};
    Status s = write_page(run, lease, connection, region, batch, batch_cursor, result);
    batch.clear();
    batched = false;
    if (!s.ok()) return s;
    p.applied = result.created + result.updated;
    if (progress) progress(p);
    return {};
  };
  auto handle_page = [&](upstream::CrmPage&& page, const std::string& cursor_json) -> Status {
    if (should_stop && should_stop()) return interrupted;
    std::int64_t bytes = 0;
    for (const auto& c : page.contacts) bytes += static_cast<std::int64_t>(c.crm_id.size()) + c.property_bytes;
    if (auto within = budget.take_page("contacts", static_cast<std::int64_t>(page.contacts.size()), bytes);
        !within.ok())
      return within;
    ++p.pages;
    p.records += static_cast<int>(page.contacts.size());
    std::move(page.contacts.begin(), page.contacts.end(), std::back_inserter(batch));
    batch_cursor = cursor_json;
    batched = true;
    if (batch.size() >= options_.write_batch_contacts) return write_batch();
    if (progress) progress(p);
    return {};
  };
  // The end of a listing: what is batched is written, then the listing's outcome stands.
  auto listing_done = [&](Status read) -> Status {
    Status written = write_batch();
    return read.ok() ? written : read;
  };
  // Each listing's pages get their phones normalized on the listing's own thread, before they
  // queue for this one (sync/page_read_ahead.hpp), so this thread only matches and writes. When the
  // connection has leads, the page's stored phones are read first (one indexed query on a reading
  // connection), and a number stored with its form in this region is not parsed again
  // (sync/stored_phone_forms.hpp). Without them (the lookup failed) every number is parsed.
  const auto leads_at_start = leads_.count_connection_leads(connection.tenant_id, connection.id);
  const bool has_leads = !leads_at_start.ok() || *leads_at_start > 0;
  const std::string provider(core::to_string(connection.provider));
  const PagePrepare prepare = [&, has_leads](upstream::CrmPage& page) {
    std::vector<store::StoredPhone> stored;
    if (has_leads) {
      std::vector<std::string> crm_ids;
      crm_ids.reserve(page.contacts.size());
      for (const upstream::CrmContact& c : page.contacts) crm_ids.push_back(c.crm_id);
      auto found = leads_.find_stored_phones(connection.tenant_id, provider, crm_ids);
      if (found.ok()) stored = std::move(found).value();
    }
    normalize_contact_phones(page.contacts, region, stored);
  };
  auto on_page = [&](auto make_cursor) {
    return [&, make_cursor](upstream::CrmPage&& page) -> Status {
      const std::string cursor_json = make_cursor(page.checkpoint);
      return handle_page(std::move(page), cursor_json);
    };
  };

  // Every contact: the archived ones (usually a page or two), then every live one, from both ends
  // where the CRM allows (sync/both_ends_listing.hpp), from where `at` says; then the cursor for
  // the changes made since `at.started_ms`. The archived ones go first so their call is spent in
  // the rate window's starting burst, not in a window of its own at the end. Each reader reads a
  // few pages ahead.
  const auto read_everything = [&](const Cursor& at) -> Status {
    const std::int64_t started = at.started_ms;
    if (!at.archived_read) {
      Status s = listing_done(read_ahead(
          [&](const upstream::CrmPageCallback& next) { return client_.list_contacts(true, "", next); },
          on_page([&](const upstream::CrmCheckpoint& c) {
            // Until the last archived page, a resumed sync reads them again; the live position stays.
            return full_cursor(c.after.empty(), BothEndsPosition{at.after, at.below}, started);
          }),
          prepare));
      if (!s.ok()) return s;
    }
    Status s = listing_done(read_from_both_ends(client_, BothEndsPosition{at.after, at.below},
                                                [&](upstream::CrmPage&& page, const BothEndsPosition& position) {
                                                  return handle_page(std::move(page),
                                                                     full_cursor(true, position, started));
                                                },
                                                prepare));
    if (!s.ok()) return s;
    // Changes made while the read ran are picked up by the next sync.
    const std::string done = incremental_cursor(started - options_.overlap.count());
    std::vector<upstream::CrmContact> none;
    return write_page(run, lease, connection, region, none, done, result);
  };

  const std::int64_t now = to_epoch_ms(clock_.now());
  if (cursor.phase != "incremental") {
    // A first sync, or a resumed one.
    Cursor at = cursor;
    if (at.started_ms <= 0) at.started_ms = now;
    if (Status s = read_everything(at); !s.ok()) return fail(s.error());
  } else {
    const std::int64_t from = cursor.modified_after_ms;
    // On the first page, search says how many contacts changed; when reading them all is faster
    // (read_everything_is_faster), that page is dropped and everything is read instead. Decided on
    // the listing's thread, so the listing asks for no page after it.
    bool first_page = true;
    bool everything = false;  // written on the listing's thread, read once it has ended
    Status s = listing_done(read_ahead(
        [&](const upstream::CrmPageCallback& next) {
          return client_.list_changed_contacts(from, [&](upstream::CrmPage&& page) -> Status {
            if (std::exchange(first_page, false) && page.total) {
              auto known = leads_.count_connection_leads(connection.tenant_id, connection.id);
              if (known.ok() && read_everything_is_faster(*page.total, *known, options_)) {
                everything = true;
                return make_error(core::ErrorCode::interrupted, "reading every contact instead of the changes");
              }
            }
            return next(std::move(page));
          });
        },
        on_page([this, from](const upstream::CrmCheckpoint& c) {
          return incremental_cursor(std::max(from, c.modified_after_ms - options_.overlap.count()));
        }),
        prepare));
    if (everything) {
      spdlog::info("event=crm_changes_read_in_full tenant={} connection={} (many changes: every contact is read)",
                   connection.tenant_id.value(), connection.id.value());
      Cursor fresh;
      fresh.phase = "full";
      fresh.started_ms = now;
      if (Status all = read_everything(fresh); !all.ok()) return fail(all.error());
    } else {
      if (!s.ok()) return fail(s.error());
      // Search never returns archived contacts: read the (usually short) archived list again.
      s = listing_done(read_ahead(
          [&](const upstream::CrmPageCallback& next) { return client_.list_contacts(true, "", next); },
          on_page([](const upstream::CrmCheckpoint&) { return std::string(); }), prepare));
      if (!s.ok()) return fail(s.error());
    }
  }
  result.outcome.state = core::RunState::succeeded;
  result.outcome.counts_json = Json{
      {"leads",
       {{"created", result.created},
        {"updated", result.updated},
        {"unchanged", result.unchanged},
        {"archived_in_crm", result.archived},
        {"pages", p.pages},
        {"contacts", p.records},
        {"store_ms", result.store_time.count() / 1000}}}}.dump();
  return result;
}

}  // namespace tenantsync::sync
