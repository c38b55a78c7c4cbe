#include "privacy/disclosure_control.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "test_util.hpp"

namespace mpdstat {
namespace {

// Country → 2 regions (R1, R2) → 5 districts (D1..D3 in R1, D4..D5 in R2).
ZoneHierarchyView hierarchy() {
    ZoneHierarchyView h;
    h.level_names = {"region", "district"};
    h.zone_ids = {{"R1", "R2"}, {"D1", "D2", "D3", "D4", "D5"}};
    h.parent = {{}, {0, 0, 0, 1, 1}};
    return h;
}

AggregateTable table(const std::vector<uint64_t>& district_support) {
    AggregateTable t;
    t.name = "t";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"time"};
    t.value_columns = {"devices"};
    uint64_t r1 = district_support[0] + district_support[1] + district_support[2];
    uint64_t r2 = district_support[3] + district_support[4];
    t.rows.push_back({0, {0}, {"t0"}, {double(r1)}, r1});
    t.rows.push_back({0, {1}, {"t0"}, {double(r2)}, r2});
    for (uint32_t d = 0; d < 5; ++d)
        t.rows.push_back({1, {d}, {"t0"}, {double(district_support[d])}, district_support[d]});
    return t;
}

// What an attacker can recover: a suppressed value is exposed when its parent
// (or the sum of all regions) is known and every sibling is released.
bool any_recoverable(const ReleasedTable& r, const ZoneHierarchyView& h) {
    const auto& rows = r.table().rows;
    auto ok = [&](size_t i) { return r.status()[i] == RowStatus::ok; };
    std::map<std::pair<int64_t, std::string>, std::vector<size_t>> groups;  // (parent row or -1, keys)
    for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].level == 0) {
            groups[{-1, rows[i].keys[0]}].push_back(i);
            continue;
        }
        for (size_t p = 0; p < rows.size(); ++p)
            if (rows[p].level == rows[i].level - 1 && rows[p].keys == rows[i].keys &&
                rows[p].zones[0] == h.parent[rows[i].level][rows[i].zones[0]])
                groups[{int64_t(p), rows[i].keys[0]}].push_back(i);
    }
    for (const auto& [g, children] : groups) {
        if (g.first >= 0 && !ok(size_t(g.first))) continue;
        size_t hidden = 0;
        for (size_t c : children) hidden += !ok(c);
        if (hidden == 1) return true;  // parent − released siblings = the hidden one
    }
    return false;
}

TEST(DisclosureControl, ThresholdIsOnSupportAndInclusive) {
    SdcConfig c;
    c.secondary = false;
    auto r = release(table({15, 14, 40, 50, 60}), hierarchy(), c);
    EXPECT_EQ(r.status()[2], RowStatus::ok);       // D1: 15 devices
    EXPECT_EQ(r.status()[3], RowStatus::primary);  // D2: 14 devices
    // A weighted value far above the threshold does not rescue a row resting on few devices.
    AggregateTable t = table({15, 14, 40, 50, 60});
    t.rows[3].values[0] = 1000;
    EXPECT_EQ(release(t, hierarchy(), c).status()[3], RowStatus::primary);
}

TEST(DisclosureControl, LoneSuppressedDistrictGetsAPartnerAndCannotBeRecovered) {
    SdcConfig c;
    auto h = hierarchy();
    // D1 has 4 devices; R1 = 4 + 30 + 20 is released, so D1 = R1 − D2 − D3 unless one more is hidden.
    auto r = release(table({4, 30, 20, 50, 60}), h, c);
    EXPECT_EQ(r.status()[2], RowStatus::primary);
    EXPECT_EQ(r.status()[4], RowStatus::secondary) << "D3 has the smallest support of D1's siblings";
    EXPECT_EQ(r.status()[3], RowStatus::ok);
    EXPECT_EQ(r.summary().primary, 1u);
    EXPECT_EQ(r.summary().secondary, 1u);
    EXPECT_FALSE(any_recoverable(r, h));
    SdcConfig off;
    off.secondary = false;
    EXPECT_TRUE(any_recoverable(release(table({4, 30, 20, 50, 60}), h, off), h));
}

