// Hand-built trips: a short stop on the way is not a trip end; ping-pong
// between the cells of one place is no trip; a stop whose zone is uncertain
// shares its trips between zones.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/error.hpp"
#include "indicators/od_trips.hpp"
#include "world_fixture.hpp"

namespace mpdstat {
namespace {

using test::World;

// Trips between the districts (level 1), summed over dates and hours.
double district_trips(const OdTrips& od) {
    double n = 0;
    for (const auto& r : od.table().rows)
        if (r.level == 1) n += r.values[0];
    return n;
}

TEST(OdTrips, AShortStopIsPartOfTheJourney) {
    World w;
    auto at = [](int hour, int minute) { return World::at("2024-01-10", hour, minute); };
    // An hour at home in the west, 15 minutes of events in the east (a stay of
    // 25 minutes with the 5-minute padding each side: at least 15, under 30),
    // two hours back in the west.
    std::vector<Event> stop = {w.home(at(8, 0), 0),   w.home(at(8, 30), 0),  w.home(at(9, 0), 0),
                               w.home(at(9, 30), 1),  w.home(at(9, 45), 1),  w.home(at(10, 30), 0),
                               w.home(at(11, 30), 0), w.home(at(12, 30), 0)};
    OdTrips od(*w.space, w.config);
    w.feed(od, stop);
    EXPECT_EQ(district_trips(od), 0) << "west → 25-minute stop → west is no trip";

    // With the threshold at 15 minutes the stop is a destination: west → east → west.
    World fine;
    fine.config.indicators.od_min_stay_minutes = 15;
    OdTrips od15(*fine.space, fine.config);
    fine.feed(od15, stop);
    EXPECT_EQ(district_trips(od15), 2);

    // Staying two hours in the east makes it a destination: one trip west → east.
    OdTrips stays(*w.space, w.config);
    w.feed(stays, {w.home(at(8, 0), 0), w.home(at(8, 30), 0), w.home(at(9, 0), 0), w.home(at(9, 30), 1),
                   w.home(at(10, 30), 1), w.home(at(11, 30), 1)});
    EXPECT_EQ(district_trips(stays), 1);
}

// The trips of one (origin, destination) pair at level 1, by departure hour.
std::map<std::string, std::pair<double, double>> district_pair(const OdTrips& od, uint32_t o, uint32_t d) {
    std::map<std::string, std::pair<double, double>> out;
    for (const auto& r : od.table().rows)
        if (r.level == 1 && r.zones[0] == o && r.zones[1] == d) out[r.keys[1]] = {r.values[0], r.values[1]};
    return out;
}

TEST(OdTrips, PingPongBetweenTheCellsOfOnePlaceIsNoTrip) {
    World w;
    auto at = [](int hour, int minute) { return World::at("2024-01-10", hour, minute); };
    // An hour on the west cell (0), one event on the east cell (1) 10 minutes
    // later, back on the west cell 10 minutes after that (20 minutes after the
    // west stop ended: within the 30-minute window), then an hour on the east
    // cell only.
    std::vector<Event> ev = {w.home(at(8, 0), 0),  w.home(at(8, 30), 0),  w.home(at(9, 0), 0),   w.home(at(9, 10), 1),
                             w.home(at(9, 20), 0), w.home(at(9, 40), 0),  w.home(at(9, 50), 1),  w.home(at(10, 10), 1),
                             w.home(at(10, 30), 1), w.home(at(10, 50), 1)};
    // Without the filter: stops west 07:55–09:00 (padding), east 09:10 (one
    // event), west 09:20–09:40 (20 minutes: a stop on the way), east
    // 09:50–10:55 (65 minutes): one trip west → east at 09:00.
    World off;
    off.config.indicators.od_oscillation_minutes = 0;
    OdTrips raw(*off.space, off.config);
    off.feed(raw, ev);
    EXPECT_EQ(district_trips(raw), 1);
    EXPECT_EQ(district_pair(raw, 0, 1).at("09").first, 1);

    // With it (30 minutes): back on the west cell 20 minutes after leaving it,
    // the device never left; the east cell seen meanwhile serves the same
    // place, so the hour on it continues that stop: one stop, no trip.
    OdTrips od(*w.space, w.config);
    w.feed(od, ev);
    EXPECT_EQ(district_trips(od), 0);
}

TEST(OdTrips, AStopBetweenTwoZonesSharesItsTrips) {
    // West and east cells, and a cell on the district boundary (x = 410 km):
    // Voronoi cells x < 407.5, 407.5–412.5 and > 412.5 km, the middle one
    // half in each district (weights 0.5 / 0.5, to 1e-4: the sites pass
    // through longitude and latitude in cells.csv).
    test::SpatialFixture f{"od-shared"};
    test::write_square_country(f);
    f.write_cells({{"W1", "SW", 405000, 5805000}, {"M1", "SM", 410000, 5805000}, {"E1", "SE", 415000, 5805000}});
    Config config = f.config(test::kTwoLevels, "method = \"voronoi\"");
    CellPlan cells = f.cells();
    SpatialModel model = build_spatial_model(config, cells, SpatialBuildOptions{false});
    ZoneSpace space(model, config);
    ASSERT_EQ(model.weights(1, 1).size(), 2u);
    EXPECT_NEAR(model.weights(1, 1)[0].weight, 0.5, 1e-4);
    auto at = [](int hour, int minute) { return test::World::at("2024-01-10", hour, minute); };
    auto ev = [](int64_t t, uint32_t cell) {
        Event e;
        e.time_ms = t;
        e.cell = cell;
        e.mcc = 262;
        return e;
    };
    // An hour in the west (W1), an hour on the boundary (M1), an hour in the
    // east (E1), an hour's move between each.
    std::vector<Event> day = {ev(at(8, 0), 0),  ev(at(8, 30), 0),  ev(at(9, 0), 0),  ev(at(10, 0), 1), ev(at(10, 30), 1),
                              ev(at(11, 0), 1), ev(at(12, 0), 2), ev(at(12, 30), 2), ev(at(13, 0), 2)};
    OdTrips od(space, config);
    DeviceModel m(config, space.places());
    DeviceView v;
    m.build(1, day, v);
    od.add(v);
    // West → boundary (departing 09:00): west → east with probability 1 × 0.5
    // (west → west is no trip); boundary → east (departing 11:00): 0.5 × 1.
    // One trip west → east in all, half at each hour, by one device each.
    const auto we = district_pair(od, 0, 1);
    ASSERT_EQ(we.size(), 2u);
    EXPECT_NEAR(we.at("09").first, 0.5, 1e-4);
    EXPECT_DOUBLE_EQ(we.at("09").second, 1);
    EXPECT_NEAR(we.at("11").first, 0.5, 1e-4);
    EXPECT_NEAR(district_trips(od), 1, 1e-6) << "the two halves make one trip";
    EXPECT_TRUE(district_pair(od, 1, 0).empty()) << "no trip east → west";
}

// The state MPI ranks and the pass cache exchange: loaded into a fresh
// accumulator it gives the same tables, and merges like the original.
TEST(OdTrips, SavedStateLoadsAndMergesLikeTheOriginal) {
    World w;
    auto at = [](const char* day, int hour) { return World::at(day, hour, 0); };
    OdTrips od(*w.space, w.config);
    w.feed(od, {w.home(at("2024-01-10", 8), 0), w.home(at("2024-01-10", 9), 0), w.home(at("2024-01-10", 11), 1),
                w.home(at("2024-01-10", 12), 1), w.home(at("2024-01-10", 14), 0), w.home(at("2024-01-10", 15), 0),
                w.home(at("2024-01-11", 8), 0), w.home(at("2024-01-11", 9), 0), w.home(at("2024-01-11", 11), 1),
                w.home(at("2024-01-11", 12), 1)});
    ASSERT_GT(district_trips(od), 0);
    std::string state;
    od.save(state);
    auto loaded = od.fresh();
    loaded->load(state);
    const auto& copy = static_cast<const OdTrips&>(*loaded);
    auto rows = [](const AggregateTable& t) {
        std::vector<std::tuple<uint32_t, std::vector<uint32_t>, std::vector<std::string>, std::vector<double>>> out;
        for (const auto& r : t.rows) out.emplace_back(r.level, r.zones, r.keys, r.values);
        return out;
    };
    EXPECT_EQ(rows(copy.table()), rows(od.table()));
    EXPECT_EQ(rows(copy.daily_locations_table()), rows(od.daily_locations_table()));
    // Merged twice over: every count doubles, the same whichever copy is merged.
    auto a = od.fresh(), b = od.fresh();
    a->merge(od);
    a->merge(od);
    b->merge(copy);
    b->merge(od);
    EXPECT_EQ(rows(static_cast<const OdTrips&>(*a).table()), rows(static_cast<const OdTrips&>(*b).table()));
    EXPECT_DOUBLE_EQ(district_trips(static_cast<const OdTrips&>(*a)), 2 * district_trips(od));
    std::string again;
    copy.save(again);
    EXPECT_EQ(again, state);
    EXPECT_THROW(loaded->load(state.substr(0, state.size() / 2)), Error);
}

}  // namespace
}  // namespace mpdstat
