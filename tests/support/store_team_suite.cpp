// The Store suite, teams: memberships and their roles, invitations accepted with a new password
// or with an existing login, the last-owner rule, removing a member, and erasing a tenant whose
// members belong elsewhere too. Runs on SQLite (tenantsync_unittest) and PostgreSQL
// (tenantsync_pgtest), so the team SQL cannot drift between the backends.
#include <string>
#include <vector>

#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kWeek = 7 * 24 * 3'600'000LL;

struct Owner {
  TenantId tenant{0};
  UserId user{0};
  std::string email;
};

Owner make_owner(Store& store, const std::string& name) {
  const std::string email = name + "@example.test";
  auto created = store.create_tenant_with_user(name, email, "hash-" + name, at(kNow));
  EXPECT_TRUE(created.ok()) << created.error().message;
  if (!created.ok()) return {};
  return {created->first.id, created->second.id, email};
}

Invitation invite(Store& store, const Owner& by, const std::string& token_hash, const std::string& email,
                  core::Role role) {
  auto created = store.create_invitation(by.tenant, token_hash, email, role, by.user, at(kNow), at(kNow + kWeek));
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? *created : Invitation{};
}

std::vector<TenantId> tenants_of(Store& store, UserId user) {
  auto listed = store.list_memberships(user);
  EXPECT_TRUE(listed.ok()) << listed.error().message;
  std::vector<TenantId> out;
  if (listed.ok())
    for (const auto& m : *listed) out.push_back(m.tenant_id);
  return out;
}

// The role a fresh token of `user` in `tenant` carries, or nullopt when none can be made.
std::optional<core::Role> session_role(Store& store, UserId user, TenantId tenant, const std::string& hash) {
  if (!store.create_token(hash, user, tenant, at(kNow), at(kNow + kWeek)).ok()) return std::nullopt;
  auto session = store.find_session(hash, at(kNow + 1));
  EXPECT_TRUE(session.ok());
  if (!session.ok() || !*session) return std::nullopt;
  EXPECT_EQ((*session)->tenant_id, tenant);
  return (*session)->role;
}

TEST_P(StoreSuite, ATenantsFirstUserOwnsItAndAnInvitationAddsAMemberWithItsRole) {
  const Owner acme = make_owner(*store_, "acme");
  EXPECT_EQ(session_role(*store_, acme.user, acme.tenant, "t-owner"), core::Role::owner);
  auto user = store_->find_user_by_email(acme.email);
  ASSERT_TRUE(user.ok() && *user);
  EXPECT_EQ((*user)->tenant_id, acme.tenant);
  EXPECT_EQ((*user)->role, core::Role::owner);

  invite(*store_, acme, "inv-1", "Ann@Example.test ", core::Role::member);
  auto accepted = store_->accept_invitation("inv-1", "hash-ann", at(kNow + 5));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->email, "ann@example.test");
  EXPECT_EQ(accepted->role, core::Role::member);
  EXPECT_EQ(accepted->created_at_ms, kNow + 5);
  EXPECT_EQ(session_role(*store_, accepted->id, acme.tenant, "t-ann"), core::Role::member);

  auto members = store_->list_members(acme.tenant);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ(members->at(0).role, core::Role::owner);
  EXPECT_EQ(members->at(1).email, "ann@example.test");

  // Single use: the same token again is not found, and so is an expired one.
  EXPECT_TRUE(store_->accept_invitation("inv-1", "hash-x", at(kNow + 6)).error().is(core::ErrorCode::not_found));
  invite(*store_, acme, "inv-late", "late@example.test", core::Role::viewer);
  EXPECT_TRUE(store_->accept_invitation("inv-late", "hash-x", at(kNow + kWeek + 1))
                  .error()
                  .is(core::ErrorCode::not_found));
}

