#pragma once
// The demo data behind `tenantsync-sim --seed-demo` (docs/simulator.md, "Demo seed").
#include "bolna_sim.hpp"
#include "core/result.hpp"
#include "hubspot_sim.hpp"

namespace tenantsync::sim {

/// Creates acct-demo-1 (key bn-demo-key-1: 3 agents, 4 numbers, 2 batches per agent, 40 executions)
/// and acct-demo-2 (key bn-demo-key-2: 1 agent, 1 number, 1 batch, 5 executions), over 20 days.
Status seed_demo(BolnaSim& bolna);
/// Creates HubSpot portal 4000001: private-app token pat-demo-hubspot-1, OAuth refresh token
/// hs-demo-refresh-1 (client demo-client / demo-secret), 3 owners and 25 contacts.
Status seed_demo(HubSpotSim& hubspot);

}  // namespace tenantsync::sim
