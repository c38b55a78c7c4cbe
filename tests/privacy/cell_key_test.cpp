// CellKeyIndex against std::map on many keys: positions in insertion order,
// every key found again after the table grew past its expected size.
#include "privacy/cell_key.hpp"

#include <map>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

namespace mpdstat {
namespace {

using Tuple = std::tuple<uint32_t, uint32_t, std::vector<uint32_t>>;

TEST(CellKeyIndex, NumbersKeysInInsertionOrderAndFindsThemAfterGrowing) {
    CellKeyIndex index(10);  // far fewer than inserted: the table grows many times
    std::map<Tuple, uint32_t> expected;
    std::mt19937 rng(7);
    // Small ranges, so that many keys repeat and many differ in one field only.
    std::uniform_int_distribution<uint32_t> small(0, 6), zones(1, 2);
    for (int i = 0; i < 20'000; ++i) {
        std::vector<uint32_t> z(zones(rng));
        for (auto& v : z) v = small(rng) * 1000;
        const Tuple t{small(rng), small(rng), z};
        const auto [position, added] = index.insert(CellKey(std::get<0>(t), std::get<1>(t), std::get<2>(t)));
        const auto [it, fresh] = expected.emplace(t, static_cast<uint32_t>(expected.size()));
        EXPECT_EQ(added, fresh) << i;
        EXPECT_EQ(position, it->second) << i;
    }
    EXPECT_EQ(index.size(), expected.size());
    EXPECT_GT(expected.size(), 1000u);
    for (const auto& [t, position] : expected)
        EXPECT_EQ(index.find(CellKey(std::get<0>(t), std::get<1>(t), std::get<2>(t))), int64_t(position));
    // One zone column is not two with the second unset: 4 000 and (4 000, 0) differ.
    EXPECT_EQ(index.find(CellKey(1, 2, {7})), -1);
    const auto [p1, a1] = index.insert(CellKey(99, 0, {4000}));
    const auto [p2, a2] = index.insert(CellKey(99, 0, {4000, 0}));
    EXPECT_TRUE(a1 && a2);
    EXPECT_NE(p1, p2);
}

}  // namespace
}  // namespace mpdstat
