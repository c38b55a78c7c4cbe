// Secondary suppression, worked by hand: who gets suppressed, and an attacker
// who tries to recover the suppressed values from parents, siblings and totals.
#include <iostream>
#include <random>

#include <gtest/gtest.h>

#include "privacy/released_table.hpp"
#include "sdc_test_util.hpp"

namespace mpdstat {
namespace {

using test::counts_at_every_level;
using test::make_hierarchy;
using test::recoverable_cells;
using test::zone_index;
using Finest = std::map<std::pair<std::vector<uint32_t>, std::string>, uint64_t>;

const std::string kT = "2024-01-01T00:00+00:00";

// country C > regions R1, R2 > districts D11, D12, D13 (R1), D21, D22 (R2)
ZoneHierarchyView three_levels() {
    return make_hierarchy({"country", "region", "district"},
                          {{{"C", ""}},
                           {{"R1", "C"}, {"R2", "C"}},
                           {{"D11", "R1"}, {"D12", "R1"}, {"D13", "R1"}, {"D21", "R2"}, {"D22", "R2"}}});
}

std::map<std::string, RowStatus> status_by_zone(const ReleasedTable& r, const ZoneHierarchyView& h) {
    std::map<std::string, RowStatus> out;
    for (size_t i = 0; i < r.size(); ++i) {
        const auto& row = r.table().rows[i];
        std::string id;
        for (uint32_t z : row.zones) id += (id.empty() ? "" : ">") + h.zone_ids[row.level][z];
        out[id + (row.keys.empty() ? "" : "@" + row.keys[0])] = r.status()[i];
    }
    return out;
}

TEST(SecondarySuppression, OneSmallDistrictCostsExactlyOneSibling) {
    const auto h = three_levels();
    // D11 = 4 fails; its siblings D12 = 30, D13 = 20 pass; R1 = 54, R2 = 110, C = 164 pass.
    Finest f{{{{0}, kT}, 4}, {{{1}, kT}, 30}, {{{2}, kT}, 20}, {{{3}, kT}, 50}, {{{4}, kT}, 60}};
    const AggregateTable t = counts_at_every_level(h, "present_population", {"zone_id"}, f);
    ASSERT_EQ(t.rows.size(), 8u);
    const ReleasedTable r = release(t, h, SdcConfig{});
    EXPECT_EQ(r.summary().primary_suppressed, 1u);
    EXPECT_EQ(r.summary().secondary_suppressed, 1u);
    EXPECT_EQ(r.summary().released, 6u);
    auto s = status_by_zone(r, h);
    EXPECT_EQ(s["D11@" + kT], RowStatus::suppressed);  // primary
    EXPECT_EQ(s["D13@" + kT], RowStatus::suppressed);  // the smaller released sibling (20 < 30)
    EXPECT_EQ(s["D12@" + kT], RowStatus::ok);
    EXPECT_EQ(s["R1@" + kT], RowStatus::ok);
    EXPECT_EQ(s["C@" + kT], RowStatus::ok);

    // The attack: R1 − D12 = 54 − 30 = 24 = D11 + D13, but not either of them.
    EXPECT_TRUE(recoverable_cells(r, t, h).empty());
    // Without secondary suppression the same attacker gets D11 = 54 − 30 − 20 = 4.
    SdcConfig off;
    off.secondary = false;
    const ReleasedTable weak = release(t, h, off);
    auto got = recoverable_cells(weak, t, h);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(weak.table().rows[got[0].first].zones[0], zone_index(h, 2, "D11"));
    EXPECT_DOUBLE_EQ(got[0].second, 4.0);
}

TEST(SecondarySuppression, TiesGoToTheFirstZone) {
    const auto h = three_levels();
    Finest f{{{{0}, kT}, 4}, {{{1}, kT}, 20}, {{{2}, kT}, 20}, {{{3}, kT}, 50}, {{{4}, kT}, 60}};
    const ReleasedTable r = release(counts_at_every_level(h, "p", {"zone_id"}, f), h, SdcConfig{});
    auto s = status_by_zone(r, h);
    EXPECT_EQ(s["D12@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["D13@" + kT], RowStatus::ok);
}

TEST(SecondarySuppression, TopLevelIsProtectedAgainstTheTotal) {
    // Regions are the top level: R1 (two districts of 5 and 5) fails; the total over regions is known
    // to the attacker (e.g. a national figure), so one more region must go: R2 (40 < R3's 70). R2's
    // districts (20 + 20) would then give R2 back, so one of them goes too: D21 (tie → first zone).
    const auto h = make_hierarchy({"region", "district"},
                                  {{{"R1", ""}, {"R2", ""}, {"R3", ""}},
                                   {{"D11", "R1"}, {"D12", "R1"}, {"D21", "R2"}, {"D22", "R2"}, {"D31", "R3"}, {"D32", "R3"}}});
    Finest f{{{{0}, kT}, 5}, {{{1}, kT}, 5}, {{{2}, kT}, 20}, {{{3}, kT}, 20}, {{{4}, kT}, 30}, {{{5}, kT}, 40}};
    const AggregateTable t = counts_at_every_level(h, "p", {"zone_id"}, f);
    const ReleasedTable r = release(t, h, SdcConfig{});
    auto s = status_by_zone(r, h);
    EXPECT_EQ(s["R1@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["D11@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["D12@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["R2@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["D21@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["D22@" + kT], RowStatus::ok);
    EXPECT_EQ(s["R3@" + kT], RowStatus::ok);
    EXPECT_EQ(r.summary().primary_suppressed, 3u);
    EXPECT_EQ(r.summary().secondary_suppressed, 2u);
    // Total 120 − R3 70 = 50 = R1 + R2; R2 − D22 = D21; D21 + D22 … nothing pins down R1, D11 or D12.
    EXPECT_TRUE(recoverable_cells(r, t, h).empty());
}

TEST(SecondarySuppression, ASingleChildIsProtectedThroughItsParent) {
    // R1 = 43 (D11 = 3 fails, D12 = 40), R2 = 10 with one district D21 = 10: R2 and D21 both fail.
    // Among regions R2 alone is suppressed, and the total is known: R1 goes too. Group R1 then holds
    // two unknowns (R1, D11), so D12 stays. The chain D11 – R1 – R2 – D21 has two free ends: the
    // attacker gets R1 − D11 = 40 and R1 + R2 = 53 and R2 = D21, three equations in four unknowns.
    const auto h = make_hierarchy({"region", "district"},
                                  {{{"R1", ""}, {"R2", ""}}, {{"D11", "R1"}, {"D12", "R1"}, {"D21", "R2"}}});
    Finest f{{{{0}, kT}, 3}, {{{1}, kT}, 40}, {{{2}, kT}, 10}};
    const AggregateTable t = counts_at_every_level(h, "p", {"zone_id"}, f);
    const ReleasedTable r = release(t, h, SdcConfig{});
    EXPECT_EQ(r.summary().primary_suppressed, 3u);
    EXPECT_EQ(r.summary().secondary_suppressed, 1u);
    auto s = status_by_zone(r, h);
    EXPECT_EQ(s["R1@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["D12@" + kT], RowStatus::ok);
    EXPECT_TRUE(recoverable_cells(r, t, h).empty());
}

TEST(SecondarySuppression, ASingleSuppressedChildOfAReleasedParentTakesTheParent) {
    // Weighted devices: R1's only district row D11 has support 10 but R1 has 20 (the other
    // ten devices' rows at district level are absent, e.g. weights rounded away). D11 = R1 − 0
    // would be read off R1, so R1 goes; R1 alone suppressed among regions → R2 goes.
    const auto h = make_hierarchy({"region", "district"}, {{{"R1", ""}, {"R2", ""}}, {{"D11", "R1"}, {"D21", "R2"}}});
    AggregateTable t;
    t.name = "p";
    t.zone_columns = {"zone_id"};
    t.value_columns = {"devices"};
    t.rows = {{0, {0}, {}, {20}, 20}, {0, {1}, {}, {30}, 30}, {1, {0}, {}, {10}, 10}, {1, {1}, {}, {30}, 30}};
    const ReleasedTable r = release(t, h, SdcConfig{});
    EXPECT_EQ(r.summary().primary_suppressed, 1u);
    EXPECT_EQ(r.summary().secondary_suppressed, 3u);  // R1, then R2 (total), then D21 (R2's only child)
    EXPECT_EQ(r.summary().released, 0u);
}

TEST(SecondarySuppression, OriginDestinationPairsMapTogether) {
    // Two regions with two districts each; OD pairs at district level and region level.
    const auto h = make_hierarchy({"region", "district"},
                                  {{{"R1", ""}, {"R2", ""}}, {{"A", "R1"}, {"B", "R1"}, {"C", "R2"}, {"D", "R2"}}});
    Finest f;
    uint64_t n = 20;
    for (uint32_t o = 0; o < 4; ++o)
        for (uint32_t d = 0; d < 4; ++d) f[{{o, d}, kT}] = n++;  // 20 … 35
    f[{{0, 2}, kT}] = 7;                                        // A → C fails
    const AggregateTable t = counts_at_every_level(h, "od_trips", {"origin", "destination"}, f);
    ASSERT_EQ(t.rows.size(), 16u + 4u);
    const ReleasedTable r = release(t, h, SdcConfig{});
    auto s = status_by_zone(r, h);
    // Group of (R1, R2): A→C (7), A→D (23), B→C (26), B→D (27): A→D is the smallest released.
    EXPECT_EQ(s["A>C@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["A>D@" + kT], RowStatus::suppressed);
    EXPECT_EQ(s["B>C@" + kT], RowStatus::ok);
    EXPECT_EQ(s["R1>R2@" + kT], RowStatus::ok);
    EXPECT_EQ(r.summary().secondary_suppressed, 1u);
    EXPECT_TRUE(recoverable_cells(r, t, h).empty());
    SdcConfig off;
    off.secondary = false;
    EXPECT_EQ(recoverable_cells(release(t, h, off), t, h).size(), 1u);
}

// A random three-level table, several time points, many small counts.
struct RandomCase {
    ZoneHierarchyView h;
    AggregateTable t;
};

RandomCase random_case(uint64_t seed, bool od) {
    std::mt19937_64 rng(seed);
    std::vector<std::vector<std::pair<std::string, std::string>>> zones(3);
    for (int r = 0; r < 4; ++r) {
        std::string rid = "R" + std::to_string(r);
        zones[0].push_back({rid, ""});
        const int districts = 1 + static_cast<int>(rng() % 4);
        for (int d = 0; d < districts; ++d) {
            std::string did = rid + "D" + std::to_string(d);
            zones[1].push_back({did, rid});
            const int communes = 1 + static_cast<int>(rng() % 4);
            for (int c = 0; c < communes; ++c) zones[2].push_back({did + "C" + std::to_string(c), did});
        }
    }
    RandomCase rc;
    rc.h = make_hierarchy({"region", "district", "commune"}, zones);
    const uint32_t n = static_cast<uint32_t>(zones[2].size());
    Finest f;
    for (int k = 0; k < 3; ++k) {
        const std::string key = "2024-01-01T0" + std::to_string(k) + ":00+00:00";
        if (od) {
            for (int trip = 0; trip < 60; ++trip) {
                uint32_t o = static_cast<uint32_t>(rng() % n), d = static_cast<uint32_t>(rng() % n);
                f[{{o, d}, key}] += 1 + rng() % 8;
            }
        } else {
            for (uint32_t z = 0; z < n; ++z)
                if (rng() % 5) f[{{z}, key}] = rng() % 40;  // some absent, many under 15
        }
    }
    rc.t = counts_at_every_level(rc.h, od ? "od" : "present", od ? std::vector<std::string>{"origin", "destination"}
                                                                 : std::vector<std::string>{"zone_id"}, f);
    return rc;
}

TEST(SecondarySuppression, RandomTablesReleaseNothingBelowTheThresholdAndNothingRecoverable) {
    for (bool od : {false, true}) {
        uint64_t secondary = 0, recovered_without = 0;
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            SCOPED_TRACE(testing::Message() << "seed " << seed << (od ? " od" : ""));
            const RandomCase rc = random_case(seed, od);
            const ReleasedTable r = release(rc.t, rc.h, SdcConfig{});
            AggregateTable sorted = rc.t;
            std::sort(sorted.rows.begin(), sorted.rows.end(), canonical_less);
            ASSERT_EQ(r.size(), sorted.rows.size());
            uint64_t suppressed = 0;
            for (size_t i = 0; i < r.size(); ++i) {
                if (r.status()[i] != RowStatus::ok) { ++suppressed; continue; }
                // Released: rests on at least min_devices devices, values untouched.
                EXPECT_GE(sorted.rows[i].support, 15u);
                EXPECT_EQ(r.table().rows[i].support, sorted.rows[i].support);
                EXPECT_EQ(r.table().rows[i].values, sorted.rows[i].values);
            }
            EXPECT_EQ(suppressed, r.summary().primary_suppressed + r.summary().secondary_suppressed);
            EXPECT_GT(r.summary().primary_suppressed, 0u);
            auto rec = recoverable_cells(r, rc.t, rc.h);
            EXPECT_TRUE(rec.empty()) << rec.size() << " suppressed cells recoverable";
            // Input order does not matter.
            AggregateTable shuffled = rc.t;
            std::shuffle(shuffled.rows.begin(), shuffled.rows.end(), std::mt19937_64(seed));
            EXPECT_EQ(release(shuffled, rc.h, SdcConfig{}).status(), r.status());
            secondary += r.summary().secondary_suppressed;
            SdcConfig off;
            off.secondary = false;
            recovered_without += recoverable_cells(release(rc.t, rc.h, off), rc.t, rc.h).size();
        }
        // The cases are not trivial: secondary suppression had work to do, and without it the
        // attacker does recover suppressed cells.
        EXPECT_GT(secondary, 20u);
        EXPECT_GT(recovered_without, 20u);
        std::cout << (od ? "od" : "zones") << ": " << secondary << " secondary suppressions; without them "
                  << recovered_without << " suppressed cells recovered\n";
    }
}

}  // namespace
}  // namespace mpdstat