TEST_P(StoreSuite, ThePersonOfAnExistingLoginJoinsWithItAndNotWithANewPassword) {
  const Owner acme = make_owner(*store_, "acme");
  const Owner globex = make_owner(*store_, "globex");

  // A new account for an e-mail that has one is refused, and the invitation stays usable.
  invite(*store_, acme, "inv-g", globex.email, core::Role::admin);
  EXPECT_TRUE(
      store_->accept_invitation("inv-g", "hash-2", at(kNow + 1)).error().is(core::ErrorCode::email_taken));
  // Another login cannot use the link, and the refusal uses nothing up either.
  EXPECT_TRUE(store_->accept_invitation_as("inv-g", acme.user, at(kNow + 2))
                  .error()
                  .is(core::ErrorCode::invitation_email_mismatch));

  auto joined = store_->accept_invitation_as("inv-g", globex.user, at(kNow + 3));
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  EXPECT_EQ(joined->id, globex.user);
  EXPECT_EQ(joined->role, core::Role::admin);
  EXPECT_EQ(tenants_of(*store_, globex.user), (std::vector<TenantId>{acme.tenant, globex.tenant}));
  EXPECT_EQ(session_role(*store_, globex.user, acme.tenant, "t-g-acme"), core::Role::admin);
  EXPECT_EQ(session_role(*store_, globex.user, globex.tenant, "t-g-home"), core::Role::owner);
  auto memberships = store_->list_memberships(globex.user);
  ASSERT_TRUE(memberships.ok());
  EXPECT_EQ(memberships->at(0).tenant_name, "acme");
  // The login still opens its home tenant first.
  EXPECT_EQ((*store_->find_user_by_email(globex.email))->tenant_id, globex.tenant);

  // Once a member, a second invitation to the same tenant is "already_member" and stays unused.
  invite(*store_, acme, "inv-g2", globex.email, core::Role::viewer);
  EXPECT_TRUE(store_->accept_invitation_as("inv-g2", globex.user, at(kNow + 4))
                  .error()
                  .is(core::ErrorCode::already_member));
  auto pending = store_->find_invitation("inv-g2", at(kNow + 5));
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->has_value()) << "a refused accept used the invitation";
  // No token is made for a tenant the person does not belong to.
  const Owner initech = make_owner(*store_, "initech");
  EXPECT_FALSE(session_role(*store_, globex.user, initech.tenant, "t-g-initech"));
}

TEST_P(StoreSuite, TheLastOwnerOfATenantStaysWhateverTheOrder) {
  const Owner acme = make_owner(*store_, "acme");
  EXPECT_TRUE(store_->set_member_role(acme.tenant, acme.user, core::Role::admin).error().is(core::ErrorCode::last_owner));
  EXPECT_TRUE(store_->remove_member(acme.tenant, acme.user).error().is(core::ErrorCode::last_owner));

  invite(*store_, acme, "inv-b", "bo@example.test", core::Role::owner);
  auto bo = store_->accept_invitation("inv-b", "hash-bo", at(kNow + 1));
  ASSERT_TRUE(bo.ok()) << bo.error().message;
  auto demoted = store_->set_member_role(acme.tenant, acme.user, core::Role::viewer);
  ASSERT_TRUE(demoted.ok()) << demoted.error().message;
  EXPECT_EQ(demoted->role, core::Role::viewer);
  EXPECT_EQ(demoted->email, acme.email);
  EXPECT_TRUE(store_->remove_member(acme.tenant, bo->id).error().is(core::ErrorCode::last_owner));
  // A membership elsewhere does not count as an owner here.
  const Owner globex = make_owner(*store_, "globex");
  EXPECT_TRUE(store_->set_member_role(acme.tenant, globex.user, core::Role::owner).error().is(core::ErrorCode::not_found));
  EXPECT_TRUE(store_->set_member_role(acme.tenant, bo->id, core::Role::member).error().is(core::ErrorCode::last_owner));
}

