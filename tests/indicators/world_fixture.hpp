#pragma once
// A two-district country (West, East) with one cell in each, and helpers to
// feed hand-built event sequences through the device model into indicators.
#include <gtest/gtest.h>

#include "../spatial/spatial_fixture.hpp"
#include "devices/device_model.hpp"
#include "indicators/zone_space.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::test {

constexpr int64_t H = 3'600'000;

struct World {
    test::SpatialFixture f{"indicators"};
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

}  // namespace mpdstat::test
