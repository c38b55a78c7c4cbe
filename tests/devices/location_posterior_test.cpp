#include "devices/location_posterior.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <tuple>

#include "devices/anchors.hpp"

namespace mpdstat {
namespace {

// A row of four tiles of equal prior: tiles 0-1 in zone 0, tiles 2-3 in zone 1,
// both zones in one region. Cell 0 reaches tiles 0-2 (P = 0.5 each), cell 1
// tiles 2-3 (0.5 and 1.0): their footprints overlap only in tile 2.
LocationPosterior row_of_four(double floor = 0.01) {
    std::vector<uint32_t> offsets{0, 3, 5};
    std::vector<ZoneWeight> entries{{0, 0.5}, {1, 0.5}, {2, 0.5}, {2, 0.5}, {3, 1.0}};
    return LocationPosterior(offsets, entries, {0, 0, 1, 1}, {1, 1, 1, 1}, {{0, 0}, {0, 1}}, floor);
}

// ESS rules over [first, last], judging a device from 3 days, work from half its working hours.
AnchorRules ess_rules(Day first, Day last) {
    Config c;
    c.input.period_start = first;
    c.input.period_end = last;
    c.anchors.ess_min_days = 3;
    c.anchors.ess_work_share = 0.5;
    return AnchorRules::from_config(c);
}

// A device seen on the weekdays of [first, first + days), each with the same
// hourly slots: (hour, cell, the cell's dominant zone).
DeviceView weekdays_with_slots(Day first, int days, std::initializer_list<std::tuple<int, uint32_t, uint32_t>> slots) {
    DeviceView v;
    for (Day d = first; d < first + days; ++d) {
        if (weekday(d) >= 5) continue;
        DeviceDay dd;
        dd.day = d;
        dd.events = dd.located_events = uint32_t(slots.size());
        v.days.push_back(dd);
        for (auto [hour, cell, zone] : slots) {
            HourSlot s;
            s.day = d;
            s.hour = uint8_t(hour);
            s.cell = cell;
            s.zone = zone;
            v.slots.push_back(s);
        }
    }
    return v;
}

TEST(LocationPosterior, TwoCellsOverlappingInOneTileGiveThatTilesZone) {
    LocationPosterior p = row_of_four();
    // Cell 0 twice, cell 1 once. Gains over the floor (0.01): log 50 per P = 0.5, log 100 per P = 1.
    // Tiles 0, 1: 2 log 50; tile 2: 3 log 50; tile 3: log 100. Mass relative to tile 2:
    // 1/50 + 1/50 for zone 0, 1 + 100/2500 for zone 1. The most used cell (0) lies
    // mostly in zone 0; the combination says zone 1.
    std::vector<CellCount> seen{{0, 2}, {1, 1}};
    EXPECT_EQ(p.locate(seen), 1u);
    // Cell 0 alone: tiles 0-2 equal, zone 0 holds two of three.
    std::vector<CellCount> only_cell0{{0, 5}};
    EXPECT_EQ(p.locate(only_cell0), 0u);
}

TEST(LocationPosterior, OneOddEventCannotOverrideManyNorVetoATile) {
    // Cell 0 only in tile 0, cell 1 only in tile 3 (P = 1 each).
    LocationPosterior p({0, 1, 2}, {{0, 1.0}, {3, 1.0}}, {0, 0, 1, 1}, {1, 1, 1, 1}, {{0, 0}, {0, 1}}, 0.01);
    // 20 × cell 0 and 1 × cell 1: tile 0 scores 20 log 100, tile 3 log 100. Without
    // the floor, every tile would have probability 0 (no tile explains both).
    std::vector<CellCount> seen{{0, 20}, {1, 1}};
    EXPECT_EQ(p.locate(seen), 0u);
    std::vector<CellCount> reversed{{0, 1}, {1, 20}};
    EXPECT_EQ(p.locate(reversed), 1u);
}

TEST(LocationPosterior, ZonesArePickedTopDownByPosteriorMass) {
    // Tiles 0, 1, 2 in zones 0, 1 (region 0) and 2 (region 1); one cell equally likely
    // from each; priors 0.3, 0.3, 0.4. The best tile is in zone 2, but region 0 holds
    // 0.6 of the mass: region 0, then zones 0 and 1 tie and the lower index wins.
    LocationPosterior p({0, 3}, {{0, 0.2}, {1, 0.2}, {2, 0.2}}, {0, 1, 2}, {0.3, 0.3, 0.4}, {{0, 0, 1}, {0, 1, 2}}, 0.01);
    std::vector<CellCount> seen{{0, 4}};
    EXPECT_EQ(p.locate(seen), 0u);
}

TEST(LocationPosterior, NothingToGoOnGivesNoZone) {
    LocationPosterior p = row_of_four();
    EXPECT_EQ(p.locate({}), kNoZone);
    std::vector<CellCount> unknown_cell{{7, 3}};
    EXPECT_EQ(p.locate(unknown_cell), kNoZone);
    // A cell whose P never exceeds the floor explains nothing.
    LocationPosterior low = row_of_four(0.6);
    std::vector<CellCount> cell0{{0, 3}};
    EXPECT_EQ(low.locate(cell0), kNoZone);
    // An empty posterior (no lattice) never locates.
    EXPECT_EQ(LocationPosterior({}, {}, {}, {}, {}, 0.01).locate(cell0), kNoZone);
}

TEST(LocationPosterior, RelocatesTheEssHomeAndDropsAWorkPlaceInTheHomeZone) {
    // ESS sees home in zone 0 (the slots' dominant zone) from nights on cells 0, 0, 1:
    // the posterior puts it in zone 1 (first test). Work hours on cell 1 only: zone 1,
    // the home zone, so no work place.
    LocationPosterior p = row_of_four();
    const Day mon = *parse_day("2024-01-01");
    AnchorRules r = ess_rules(mon, mon + 6);
    // Monday to Friday
    DeviceView v = weekdays_with_slots(mon, 5, {{1, 0u, 0u}, {2, 0u, 0u}, {3, 1u, 0u}, {10, 1u, 1u}});
    LocalClock clock("UTC");
    std::vector<uint32_t> zone_of_cell{0, 1};
    Anchors by_zone = compute_anchors(v, r, zone_of_cell, clock);
    EXPECT_EQ(by_zone.home, 0u);
    EXPECT_EQ(by_zone.work, 1u);
    r.location = &p;
    Anchors located = compute_anchors(v, r, zone_of_cell, clock);
    EXPECT_EQ(located.home, 1u);
    EXPECT_EQ(located.work, kNoZoneIndex);
    EXPECT_EQ(located.usual, (std::vector<uint32_t>{1}));
}

TEST(LocationPosterior, AnchorsBetweenTwoDaysLocateTheHomeAloneAndLeaveWorkOut) {
    // Nights on cells 0, 0, 1 (the posterior's zone 1); work hours on cell 2, in zone 2.
    LocationPosterior p({0, 3, 5, 6}, {{0, 0.5}, {1, 0.5}, {2, 0.5}, {2, 0.5}, {3, 1.0}, {4, 1.0}}, {0, 0, 1, 1, 2},
                        {1, 1, 1, 1, 1}, {{0, 0, 0}, {0, 1, 2}}, 0.01);
    const Day mon = *parse_day("2024-01-01");
    AnchorRules r = ess_rules(mon, mon + 13);
    r.location = &p;
    // Two working weeks, weekends without events.
    DeviceView v = weekdays_with_slots(mon, 12, {{1, 0u, 0u}, {2, 0u, 0u}, {3, 1u, 0u}, {10, 2u, 2u}});
    LocalClock clock("UTC");
    std::vector<uint32_t> zone_of_cell{0, 0, 2};
    // The whole period: a home (located in zone 1) and a work place (zone 2).
    Anchors all = compute_anchors(v, r, zone_of_cell, clock);
    EXPECT_EQ(all.home, 1u);
    EXPECT_EQ(all.home_seen, 0u);
    EXPECT_EQ(all.work, 2u);
    // The second week only: the same home, found from that week's nights; no work place.
    Anchors week = anchors_between(v, mon + 7, mon + 13, r, zone_of_cell, clock);
    EXPECT_EQ(week.home, 1u);
    EXPECT_EQ(week.home_seen, 0u);
    EXPECT_EQ(week.work, kNoZoneIndex);
    EXPECT_EQ(week.work_seen, kNoZoneIndex);
    // Before the data: no home.
    EXPECT_EQ(anchors_between(v, mon - 7, mon - 1, r, zone_of_cell, clock).home, kNoZoneIndex);
}

}  // namespace
}  // namespace mpdstat
