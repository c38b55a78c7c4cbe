// Hand-built roaming cases: nights across midnight, a trip across a month
// boundary, a border blip.
#include <gtest/gtest.h>

#include "indicators/inbound_tourism.hpp"
#include "indicators/outbound_tourism.hpp"
#include "world_fixture.hpp"

namespace mpdstat {
namespace {

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
    // A gap of more than 24 h starts a new trip for a SIM seen every two hours otherwise
    // (12 events from 10 Jan 08:00 to 12 Jan 16:00: mean gap 56 h / 11 = 5.1 h, 4.6
    // times that is under 24 h; the 26-h silence before 12 Jan 16:00 ends the trip) ...
    std::vector<Event> busy;
    for (int h = 8; h <= 20; h += 2) busy.push_back(w.roam(World::at("2024-01-10", h), 0));
    for (int h = 8; h <= 14; h += 2) busy.push_back(w.roam(World::at("2024-01-11", h), 0));
    busy.push_back(w.roam(World::at("2024-01-12", 16), 0));
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
    // A single event: nothing to go by, no night.
    InboundTourism once(*w.space, w.config);
    w.feed(once, {w.roam(World::at("2024-01-10", 23), 0)});
    EXPECT_EQ(once.by_country().at("FR").nights, 0u);
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
    // departure is visible (3 days unseen, longer than any of its own gaps), a visit.
    InboundTourism leaves(*w.space, w.config);
    std::vector<Event> until_three_days_before(ev.begin(), ev.end() - 3 * 4);
    w.feed(leaves, until_three_days_before);
    EXPECT_EQ(leaves.foreign_residents(), 0u);
    EXPECT_EQ(leaves.by_country().at("FR").visitors, 1u);
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

}  // namespace
}  // namespace mpdstat
