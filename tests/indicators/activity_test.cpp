#include "indicators/activity.hpp"

#include <gtest/gtest.h>

#include "world_fixture.hpp"

namespace mpdstat {
namespace {

using test::World;

TEST(Activity, EventsDevicesAndThe90DayWindow) {
    World w;
    Activity a(*w.space, w.config, w.cells);
    // Two calls and a data session in the west on 10 January; one call on 12 January.
    std::vector<Event> ev{w.home(World::at("2024-01-10", 9), 0), w.home(World::at("2024-01-10", 10), 0),
                          w.home(World::at("2024-01-10", 11), 0), w.home(World::at("2024-01-12", 9), 0)};
    ev[0].type = ev[1].type = ev[3].type = EventType::call;
    ev[2].type = EventType::data;
    w.feed(a, ev);
    // A second device, one call on 10 January.
    std::vector<Event> other{w.home(World::at("2024-01-10", 15), 0)};
    other[0].type = EventType::call;
    w.feed(a, other);

    std::map<std::tuple<std::string, std::string>, std::vector<double>> by;  // (date, type) at district level
    for (const auto& r : a.events_table().rows)
        if (r.level == 1) by[{r.keys[0], r.keys[1]}] = r.values;
    EXPECT_EQ(by.at({"2024-01-10", "call"}), (std::vector<double>{3, 2, 1.5}));
    EXPECT_EQ(by.at({"2024-01-10", "data"}), (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(by.at({"2024-01-12", "call"}), (std::vector<double>{1, 1, 1}));

    std::map<std::string, std::vector<double>> days;  // date at district level
    for (const auto& r : a.devices_table().rows)
        if (r.level == 1) days[r.keys[0]] = r.values;
    EXPECT_FALSE(days.count("2024-01-09")) << "nobody active yet";
    EXPECT_EQ(days.at("2024-01-10"), (std::vector<double>{2, 1, 0.5}));
    EXPECT_FALSE(days.count("2024-01-11")) << "no row for a day without activity";
    EXPECT_EQ(days.at("2024-01-12"), (std::vector<double>{1, 0, 0}));
    // The row rests on the smaller device count that is not zero.
    for (const auto& r : a.devices_table().rows)
        if (r.level == 1 && r.keys[0] == "2024-01-10") {
            EXPECT_EQ(r.support, 1u) << "one data device of two";
        }

    // The 90-day count: one window per release, ending on the period's last day.
    const auto active = a.active_90d_table();
    ASSERT_FALSE(active.rows.empty());
    for (const auto& r : active.rows) {
        EXPECT_EQ(r.keys[0], format_day(w.config.input.period_end));
        if (r.level == 1) {
            EXPECT_EQ(r.values, (std::vector<double>{2}));  // both active within 90 days
        }
    }
}


// Days that do not rise with time (a clock turned back across midnight) are
// counted as if the events came day by day: the same rows as in time order.
TEST(Activity, EventsWhoseLocalDaysFallBackCountOnce) {
    World w;
    std::vector<Event> ev{w.home(World::at("2024-01-10", 9), 0), w.home(World::at("2024-01-12", 9), 0),
                          w.home(World::at("2024-01-10", 11), 0), w.home(World::at("2024-01-12", 10), 0)};
    ev[0].type = ev[1].type = ev[3].type = EventType::call;
    ev[2].type = EventType::data;
    Activity a(*w.space, w.config, w.cells);
    DeviceView v;
    v.events = ev;
    a.add(v);
    std::map<std::tuple<std::string, std::string>, std::vector<double>> by;  // (date, type) at district level
    for (const auto& r : a.events_table().rows)
        if (r.level == 1) by[{r.keys[0], r.keys[1]}] = r.values;
    EXPECT_EQ(by.size(), 3u);
    EXPECT_EQ(by.at({"2024-01-10", "call"}), (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(by.at({"2024-01-10", "data"}), (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(by.at({"2024-01-12", "call"}), (std::vector<double>{2, 1, 2}));
    std::map<std::string, std::vector<double>> days;
    for (const auto& r : a.devices_table().rows)
        if (r.level == 1) days[r.keys[0]] = r.values;
    EXPECT_EQ(days.at("2024-01-10"), (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(days.at("2024-01-12"), (std::vector<double>{1, 0, 0}));
}

// Accumulators filled apart and merged, or shipped as bytes (MPI), give the
// rows of one accumulator fed every device.
TEST(Activity, MergedAndShippedAccumulatorsGiveTheSameRows) {
    World w;
    std::vector<std::vector<Event>> devices{
        {w.home(World::at("2024-01-10", 9), 0), w.home(World::at("2024-01-10", 18), 1)},
        {w.home(World::at("2024-01-10", 8), 1), w.home(World::at("2024-01-11", 8), 1)},
        {w.home(World::at("2024-01-11", 12), 0)}};
    devices[0][1].type = EventType::data;
    Activity all(*w.space, w.config, w.cells);
    for (const auto& ev : devices) w.feed(all, ev);
    auto first = all.fresh(), second = all.fresh();
    w.feed(static_cast<Activity&>(*first), devices[0]);
    w.feed(static_cast<Activity&>(*second), devices[1]);
    w.feed(static_cast<Activity&>(*second), devices[2]);
    first->merge(*second);
    std::string bytes;
    first->save(bytes);
    auto shipped = all.fresh();
    shipped->load(bytes);
    auto rows = [](const AggregateTable& t) {
        std::vector<std::tuple<uint32_t, std::vector<uint32_t>, std::vector<std::string>, std::vector<double>>> out;
        for (const auto& r : t.rows) out.emplace_back(r.level, r.zones, r.keys, r.values);
        return out;
    };
    const auto& merged = static_cast<const Activity&>(*shipped);
    EXPECT_EQ(rows(merged.events_table()), rows(all.events_table()));
    EXPECT_EQ(rows(merged.devices_table()), rows(all.devices_table()));
    EXPECT_EQ(rows(merged.active_90d_table()), rows(all.active_90d_table()));
    // The east cell's district on 10 January: one device, one call-type event.
    size_t east_rows = 0;
    for (const auto& r : all.events_table().rows) east_rows += r.level == 1 && r.keys[0] == "2024-01-10";
    EXPECT_EQ(east_rows, 3u) << "west: an unknown-type event; east: a data and an unknown-type event";
}

}  // namespace
}  // namespace mpdstat
