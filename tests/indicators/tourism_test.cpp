// Hand-built roaming cases: nights across midnight, a trip across a month
// boundary, a border blip.
#include <gtest/gtest.h>

#include "../spatial/spatial_fixture.hpp"
#include "devices/device_model.hpp"
#include "indicators/inbound_tourism.hpp"
#include "indicators/outbound_tourism.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat {
namespace {

constexpr int64_t H = 3'600'000;

struct World {
    test::SpatialFixture f{"tourism"};
    Config config;
    CellPlan cells;
    std::unique_ptr<SpatialModel> model;
    std::unique_ptr<ZoneSpace> space;
    World() {
        test::write_square_country(f);
        f.write_cells({{"W1", "SW", 405000, 5805000}, {"E1", "SE", 415000, 5805000}});
        config = f.config(test::kTwoLevels, "method = \"point\"");
        config.input.period_end = *parse_day("2024-02-29");
        cells = f.cells();
        model = std::make_unique<SpatialModel>(build_spatial_model(config, cells, SpatialBuildOptions{false}));
        space = std::make_unique<ZoneSpace>(*model, config);
    }
    // Local Berlin time (UTC+1 in winter) → UTC ms.
    static int64_t at(const char* day, int hour, int minute = 0) {
        return (int64_t(*parse_day(day)) * 24 + hour - 1) * H + minute * 60'000LL;
    }
    Event roam(int64_t t, uint32_t cell) const {
        Event e;
        e.time_ms = t;
        e.cell = cell;
        e.mcc = 208;  // a French SIM
        e.domain = Domain::inbound;
        return e;
    }
    Event abroad(int64_t t, uint16_t mcc) const {
        Event e;
        e.time_ms = t;
        e.mcc = 262;
        e.serving_mcc = mcc;
        e.domain = Domain::outbound;
        return e;
    }
    Event home(int64_t t, uint32_t cell) const {
        Event e;
        e.time_ms = t;
        e.cell = cell;
        e.mcc = 262;
        return e;
    }
    template <class H>
    void feed(H& handler, std::vector<Event> ev) const {
        DeviceModel m(config, space->places());
        DeviceView v;
        m.build(1, ev, v);
        handler.add(v);
    }
};

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
    // A gap of more than 24 h starts a new trip.
    InboundTourism two(*w.space, w.config);
    w.feed(two, {w.roam(World::at("2024-01-10", 10), 0), w.roam(World::at("2024-01-11", 11), 0)});
    EXPECT_EQ(two.by_country().at("FR").trips, 2u);
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

}  // namespace
}  // namespace mpdstat
