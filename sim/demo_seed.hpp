#pragma once
// The demo data behind `tenantsync-sim --seed-demo` (docs/simulator.md, "Demo seed").
#include "bolna_sim.hpp"
#include "hubspot_sim.hpp"
#include "nango_sim.hpp"
#include "salesforce_sim.hpp"
#include "sim_result.hpp"

namespace tenantsync::sim {

/// Creates acct-demo-1 (key bn-demo-key-1: 3 agents, 4 numbers, 2 batches per agent, 40 executions)
/// and acct-demo-2 (key bn-demo-key-2: 1 agent, 1 number, 1 batch, 5 executions), over 20 days.
Status seed_demo(BolnaSim& bolna);
/// Creates HubSpot portal 4000001: private-app token pat-demo-hubspot-1, OAuth refresh token
/// hs-demo-refresh-1 (client demo-client / demo-secret), 3 owners and 25 contacts.
Status seed_demo(HubSpotSim& hubspot);

/// The demo Salesforce org's id.
inline constexpr const char* kDemoSalesforceOrgId = "00D5g000004DEMOEA4";
/// Creates Salesforce org kDemoSalesforceOrgId: refresh token sf-demo-refresh-1 (client
/// demo-client / demo-secret), 2 owners, 12 Leads and 8 Contacts.
Status seed_demo(SalesforceSim& salesforce);
/// Accepts Nango secret key nango-demo-secret and creates connections demo-hubspot (provider
/// config key hubspot → portal 4000001) and demo-salesforce (salesforce → the demo org); seed
/// HubSpot and Salesforce first.
Status seed_demo(NangoSim& nango);

}  // namespace tenantsync::sim
