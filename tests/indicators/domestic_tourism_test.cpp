// Hand-built domestic tourism cases: a resident of West (cell 0) who lives
// there through January and February, with trips to East (cell 1).
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "devices/device_model.hpp"
#include "indicators/domestic_tourism.hpp"
#include "world_fixture.hpp"

namespace mpdstat {
namespace {

using test::World;

struct Trip {
    const char* day;
    int from_hour, to_hour;  // hours of events in East on that day
};

// Home events at 08:00 and 20:00 every day of [first, last] not in `away_days`
// and not during a trip, East events at each listed hour of the trips.
std::vector<Event> routine(const World& w, const char* first, const char* last, std::vector<Trip> trips,
                           std::vector<const char*> away_days = {}) {
    std::vector<Event> ev;
    for (Day d = *parse_day(first); d <= *parse_day(last); ++d) {
        std::string day = format_day(d);
        bool away = false;
        for (const char* a : away_days) away |= day == a;
        std::vector<int> home_hours{8, 20};
        for (const Trip& t : trips)
            if (day == t.day) {
                for (int h = t.from_hour; h <= t.to_hour; ++h) ev.push_back(w.home(World::at(t.day, h), 1));
                std::erase_if(home_hours, [&](int h) { return h >= t.from_hour && h <= t.to_hour; });
            }
        if (!away)
            for (int h : home_hours) ev.push_back(w.home(World::at(day.c_str(), h), 0));
    }
    std::sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.time_ms < b.time_ms; });
    return ev;
}

// Feeds one device whose home anchor is West.
void feed_resident(const World& w, DomesticTourism& h, const std::vector<Event>& ev) {
    DeviceModel m(w.config, w.space->places());
    DeviceView v;
    m.build(1, ev, v);
    v.anchors.home = w.space->places().zone[0];
    v.anchors.observed_enough = true;
    h.add(v);
}

// The finest-level rows of East: (origin, month) → visitors, trips, nights, same-day visits.
std::map<std::pair<std::string, std::string>, std::vector<double>> east_rows(const World& w, const DomesticTourism& h) {
    std::map<std::pair<std::string, std::string>, std::vector<double>> out;
    const uint32_t east = w.space->places().zone[1];
    for (const auto& r : h.table().rows)
        if (r.level == 1 && r.zones[0] == east) out[{r.keys[0], r.keys[1]}] = r.values;
    return out;
}

TEST(DomesticTourism, TwoNightsAwayIsOneOvernightTripWithTwoNights) {
    World w;
    DomesticTourism h(*w.space, w.config);
    // Leaves after work on 10 January, sleeps in East on the 10th and 11th (last
    // seen there at 22:00, next seen there at 07:00), home on the evening of the 12th.
    feed_resident(w, h,
                  routine(w, "2024-01-01", "2024-01-28",
                          {{"2024-01-10", 21, 23}, {"2024-01-11", 9, 22}, {"2024-01-12", 7, 12}}, {"2024-01-11"}));
    auto rows = east_rows(w, h);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.begin()->first, (std::pair<std::string, std::string>{"C", "2024-01"}));
    EXPECT_EQ(rows.begin()->second, (std::vector<double>{1, 1, 2, 0}));
    EXPECT_EQ(h.totals().overnight_trips, 1u);
    EXPECT_EQ(h.totals().nights, 2u);
}

TEST(DomesticTourism, AnAfternoonAwayIsASameDayVisitAndAnHourIsPassingThrough) {
    World w;
    DomesticTourism visit(*w.space, w.config), passing(*w.space, w.config);
    feed_resident(w, visit, routine(w, "2024-01-01", "2024-01-28", {{"2024-01-13", 11, 16}}));
    auto rows = east_rows(w, visit);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.begin()->second, (std::vector<double>{1, 1, 0, 1}));
    EXPECT_EQ(visit.totals().same_day_visits, 1u);
    EXPECT_EQ(visit.totals().overnight_trips, 0u);

    feed_resident(w, passing, routine(w, "2024-01-01", "2024-01-28", {{"2024-01-13", 12, 12}}));
    EXPECT_TRUE(east_rows(w, passing).empty());
}

TEST(DomesticTourism, AZoneVisitedEveryWeekIsUsualNotTourism) {
    World w;
    DomesticTourism h(*w.space, w.config);
    // Every Saturday afternoon in East (four weeks: four visits ≥ one a week).
    feed_resident(w, h,
                  routine(w, "2024-01-01", "2024-01-28",
                          {{"2024-01-06", 11, 16}, {"2024-01-13", 11, 16}, {"2024-01-20", 11, 16}, {"2024-01-27", 11, 16}}));
    EXPECT_TRUE(east_rows(w, h).empty());
    EXPECT_EQ(h.totals().trips, 0u);
}

TEST(DomesticTourism, ATripOverTheMonthEndKeepsEachNightInItsMonth) {
    World w;
    DomesticTourism h(*w.space, w.config);
    // Nights of 30 and 31 January and 1 February in East.
    feed_resident(w, h,
                  routine(w, "2024-01-10", "2024-02-20",
                          {{"2024-01-30", 19, 23}, {"2024-01-31", 9, 22}, {"2024-02-01", 9, 22}, {"2024-02-02", 7, 11}},
                          {"2024-01-31", "2024-02-01"}));
    auto rows = east_rows(w, h);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ((rows[{"C", "2024-01"}]), (std::vector<double>{1, 1, 2, 0}));  // the trip starts in January
    EXPECT_EQ((rows[{"C", "2024-02"}]), (std::vector<double>{1, 0, 1, 0}));  // its third night is February's
}

TEST(DomesticTourism, VisitorsFromAbroadAndDevicesWithoutAHomeAreLeftOut) {
    World w;
    DomesticTourism h(*w.space, w.config);
    std::vector<Event> ev = routine(w, "2024-01-01", "2024-01-28", {{"2024-01-13", 11, 16}});
    DeviceModel m(w.config, w.space->places());
    DeviceView v;
    m.build(1, ev, v);
    v.anchors.home = kNoZoneIndex;
    h.add(v);
    EXPECT_EQ(h.totals().trips, 0u);
    for (Event& e : ev) e.domain = Domain::inbound;
    m.build(2, ev, v);
    v.anchors.home = w.space->places().zone[0];
    h.add(v);
    EXPECT_EQ(h.totals().trips, 0u);
}

TEST(DomesticTourism, RejectsAnUnknownLevel) {
    World w;
    w.config.tourism.domestic_level = "commune";
    EXPECT_THROW(DomesticTourism(*w.space, w.config), mpdstat::Error);
}

}  // namespace
}  // namespace mpdstat
