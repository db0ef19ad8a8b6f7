#include "api/tenant_slots.hpp"

#include <gtest/gtest.h>

namespace tenantsync::api {
namespace {

TEST(TenantSlots, CapsEachTenantApartAndGivesSlotsBack) {
  TenantSlots slots(2);
  const TenantId a{1};
  const TenantId b{2};
  auto first = slots.try_acquire(a);
  auto second = slots.try_acquire(a);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(slots.try_acquire(a), nullptr);
  EXPECT_EQ(slots.held(a), 2);
  // Another tenant is not affected by a's slots.
  auto other = slots.try_acquire(b);
  EXPECT_NE(other, nullptr);
  // A copy holds the same slot; the slot returns when the last copy goes.
  auto copy = first;
  first.reset();
  EXPECT_EQ(slots.try_acquire(a), nullptr);
  copy.reset();
  EXPECT_EQ(slots.held(a), 1);
  EXPECT_NE(slots.try_acquire(a), nullptr);
}

TEST(TenantSlots, ZeroMeansNoCap) {
  TenantSlots slots(0);
  std::vector<TenantSlots::Slot> held;
  for (int i = 0; i < 100; ++i) held.push_back(slots.try_acquire(TenantId{7}));
  for (const auto& s : held) EXPECT_NE(s, nullptr);
  EXPECT_EQ(slots.held(TenantId{7}), 100);
}

TEST(TenantSlots, ASlotMayOutliveItsCounter) {
  TenantSlots::Slot kept;
  {
    TenantSlots slots(1);
    kept = slots.try_acquire(TenantId{3});
    ASSERT_NE(kept, nullptr);
  }
  kept.reset();  // gives back to the counts the slot shares, not to the gone object
  SUCCEED();
}

}  // namespace
}  // namespace tenantsync::api
