#include "demo_seed.hpp"

namespace tenantsync::sim {
namespace {

// The CRMs' demo refresh token ("hs-demo-refresh-1", "sf-demo-refresh-1") for the demo client.
nlohmann::json demo_refresh_tokens(const std::string& crm) {
  return nlohmann::json::array({{{"refresh_token", crm + "-demo-refresh-1"},
                                 {"client_id", "demo-client"},
                                 {"client_secret", "demo-secret"}}});
}

}  // namespace

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
                                        {"refresh_tokens", demo_refresh_tokens("hs")}});
  if (!created) return created.error();
  auto generated = hubspot.generate(4000001, {.contacts = 25, .owners = 3, .days = 20, .seed = 1});
  if (!generated) return generated.error();
  return {};
}

Status seed_demo(SalesforceSim& salesforce) {
  auto created = salesforce.create_org({{"org_id", kDemoSalesforceOrgId},
                                        {"name", "Demo Sales Co"},
                                        {"refresh_tokens", demo_refresh_tokens("sf")}});
  if (!created) return created.error();
  auto generated = salesforce.generate(kDemoSalesforceOrgId,
                                       {.leads = 12, .contacts = 8, .owners = 2, .days = 20, .seed = 1});
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
