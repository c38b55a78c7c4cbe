#include "indicators/migration.hpp"

#include <gtest/gtest.h>

#include "world_fixture.hpp"

namespace mpdstat {
namespace {

using test::World;

// Evenings and mornings at one cell for every day in [from, to] (local dates).
void nights(const World& w, std::vector<Event>& ev, Day from, Day to, uint32_t cell) {
    for (Day d = from; d <= to; ++d) {
        std::string day = format_day(d);
        ev.push_back(w.home(World::at(day.c_str(), 7), cell));
        ev.push_back(w.home(World::at(day.c_str(), 21), cell));
    }
}

TEST(Migration, AMoverMigratesASeasonalVisitorDoesNot) {
    World w;
    w.config.migration.enabled = true;
    w.config.migration.previous_start = *parse_day("2024-01-01");
    w.config.migration.previous_end = *parse_day("2024-01-31");
    w.config.migration.new_start = *parse_day("2024-02-01");
    w.config.migration.new_end = *parse_day("2024-02-29");
    w.config.anchors.ess_min_days = 20;
    Migration m(*w.space, w.config);
    const Day jan1 = *parse_day("2024-01-01"), feb1 = *parse_day("2024-02-01"), feb29 = *parse_day("2024-02-29");
    // Lives in the west in January and in the east from February.
    std::vector<Event> mover;
    nights(w, mover, jan1, feb1 - 1, 0);
    nights(w, mover, feb1, feb29, 1);
    w.feed(m, mover);
    // Lives in the west; spends the last five February nights in the east.
    std::vector<Event> seasonal;
    nights(w, seasonal, jan1, feb1 + 23, 0);
    nights(w, seasonal, feb1 + 24, feb29, 1);
    w.feed(m, seasonal);
    EXPECT_EQ(m.with_both_homes(), 2u);
    ASSERT_EQ(m.migrants().size(), 1u);
    std::map<std::pair<std::string, std::string>, double> flows;  // district level
    for (const auto& r : m.table().rows)
        if (r.level == 1)
            flows[{w.model->levels()[1].zones[r.zones[0]].id, w.model->levels()[1].zones[r.zones[1]].id}] = r.values[0];
    EXPECT_EQ(flows.at({"W", "E"}), 1);
    EXPECT_EQ(flows.at({"W", "W"}), 1) << "the seasonal visitor stays a resident of the west";
}

}  // namespace
}  // namespace mpdstat