TEST_P(StoreSuite, RemovingAMemberSignsThemOutThereAndKeepsALoginThatBelongsElsewhere) {
  const Owner acme = make_owner(*store_, "acme");
  const Owner globex = make_owner(*store_, "globex");
  invite(*store_, acme, "inv-g", globex.email, core::Role::member);
  ASSERT_TRUE(store_->accept_invitation_as("inv-g", globex.user, at(kNow + 1)).ok());
  ASSERT_TRUE(session_role(*store_, globex.user, acme.tenant, "t-acme"));
  ASSERT_TRUE(session_role(*store_, globex.user, globex.tenant, "t-home"));

  ASSERT_TRUE(store_->remove_member(acme.tenant, globex.user).ok());
  EXPECT_FALSE(*store_->find_session("t-acme", at(kNow + 2))) << "the removed member's token still works";
  EXPECT_TRUE(*store_->find_session("t-home", at(kNow + 2))) << "a token of another tenant was revoked";
  EXPECT_EQ(tenants_of(*store_, globex.user), (std::vector<TenantId>{globex.tenant}));
  EXPECT_TRUE(*store_->find_user_by_email(globex.email));

  // Removed from the home tenant, a person who belongs elsewhere keeps the login, now at home there.
  invite(*store_, acme, "inv-g2", globex.email, core::Role::owner);
  ASSERT_TRUE(store_->accept_invitation_as("inv-g2", globex.user, at(kNow + 3)).ok());
  invite(*store_, globex, "inv-o", "other@example.test", core::Role::owner);
  ASSERT_TRUE(store_->accept_invitation("inv-o", "hash-o", at(kNow + 4)).ok());
  ASSERT_TRUE(store_->remove_member(globex.tenant, globex.user).ok());
  auto moved = store_->find_user_by_email(globex.email);
  ASSERT_TRUE(moved.ok() && *moved);
  EXPECT_EQ((*moved)->tenant_id, acme.tenant);
  EXPECT_EQ((*moved)->role, core::Role::owner);

  // Removed from the only tenant, the person's login goes.
  invite(*store_, acme, "inv-s", "solo@example.test", core::Role::viewer);
  auto solo = store_->accept_invitation("inv-s", "hash-s", at(kNow + 5));
  ASSERT_TRUE(solo.ok());
  ASSERT_TRUE(store_->remove_member(acme.tenant, solo->id).ok());
  EXPECT_FALSE(*store_->find_user_by_email("solo@example.test"));
  EXPECT_TRUE(store_->remove_member(acme.tenant, solo->id).error().is(core::ErrorCode::not_found));
}

TEST_P(StoreSuite, ErasingATenantKeepsTheLoginsOfPeopleWhoBelongElsewhere) {
  const Owner acme = make_owner(*store_, "acme");
  const Owner globex = make_owner(*store_, "globex");
  // Acme's owner joins Globex; a viewer belongs to Acme alone.
  invite(*store_, globex, "inv-a", acme.email, core::Role::viewer);
  ASSERT_TRUE(store_->accept_invitation_as("inv-a", acme.user, at(kNow + 1)).ok());
  invite(*store_, acme, "inv-v", "viewer@example.test", core::Role::viewer);
  ASSERT_TRUE(store_->accept_invitation("inv-v", "hash-v", at(kNow + 2)).ok());
  ASSERT_TRUE(session_role(*store_, acme.user, acme.tenant, "t-acme"));
  ASSERT_TRUE(session_role(*store_, acme.user, globex.tenant, "t-globex"));

  ASSERT_TRUE(store_->delete_tenant(acme.tenant).ok());
  auto kept = store_->find_user_by_email(acme.email);
  ASSERT_TRUE(kept.ok() && *kept);
  EXPECT_EQ((*kept)->tenant_id, globex.tenant);
  EXPECT_EQ((*kept)->role, core::Role::viewer);
  EXPECT_FALSE(*store_->find_user_by_email("viewer@example.test"));
  EXPECT_FALSE(*store_->find_session("t-acme", at(kNow + 3)));
  EXPECT_TRUE(*store_->find_session("t-globex", at(kNow + 3)));
  EXPECT_EQ(tenants_of(*store_, acme.user), (std::vector<TenantId>{globex.tenant}));
  auto members = store_->list_members(globex.tenant);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->size(), 2u);
}

}  // namespace
}  // namespace tenantsync::store::test
