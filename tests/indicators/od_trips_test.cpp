// Hand-built trips: a short stop on the way is not a trip end.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mpdstat
