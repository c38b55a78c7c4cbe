#include "devices/anchors.hpp"

#include <gtest/gtest.h>

#include "devices/device_model.hpp"

namespace mpdstat {
namespace {

// 2024-01-01 is a Monday.
const Day kMon = *parse_day("2024-01-01");

AnchorRules rules(const std::string& set) {
    Config c;
    c.input.period_start = kMon;
    c.input.period_end = kMon + 27;
    c.anchors.rules = set;
    c.anchors.ess_min_days = 3;
    return AnchorRules::from_config(c);
}

// A device home in zone `home` at night (18-08) and in zone `work` 08-17 on workdays.
DeviceView commuter(int days, uint32_t home, uint32_t work) {
    DeviceView v;
    for (int d = 0; d < days; ++d) {
        Day day = kMon + d;
        DeviceDay dd;
        dd.day = day;
        dd.events = dd.located_events = 5;
        v.days.push_back(dd);
        bool weekend = weekday(day) >= 5;
        for (int h = 0; h < 24; ++h) {
            HourSlot s;
            s.day = day;
            s.hour = uint8_t(h);
            s.zone = (!weekend && h >= 8 && h < 17) ? work : home;
            v.slots.push_back(s);
        }
    }
    return v;
}

TEST(AnchorsEss, CommuterHasHomeWorkAndBothInTheUsualEnvironment) {
    DeviceView v = commuter(14, 7, 3);
    Anchors a = anchors_ess(v, rules("ess"));
    EXPECT_TRUE(a.observed_enough);
    EXPECT_EQ(a.home, 7u);
    // Work hours: 10 workdays × 9 slots at zone 3, all of the workday working-hour score.
    EXPECT_EQ(a.work, 3u);
    EXPECT_EQ(a.usual, (std::vector<uint32_t>{3, 7}));
}

TEST(AnchorsEss, TooFewObservedDays) {
    DeviceView v = commuter(2, 7, 3);
    EXPECT_FALSE(anchors_ess(v, rules("ess")).observed_enough);
    EXPECT_EQ(anchors_ess(v, rules("ess")).home, kNoZoneIndex);
}

TEST(AnchorsEss, TiesGoToTheLowerZoneAndNeitherHoldsTheShare) {
    // Two evenings, one in zone 5 and one in zone 2: equal night score and nights.
    DeviceView v;
    for (int d = 0; d < 4; ++d) {
        DeviceDay dd;
        dd.day = kMon + d;
        dd.located_events = 1;
        v.days.push_back(dd);
    }
    for (auto [d, zone] : {std::pair{0, 5u}, std::pair{1, 2u}}) {
        HourSlot s;
        s.day = kMon + d;
        s.hour = 20;
        s.zone = zone;
        v.slots.push_back(s);
    }
    AnchorRules r = rules("ess");
    // Neither holds 80 % of the night score nor of the nights: no home.
    EXPECT_EQ(anchors_ess(v, r).home, kNoZoneIndex);
    // With a 50 % share both qualify; the tie goes to the lower zone index.
    r.c.ess_home_share = 0.5;
    EXPECT_EQ(anchors_ess(v, r).home, 2u);
}

TEST(AnchorsModalLast, ModalZoneTiesGoToTheMostRecent) {
    DeviceView v;
    std::vector<uint32_t> zone_of_cell{10, 20};
    // Daily last-event cells: 0, 1, 0, 1 → two days each; the last day is cell 1 (zone 20).
    for (int d = 0; d < 4; ++d) {
        DeviceDay dd;
        dd.day = kMon + 20 + d;
        dd.last_cell = uint32_t(d % 2);
        v.days.push_back(dd);
    }
    Anchors a = anchors_modal_last(v, rules("modal_last"), zone_of_cell);
    EXPECT_EQ(a.home, 20u);
    // Days before the 28-day window do not vote.
    DeviceDay old;
    old.day = kMon - 30;
    old.last_cell = 0;
    v.days.insert(v.days.begin(), old);
    EXPECT_EQ(anchors_modal_last(v, rules("modal_last"), zone_of_cell).home, 20u);
}

TEST(AnchorsGdf, HomeNeedsNightsAndWeekendDays) {
    Config c;
    c.input.timezone = "UTC";
    c.input.period_start = kMon;
    c.input.period_end = kMon + 27;
    CellPlaces places;
    places.x = {0, 10000};
    places.y = {0, 0};
    places.zone = {1, 2};
    std::vector<Event> ev;
    for (int d = 0; d < 28; ++d) {
        int64_t day0 = int64_t(kMon + d) * kMsPerDay;
        Event night;
        night.time_ms = day0 + 23 * 3'600'000LL;  // 23:00 at home (cell 0)
        night.cell = 0;
        ev.push_back(night);
        if (weekday(kMon + d) < 5) {
            Event w;
            w.time_ms = day0 + 10 * 3'600'000LL;  // 10:00 at work (cell 1)
            w.cell = 1;
            ev.push_back(w);
        }
    }
    std::sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.time_ms < b.time_ms; });
    c.anchors.rules = "gdf";
    DeviceModel model(c, places);
    DeviceView v;
    model.build(1, ev, v);
    EXPECT_EQ(v.anchors.home, 1u);
    EXPECT_EQ(v.anchors.work, 2u);
    EXPECT_EQ(v.days.size(), 28u);
}

TEST(DeviceModel, MidnightSplitsDaysAndDstDaysHave24Slots) {
    Config c;
    c.input.timezone = "Europe/Paris";
    CellPlaces places;
    places.x = {0};
    places.y = {0};
    places.zone = {4};
    // 23:50 and 00:10 local (CET, UTC+1) around the night of 30/31 March 2024,
    // when clocks go forward at 02:00.
    Day d30 = *parse_day("2024-03-30");
    Event a, b;
    a.time_ms = int64_t(d30) * kMsPerDay + (23 * 60 + 50) * 60'000LL - 3'600'000LL;
    a.cell = 0;
    b.time_ms = int64_t(d30 + 1) * kMsPerDay + 10 * 60'000LL - 3'600'000LL;
    b.cell = 0;
    DeviceModel model(c, places);
    DeviceView v;
    std::vector<Event> ev{a, b};
    model.build(9, ev, v);
    ASSERT_EQ(v.days.size(), 2u);
    EXPECT_EQ(v.days[0].day, d30);
    EXPECT_EQ(v.days[1].day, d30 + 1);
    EXPECT_EQ(v.days[0].daily_location, 0u);
    ASSERT_EQ(v.slots.size(), 48u);
    // The stay covers 23:30 on the 30th and 00:30 on the 31st.
    EXPECT_EQ(v.slots[23].cell, 0u);
    EXPECT_EQ(v.slots[24].cell, 0u);
    EXPECT_EQ(v.slots[24].zone, 4u);
    EXPECT_EQ(v.slots[26].cell, kNoCell);
}

}  // namespace
}  // namespace mpdstat
