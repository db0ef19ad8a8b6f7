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
      {"acct-demo-1", "bn-demo-key-1", "Demo Voice Co (account 1)", "owner@demo-one.example",
       {.agents = 3, .phone_numbers = 4, .batches = 2, .executions = 40, .days = 20, .seed = 1}},
      {"acct-demo-2", "bn-demo-key-2", "Demo Voice Co (account 2)", "owner@demo-two.example",
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

}  // namespace tenantsync::sim