TEST(DisclosureControl, LoneSuppressedRegionIsProtectedAgainstTheTotal) {
    auto h = hierarchy();
    AggregateTable t;
    t.name = "t";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"time"};
    t.value_columns = {"devices"};
    t.rows.push_back({0, {0}, {"t0"}, {10}, 10});
    t.rows.push_back({0, {1}, {"t0"}, {100}, 100});
    auto r = release(t, h, SdcConfig{});
    EXPECT_EQ(r.status()[0], RowStatus::primary);
    EXPECT_EQ(r.status()[1], RowStatus::secondary);
}

TEST(DisclosureControl, AnOnlyChildTakesItsParentAlong) {
    ZoneHierarchyView h;
    h.level_names = {"region", "district"};
    h.zone_ids = {{"R1", "R2"}, {"D1", "D2"}};
    h.parent = {{}, {0, 1}};
    AggregateTable t;
    t.name = "t";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"k"};
    t.value_columns = {"devices"};
    t.rows.push_back({0, {0}, {"a"}, {20}, 20});  // R1 = D1 (its only child) …
    t.rows.push_back({0, {1}, {"a"}, {50}, 50});
    t.rows.push_back({1, {0}, {"a"}, {20}, 10});  // … which has support below 15 (fewer devices than weight)
    t.rows.push_back({1, {1}, {"a"}, {50}, 50});
    auto r = release(t, h, SdcConfig{});
    EXPECT_EQ(r.status()[2], RowStatus::primary);
    EXPECT_NE(r.status()[0], RowStatus::ok);
    EXPECT_NE(r.status()[1], RowStatus::ok) << "then R1 is alone among the regions";
}

TEST(DisclosureControl, RandomTablesNeverReleaseSmallOrRecoverableValues) {
    std::mt19937 rng(7);
    auto h = hierarchy();
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<uint64_t> s(5);
        for (auto& x : s) x = rng() % 40;
        auto r = release(table(s), h, SdcConfig{});
        for (size_t i = 0; i < r.table().rows.size(); ++i)
            if (r.status()[i] == RowStatus::ok) {
                EXPECT_GE(r.table().rows[i].support, 15u);
            }
        EXPECT_FALSE(any_recoverable(r, h)) << "trial " << trial;
    }
}

TEST(DisclosureControl, OdPairsRollUpBothEnds) {
    auto h = hierarchy();
    AggregateTable t;
    t.name = "od";
    t.zone_columns = {"origin", "destination"};
    t.key_columns = {"date"};
    t.value_columns = {"trips", "devices"};
    t.additive_values = 2;
    t.rows.push_back({0, {0, 1}, {"d"}, {60, 40}, 40});  // R1 → R2
    t.rows.push_back({1, {0, 3}, {"d"}, {10, 5}, 5});    // D1 → D4
    t.rows.push_back({1, {1, 3}, {"d"}, {30, 20}, 20});  // D2 → D4
    t.rows.push_back({1, {2, 4}, {"d"}, {20, 16}, 16});  // D3 → D5
    auto r = release(t, h, SdcConfig{});
    EXPECT_EQ(r.status()[1], RowStatus::primary);
    EXPECT_EQ(r.status()[3], RowStatus::secondary);  // smallest support among the pair's siblings
    EXPECT_EQ(r.status()[2], RowStatus::ok);
}

TEST(DisclosureControl, WriterFormatsAndHidesSuppressedValues) {
    test::TempDir tmp;
    auto h = hierarchy();
    AggregateTable t = table({4, 30, 20, 50, 60});
    t.rows[5].values[0] = 50.25;
    auto r = release(t, h, SdcConfig{});
    write_released_csv(r, h, tmp / "t.csv");
    std::string csv = test::slurp(tmp / "t.csv");
    EXPECT_EQ(csv.substr(0, csv.find('\n')), "zone_level,zone_id,time,devices,status,support");
    EXPECT_NE(csv.find("district,D1,t0,,suppressed,\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("district,D2,t0,30,ok,30\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("district,D4,t0,50.25,ok,50\n"), std::string::npos) << csv;
    SdcConfig drop;
    drop.suppressed = "drop";
    write_released_csv(release(t, h, drop), h, tmp / "d.csv");
    EXPECT_EQ(test::slurp(tmp / "d.csv").find("D1"), std::string::npos);
    EXPECT_EQ(format_value(1.0 / 3), "0.333333");
    EXPECT_EQ(format_value(2.0), "2");
}

}  // namespace
}  // namespace mpdstat
