#include "demo_seed.hpp"

namespace tenantsync::sim {

Status seed_demo(BolnaSim& bolna) {
  struct DemoAccount {
    const char* id;
    const char* key;
    const char* name;
    const char* email;
    BolnaGenerateSpec data;
  };
  const DemoAccount accounts[] = {
      {"acct-demo-1",
       "bn-demo-key-1",
       "Demo Voice Co (account 1)",
       "owner@demo-one.example",
       {.agents = 3, .phone_numbers = 4, .batches = 2, .executions = 40, .days = 20, .seed = 1}},
      {"acct-demo-2",
       "bn-demo-key-2",
       "Demo Voice Co (account 2)",
       "owner@demo-two.example",
       {.agents = 1, .phone_numbers = 1, .batches = 1, .executions = 5, .days = 20, .seed = 2}},
  };
  for (const auto& account : accounts) {
    auto created = bolna.create_account(
        {{"id", account.id}, {"key", account.key}, {"name", account.name}, {"email", account.email}});
    if (!created) return created.error();
    auto generated = bolna.generate(account.id, account.data);
    if (!generated) return generated.error();
  }
  return {};
}

Status seed_demo(HubSpotSim& hubspot) {
  auto created = hubspot.create_portal({{"portal_id", 4000001},
                                        {"tokens", {"pat-demo-hubspot-1"}},
                                        {"refresh_tokens",
                                         {{{"refresh_token", "hs-demo-refresh-1"},
                                           {"client_id", "demo-client"},
                                           {"client_secret", "demo-secret"}}}}});
  if (!created) return created.error();
  HubSpotGenerateSpec spec;
  spec.contacts = 25;
  spec.owners = 3;
  spec.days = 20;
  spec.seed = 1;
  auto generated = hubspot.generate(4000001, spec);
  if (!generated) return generated.error();
  return {};
}

Status seed_demo(SalesforceSim& salesforce) {
  auto created = salesforce.create_org({{"org_id", kDemoSalesforceOrgId},
                                        {"name", "Demo Sales Co"},
                                        {"refresh_tokens",
                                         {{{"refresh_token", "sf-demo-refresh-1"},
                                           {"client_id", "demo-client"},
                                           {"client_secret", "demo-secret"}}}}});
  if (!created) return created.error();
  SalesforceGenerateSpec spec;
  spec.leads = 12;
  spec.contacts = 8;
  spec.owners = 2;
  spec.days = 20;
  spec.seed = 1;
  auto generated = salesforce.generate(kDemoSalesforceOrgId, spec);
  if (!generated) return generated.error();
  return {};
}

Status seed_demo(NangoSim& nango) {
  nango.add_secret_key("nango-demo-secret");
  for (const auto& spec : {nlohmann::json{{"connection_id", "demo-hubspot"},
                                          {"provider_config_key", "hubspot"},
                                          {"provider", "hubspot"},
                                          {"portal_id", 4000001}},
                           nlohmann::json{{"connection_id", "demo-salesforce"},
                                          {"provider_config_key", "salesforce"},
                                          {"provider", "salesforce"},
                                          {"org_id", kDemoSalesforceOrgId}}}) {
    auto created = nango.create_connection(spec);
    if (!created) return created.error();
  }
  return {};
}

}  // namespace tenantsync::sim
