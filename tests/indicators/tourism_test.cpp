// Hand-built roaming cases: nights across midnight, a trip across a month
// boundary, a border blip, the travellers never seen abroad.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "indicators/inbound_tourism.hpp"
#include "indicators/outbound_tourism.hpp"
#include "world_fixture.hpp"

namespace mpdstat {
namespace {

using test::H;
using test::World;

TEST(InboundTourism, CrossingMidnightTwiceIsTwoNights) {
    World w;
    InboundTourism in(*w.space, w.config);
    // Arrives 10 Jan 18:00 in the west, sleeps there, moves east, leaves 12 Jan 11:00.
    w.feed(in, {w.roam(World::at("2024-01-10", 18), 0), w.roam(World::at("2024-01-10", 23), 0),
                w.roam(World::at("2024-01-11", 12), 1), w.roam(World::at("2024-01-11", 22), 1),
                w.roam(World::at("2024-01-12", 11), 1)});
    const auto& fr = in.by_country().at("FR");
    EXPECT_EQ(fr.visitors, 1u);
    EXPECT_EQ(fr.trips, 1u);
    EXPECT_EQ(fr.nights, 2u);
    AggregateTable t = in.table();
    // District rows: West has the first night, East the second; both have the visitor and the trip.
    size_t district = 1;
    std::map<std::string, std::vector<double>> by_zone;
    for (const auto& r : t.rows)
        if (r.level == district) by_zone[w.model->levels()[1].zones[r.zones[0]].id] = r.values;
    EXPECT_EQ(by_zone.at("W"), (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(by_zone.at("E"), (std::vector<double>{1, 1, 1}));
}

TEST(InboundTourism, TripAcrossAMonthBoundaryKeepsItsNights) {
    World w;
    InboundTourism in(*w.space, w.config);
    w.feed(in, {w.roam(World::at("2024-01-30", 20), 0), w.roam(World::at("2024-01-31", 20), 0),
                w.roam(World::at("2024-02-01", 20), 0), w.roam(World::at("2024-02-02", 9), 0)});
    EXPECT_EQ(in.by_country().at("FR").nights, 3u);
    std::map<std::string, std::vector<double>> by_month;  // country level
    for (const auto& r : in.table().rows)
        if (r.level == 0) by_month[r.keys[0]] = r.values;
    // The trip starts in January; nights of 30 and 31 January count there, the night of 1 February in February.
    EXPECT_EQ(by_month.at("2024-01"), (std::vector<double>{1, 1, 2}));
    EXPECT_EQ(by_month.at("2024-02"), (std::vector<double>{1, 0, 1}));
    // A silence far beyond the SIM's pace starts a new trip: seen every two hours from
    // 08:00 to 20:00 on 10 .. 19 January (70 events), then at 08:00 and 10:00 on 22
    // January. By its events: mean gap (12 days 2 h = 290 h) / 71 = 4.1 h, 4.6 times
    // that under 24 h, so 24 h. By its days: 11 of the 13 days of its span seen; leaving
    // out the two quiet days of the silence itself, (0 + 1) / (11 + 2) = 1/13 of its days
    // are quiet, and 4.6 / ln 13 = 1.79 days (43 h) of quiet come 1 % of the time: the
    // 60-h silence from 19 Jan 20:00 ends the trip ...
    std::vector<Event> busy;
    for (int day = 10; day <= 19; ++day)
        for (int h = 8; h <= 20; h += 2) busy.push_back(w.roam(World::at(fmt::format("2024-01-{}", day).c_str(), h), 0));
    busy.push_back(w.roam(World::at("2024-01-22", 8), 0));
    busy.push_back(w.roam(World::at("2024-01-22", 10), 0));
    ASSERT_EQ(busy.size(), 72u);
    InboundTourism two(*w.space, w.config);
    w.feed(two, busy);
    EXPECT_EQ(two.by_country().at("FR").trips, 2u);
    // ... but not for a SIM seen about twice a day: 10 Jan 10:00, 20:00, then 11 Jan
    // 22:00 (26 h later), 12 Jan 08:00: mean gap 15.3 h, a 26-h silence is its pace.
    InboundTourism sparse(*w.space, w.config);
    w.feed(sparse, {w.roam(World::at("2024-01-10", 10), 0), w.roam(World::at("2024-01-10", 20), 0),
                    w.roam(World::at("2024-01-11", 22), 0), w.roam(World::at("2024-01-12", 8), 0)});
    EXPECT_EQ(sparse.by_country().at("FR").trips, 1u);
}

TEST(InboundTourism, SupportIsTheVisitorsWhenThereAreAny) {
    World w;
    InboundTourism in(*w.space, w.config);
    // Seen in the west on 30 January and in the east on 2 February (72 h apart, one trip
    // for a SIM this sparse): the nights of 30, 31 January and 1 February are spent where
    // it was last seen, the west, so the west's February row has its night but not its visit.
    w.feed(in, {w.roam(World::at("2024-01-30", 20), 0), w.roam(World::at("2024-02-02", 20), 1)});
    // Another roamer visits the west in February.
    w.feed(in, {w.roam(World::at("2024-02-10", 12), 0), w.roam(World::at("2024-02-10", 14), 0)});
    bool found = false;
    for (const auto& r : in.table().rows)
        if (r.level == 1 && w.model->levels()[1].zones[r.zones[0]].id == "W" && r.keys[0] == "2024-02") {
            found = true;
            EXPECT_EQ(r.values[0], 1.0);  // one visitor
            EXPECT_EQ(r.values[2], 1.0);  // the other's night
            // Two devices rest on the row, but releasing it on 2 would publish a group of
            // one visitor: the support is the visitors.
            EXPECT_EQ(r.support, 1u);
        }
    EXPECT_TRUE(found);
}

TEST(InboundTourism, SparseStayReachesBeyondItsEvents) {
    World w;
    InboundTourism in(*w.space, w.config);
    // Seen in the west at 14:00 on 10, 11 and 12 January only: two gaps of 24 h, so the
    // roamer is likely to have arrived and left that long unseen, capped at half the
    // 24-h trip gap: present 10 Jan 02:00 .. 13 Jan 02:00. The 04:00 instants of 10,
    // 11 and 12 January make 3 nights (2 between the first and last events alone), all
    // in the west, the first one before the first event.
    w.feed(in, {w.roam(World::at("2024-01-10", 14), 0), w.roam(World::at("2024-01-11", 14), 0),
                w.roam(World::at("2024-01-12", 14), 0)});
    EXPECT_EQ(in.by_country().at("FR").nights, 3u);
    for (const auto& r : in.table().rows)
        if (r.level == 1) {
            EXPECT_EQ(w.model->levels()[1].zones[r.zones[0]].id, "W");
            EXPECT_EQ(r.values[2], 3);
        }
    // A single event: no gap to go by; the trip reaches half the 24-h trip gap either
    // side (10 Jan 11:00 .. 11 Jan 11:00), which always holds one 04:00: one night.
    InboundTourism once(*w.space, w.config);
    w.feed(once, {w.roam(World::at("2024-01-10", 23), 0)});
    EXPECT_EQ(once.by_country().at("FR").nights, 1u);
}

TEST(InboundTourism, ForeignSimSeenAcrossThePeriodIsAResident) {
    World w;
    InboundTourism in(*w.space, w.config);
    // A French SIM seen every day of the 60-day period, sleeping west and east on
    // alternate nights: no zone holds 80 % of its nights, so no home, but both
    // zones make its usual environment. It lives here; it is not a visitor.
    std::vector<Event> ev;
    for (Day d = w.config.input.period_start; d <= w.config.input.period_end; ++d) {
        const uint32_t cell = uint32_t(d % 2);
        for (int hour : {9, 13, 19, 23}) ev.push_back(w.roam((int64_t(d) * 24 + hour - 1) * 3'600'000LL, cell));
    }
    DeviceModel m(w.config, w.space->places());
    DeviceView v;
    m.build(1, ev, v);
    ASSERT_EQ(v.anchors.home, kNoZoneIndex);
    ASSERT_FALSE(v.anchors.usual.empty());
    in.add(v);
    EXPECT_EQ(in.foreign_residents(), 1u);
    EXPECT_TRUE(in.by_country().empty());
    // Leaving three days before the period ends, after 57 days seen daily: the
    // departure is visible (3 days unseen, longer than any of its own gaps), so it is
    // not seen across the whole period; judged by that alone, a visit ...
    std::vector<Event> until_three_days_before(ev.begin(), ev.end() - 3 * 4);
    Config no_long_stay = w.config;
    no_long_stay.tourism.inbound_resident_stay_days = 0;
    InboundTourism leaves(*w.space, no_long_stay);
    w.feed(leaves, until_three_days_before);
    EXPECT_EQ(leaves.foreign_residents(), 0u);
    EXPECT_EQ(leaves.by_country().at("FR").visitors, 1u);
    // ... but a stay of 57 days is no visit: a resident leaving on a journey abroad.
    InboundTourism stays(*w.space, w.config);
    w.feed(stays, until_three_days_before);
    EXPECT_EQ(stays.foreign_residents(), 1u);
    // One event every other or every third day from the first day to the last: gaps
    // everywhere, none at the ends longer than its own, and seen on as many days as a
    // SIM that sparse would be (20 events: 60 (1 - e^(-1/3)) = 17 days expected, 20
    // seen): a resident.
    for (int step : {2, 3}) {
        InboundTourism sparse(*w.space, w.config);
        std::vector<Event> some;
        for (size_t i = 0; i < ev.size(); i += 4)
            if ((i / 4) % size_t(step) == 0) some.push_back(ev[i]);
        w.feed(sparse, some);
        EXPECT_EQ(sparse.foreign_residents(), 1u) << "every " << step << " days";
    }
    // Four events on every third day: 80 events would put a SIM seen at random on
    // 60 (1 - e^(-4/3)) = 44 days; seen on 20, under half of that: it comes and goes.
    InboundTourism comes_and_goes(*w.space, w.config);
    std::vector<Event> clumped;
    for (size_t i = 0; i < ev.size(); ++i)
        if ((i / 4) % 3 == 0) clumped.push_back(ev[i]);
    w.feed(comes_and_goes, clumped);
    EXPECT_EQ(comes_and_goes.foreign_residents(), 0u);
}

TEST(InboundTourism, LongStayIsAResidentAThreeWeekVisitIsNot) {
    World w;  // period 1 January .. 29 February (60 days); inbound_resident_stay_days 28
    const Day jan1 = w.config.input.period_start;
    // A sparse foreign resident: one event (13:00, west) every third day from 1 January
    // to 4 February (days 0, 3, .., 33: 12 events on 12 days), then quiet for 25 days
    // (abroad, or just quiet). The quiet end is longer than any of its own gaps (2
    // days), so it is not seen across the period; but its stay runs over 34 days (1
    // January to 3 February inclusive), at least 28, and it is seen on 12 days where a
    // SIM of 12 events spread over 34 days would be seen on 34 (1 - e^(-12/34)) = 10.1
    // (half of that: 5.1): a resident.
    std::vector<Event> sparse;
    for (Day d = 0; d <= 33; d += 3) sparse.push_back(w.roam((int64_t(jan1 + d) * 24 + 13 - 1) * H, 0));
    ASSERT_EQ(sparse.size(), 12u);
    InboundTourism resident(*w.space, w.config);
    w.feed(resident, sparse);
    EXPECT_EQ(resident.foreign_residents(), 1u);
    EXPECT_TRUE(resident.by_country().empty());
    // A three-week tourist: arrives 10 January, seen at 9, 13, 19 and 23 h every day
    // until 30 January (21 days, 84 events), then leaves. Stay 21 days < 28 and a
    // visible arrival: a visitor. Its trip runs from 10 Jan 09:00 to 30 Jan 23:00,
    // 494 h over 83 gaps (5.95 h), reaching that far beyond both ends: 10 Jan 03:03 ..
    // 31 Jan 04:57, so the 04:00 instants of 10 .. 31 January: 22 nights.
    std::vector<Event> tourist;
    for (Day d = 9; d <= 29; ++d)
        for (int hour : {9, 13, 19, 23}) tourist.push_back(w.roam((int64_t(jan1 + d) * 24 + hour - 1) * H, 0));
    InboundTourism visit(*w.space, w.config);
    w.feed(visit, tourist);
    EXPECT_EQ(visit.foreign_residents(), 0u);
    EXPECT_EQ(visit.by_country().at("FR").visitors, 1u);
    EXPECT_EQ(visit.by_country().at("FR").trips, 1u);
    EXPECT_EQ(visit.by_country().at("FR").nights, 22u);
    // Two visits far apart are not one long stay: four events a day on 1 .. 10 January
    // and on 20 .. 29 February. First to last day 60 days, but 80 events spread over
    // 60 days would be seen on 60 (1 - e^(-80/60)) = 44.2 days, and it is seen on 20,
    // under half of that: a visitor, with two trips.
    std::vector<Event> twice;
    for (Day d : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59})
        for (int hour : {9, 13, 19, 23}) twice.push_back(w.roam((int64_t(jan1 + d) * 24 + hour - 1) * H, 0));
    InboundTourism two_visits(*w.space, w.config);
    w.feed(two_visits, twice);
    EXPECT_EQ(two_visits.foreign_residents(), 0u);
    EXPECT_EQ(two_visits.by_country().at("FR").trips, 2u);
}

TEST(InboundTourism, QuietDaysAtTheSimsPaceDoNotEndATrip) {
    World w;
    const Day d0 = *parse_day("2024-01-10");
    // Seen at 9, 13, 19 and 23 h on 10 .. 25 January (days 0 .. 15) but for the quiet
    // days 2, 5, 10 and 13 and the two quiet days 7 and 8: 40 events on 10 of 16 days,
    // in the west until day 6, in the east from day 9.
    // By its events: mean gap (15 days 14 h = 374 h) / 39 = 9.59 h; 4.6 times that is
    // 44.1 h, and the 58-h silence from 16 Jan 23:00 (day 6) to 19 Jan 09:00 (day 9)
    // would end a trip (the one-day silences, 34 h, would not). By its days: leaving out
    // the two quiet days of that silence, (4 + 1) / (14 + 2) = 5/16 of its days are
    // quiet, and 4.6 / ln(16/5) = 3.96 days (95 h) of quiet come 1 % of the time at that
    // pace: one trip.
    std::vector<Event> ev;
    for (Day d = 0; d <= 15; ++d)
        if (d != 2 && d != 5 && d != 7 && d != 8 && d != 10 && d != 13)
            for (int hour : {9, 13, 19, 23}) ev.push_back(w.roam((int64_t(d0 + d) * 24 + hour - 1) * H, d < 7 ? 0u : 1u));
    ASSERT_EQ(ev.size(), 40u);
    InboundTourism in(*w.space, w.config);
    w.feed(in, ev);
    const auto& fr = in.by_country().at("FR");
    EXPECT_EQ(fr.trips, 1u);
    // The trip runs 9.59 h beyond its first and last events: 9 Jan 23:25 .. 26 Jan
    // 08:35, the 04:00 instants of 10 .. 26 January: 17 nights, the quiet ones included.
    // 10 in the west (10 Jan, before the first event, where it was first seen; 11 .. 19
    // Jan, last seen there before) and 7 in the east (20 .. 26 Jan).
    EXPECT_EQ(fr.nights, 17u);
    std::map<std::string, double> nights_by_zone;
    for (const auto& r : in.table().rows)
        if (r.level == 1) nights_by_zone[w.model->levels()[1].zones[r.zones[0]].id] += r.values[2];
    EXPECT_EQ(nights_by_zone.at("W"), 10);
    EXPECT_EQ(nights_by_zone.at("E"), 7);
    // Without the pace tests (inbound_gap_pace_factor = 0) the 24-h gap alone splits
    // it at each silence of more than a day: after days 1, 4, 6, 9 and 12, six trips.
    Config fixed = w.config;
    fixed.tourism.inbound_gap_pace_factor = 0;
    InboundTourism strict(*w.space, fixed);
    w.feed(strict, ev);
    EXPECT_EQ(strict.by_country().at("FR").trips, 6u);
}

TEST(OutboundTourism, BorderBlipIsNotATrip) {
    World w;
    OutboundTourism out(*w.space, w.config);
    // At home, one hour on a Dutch network near the border, home again.
    w.feed(out, {w.home(World::at("2024-01-10", 9), 0), w.abroad(World::at("2024-01-10", 10), 204),
                 w.abroad(World::at("2024-01-10", 11), 204), w.home(World::at("2024-01-10", 12), 0)});
    EXPECT_EQ(out.blips(), 1u);
    EXPECT_TRUE(out.by_country().empty());
    // Three days in France: one trip, two nights, origin = the west (last zone before leaving).
    OutboundTourism trip(*w.space, w.config);
    w.feed(trip, {w.home(World::at("2024-01-10", 9), 0), w.abroad(World::at("2024-01-10", 15), 208),
                  w.abroad(World::at("2024-01-11", 15), 208), w.abroad(World::at("2024-01-12", 15), 208),
                  w.home(World::at("2024-01-13", 9), 1)});
    const auto& fr = trip.by_country().at("FR");
    EXPECT_EQ(fr.visitors, 1u);
    EXPECT_EQ(fr.trips, 1u);
    EXPECT_EQ(fr.nights, 2u);
    for (const auto& r : trip.table().rows)
        if (r.level == 1) {
            EXPECT_EQ(w.model->levels()[1].zones[r.zones[0]].id, "W");
        }
}

TEST(OutboundTourism, SparseTripIsBoundedByTheEventsAroundIt) {
    World w;
    // Seen at home 10 Jan 08:00, once in France 11 Jan 12:00, home again 13 Jan 08:00.
    // Time abroad runs from the midpoint 10 Jan 22:00 to the midpoint 12 Jan 10:00
    // (36 h): a trip, with the 04:00 instants of 11 and 12 Jan inside: two nights.
    OutboundTourism out(*w.space, w.config);
    w.feed(out, {w.home(World::at("2024-01-10", 8), 0), w.abroad(World::at("2024-01-11", 12), 208),
                 w.home(World::at("2024-01-13", 8), 0)});
    EXPECT_EQ(out.blips(), 0u);
    const auto& fr = out.by_country().at("FR");
    EXPECT_EQ(fr.visitors, 1u);
    EXPECT_EQ(fr.trips, 1u);
    EXPECT_EQ(fr.nights, 2u);
    // Home events 88 h either side: each extension (44 h) is capped at half the 72 h
    // trip gap (36 h), so the segment is 10 Jan 00:00 .. 13 Jan 00:00: the nights of
    // 10, 11 and 12 Jan (uncapped, 9 Jan 16:00 .. 13 Jan 08:00 would add 13 Jan).
    OutboundTourism capped(*w.space, w.config);
    w.feed(capped, {w.home(World::at("2024-01-07", 20), 0), w.abroad(World::at("2024-01-11", 12), 208),
                    w.home(World::at("2024-01-15", 4), 0)});
    EXPECT_EQ(capped.by_country().at("FR").nights, 3u);
}

TEST(OutboundTourism, Chao1UnseenFromTravellersSeenOnceAndTwice) {
    EXPECT_DOUBLE_EQ(chao1_unseen(4, 2), 4.0);    // 4^2 / (2 * 2)
    EXPECT_DOUBLE_EQ(chao1_unseen(10, 5), 10.0);  // 100 / 10
    EXPECT_DOUBLE_EQ(chao1_unseen(3, 0), 3.0);    // none seen twice: 3 * 2 / 2
    EXPECT_DOUBLE_EQ(chao1_unseen(1, 0), 0.0);
    EXPECT_DOUBLE_EQ(chao1_unseen(0, 7), 0.0);    // nobody seen once: nobody unseen (busy phones, xdr)
}

TEST(OutboundTourism, SmallCountriesTakeThePooledDetectionRate) {
    std::map<std::string, Sightings> by;
    by["FR"] = {200, 20, 10};  // own: 200 + 400 / 20 = 220 → 1.1
    by["DE"] = {10, 3, 0};     // below 100 seen: pooled
    by["XX"] = {0, 0, 0};
    const auto f = completeness_factors(by, 100);
    EXPECT_DOUBLE_EQ(f.at("FR"), 1.1);
    // Pooled: 210 seen, f1 = 23, f2 = 10 → 529 / 20 = 26.45 unseen.
    EXPECT_DOUBLE_EQ(f.at("DE"), (210 + 26.45) / 210);
    EXPECT_DOUBLE_EQ(f.at("XX"), (210 + 26.45) / 210);
    // With no minimum, each country its own: DE 10 + 3 → 1.3; none seen → 1.
    const auto own = completeness_factors(by, 0);
    EXPECT_DOUBLE_EQ(own.at("FR"), 1.1);
    EXPECT_DOUBLE_EQ(own.at("DE"), 1.3);
    EXPECT_DOUBLE_EQ(own.at("XX"), 1.0);
    EXPECT_TRUE(completeness_factors({}, 100).empty());
}

TEST(OutboundTourism, TravellersEstimatedAddTheUnseen) {
    World w;
    w.config.tourism.outbound_estimate_min_travellers = 0;
    OutboundTourism out(*w.space, w.config);
    // Four travellers to France seen abroad once, two seen twice (over two trips for
    // one of them: the count is per traveller and country), one seen three times:
    // f1 = 4, f2 = 2 → 4 unseen; 7 seen → 11 estimated, a factor 11 / 7.
    auto trip = [&](OutboundTourism& h, std::vector<int> abroad_days) {
        std::vector<Event> ev{w.home(World::at("2024-01-02", 9), 0)};
        for (int d : abroad_days) {
            const std::string day = fmt::format("2024-01-{:02d}", d);
            ev.push_back(w.abroad(World::at(day.c_str(), 15), 208));
            if (d == 10) ev.push_back(w.home(World::at("2024-01-15", 9), 0));  // home between two trips
        }
        ev.push_back(w.home(World::at("2024-01-28", 9), 0));
        w.feed(h, ev);
    };
    for (int k = 0; k < 4; ++k) trip(out, {5});
    trip(out, {5, 6});
    trip(out, {10, 20});  // two trips of one event each
    trip(out, {5, 6, 7});
    const auto& s = out.sightings().at("FR");
    EXPECT_EQ(s.seen, 7u);
    EXPECT_EQ(s.once, 4u);
    EXPECT_EQ(s.twice, 2u);
    EXPECT_DOUBLE_EQ(out.completeness().at("FR"), 11.0 / 7.0);
    AggregateTable t = out.table();
    ASSERT_EQ(t.value_columns, (std::vector<std::string>{"travellers", "trips", "nights", "travellers_estimated"}));
    EXPECT_EQ(t.additive_values, 4u);
    // Every traveller left from the west: the district row has 7 travellers, 11 estimated.
    bool found = false;
    for (const auto& r : t.rows)
        if (r.level == 1 && r.keys == std::vector<std::string>{"2024-01", "FR"}) {
            found = true;
            EXPECT_EQ(r.values[0], 7.0);
            EXPECT_EQ(r.values[1], 8.0);
            EXPECT_EQ(r.values[3], 11.0);
            EXPECT_EQ(r.support, 7u);
        }
    EXPECT_TRUE(found);
    // Split across two accumulators and merged: the same frequencies, the same estimate.
    OutboundTourism a(*w.space, w.config), b(*w.space, w.config);
    for (int k = 0; k < 4; ++k) trip(k % 2 ? a : b, {5});
    trip(a, {5, 6});
    trip(b, {10, 20});
    trip(a, {5, 6, 7});
    a.merge(b);
    EXPECT_DOUBLE_EQ(a.completeness().at("FR"), 11.0 / 7.0);
}

}  // namespace
}  // namespace mpdstat
