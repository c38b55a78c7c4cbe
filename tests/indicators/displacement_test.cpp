// Present population at night against the baseline median, by hand: two
// devices sleep in West; after the event one of them sleeps in East.
#include <gtest/gtest.h>

#include "indicators/displacement.hpp"
#include "world_fixture.hpp"

namespace mpdstat {
namespace {

using test::World;

// Evenings at 20:00 and mornings at 07:00 in the cell of each night.
std::vector<Event> nights(const World& w, const char* first, const char* last, const char* move_on, uint32_t later_cell) {
    std::vector<Event> ev;
    for (Day d = *parse_day(first); d <= *parse_day(last); ++d) {
        uint32_t cell = move_on && d >= *parse_day(move_on) ? later_cell : 0;
        ev.push_back(w.home(World::at(format_day(d).c_str(), 20), cell));
        ev.push_back(w.home(World::at(format_day(d + 1).c_str(), 7), cell));
    }
    return ev;
}

// January 2024, a disaster on the 15th in West, the 10 nights before as baseline.
void affected_west(World& w) {
    w.config.input.period_start = *parse_day("2024-01-01");
    w.config.input.period_end = *parse_day("2024-01-25");
    w.config.displacement.event_date = *parse_day("2024-01-15");
    w.config.displacement.baseline_days = 10;
    w.config.displacement.affected_zones = {"W"};
    w.config.anchors.ess_min_days = 7;  // a baseline home from the 10 baseline nights
}

TEST(DisplacementChange, NightsAgainstTheBaselineMedian) {
    World w;
    w.config.input.period_start = *parse_day("2024-01-01");
    w.config.input.period_end = *parse_day("2024-01-19");
    w.config.displacement.event_date = *parse_day("2024-01-15");
    w.config.displacement.baseline_days = 10;  // nights of 5–14 January
    w.config.displacement.affected_zones = {"W"};
    Displacement d(*w.space, w.config);
    w.feed(d, nights(w, "2024-01-01", "2024-01-19", "2024-01-15", 1));  // leaves for East on the 15th
    w.feed(d, nights(w, "2024-01-01", "2024-01-19", nullptr, 0));

    AggregateTable t = d.change_table();
    EXPECT_EQ(t.name, "displacement_change");
    const uint32_t west = w.space->places().zone[0], east = w.space->places().zone[1];
    std::map<std::pair<uint32_t, std::string>, std::vector<double>> finest;
    std::map<std::pair<uint32_t, std::string>, uint64_t> support;
    for (const auto& r : t.rows)
        if (r.level == 1) finest[{r.zones[0], r.keys[0]}] = r.values, support[{r.zones[0], r.keys[0]}] = r.support;
    // Baseline: 2 devices every night in West, none in East.
    EXPECT_EQ((finest[{west, "2024-01-05"}]), (std::vector<double>{2, 2, 0}));
    EXPECT_EQ((finest[{west, "2024-01-14"}]), (std::vector<double>{2, 2, 0}));
    EXPECT_EQ((finest[{west, "2024-01-15"}]), (std::vector<double>{1, 2, -50}));
    EXPECT_EQ((finest[{east, "2024-01-15"}]), (std::vector<double>{1, 0, 0}));
    EXPECT_EQ((support[{east, "2024-01-15"}]), 0u);  // a zero baseline shows nothing
    EXPECT_FALSE(finest.count({west, "2024-01-04"}));  // before the baseline
    // The country: both devices every night, no change.
    int country_rows = 0;
    for (const auto& r : t.rows) {
        if (r.level != 0 || r.keys[0] != "2024-01-16") continue;
        ++country_rows;
        EXPECT_EQ(r.values, (std::vector<double>{2, 2, 0}));
    }
    EXPECT_EQ(country_rows, 1);
}

TEST(Displacement, UnseenNightsBetweenTwoInOneZoneAreFilled) {
    World w;
    affected_west(w);
    ASSERT_EQ(w.config.displacement.fill_nights, 3);
    // Both sleep in West until the 14th, then in East on the 15th, seen that evening and
    // the next morning (the 16th's only event, that morning, places its night in East too). A is
    // seen again in East on the evening of the 18th (the 17th unseen: filled) and the
    // morning after (the 19th); B on the 22nd (the 17th to the 21st unseen, more than
    // fill_nights: left unknown).
    auto resident = [&](const char* back_on) {
        std::vector<Event> ev = nights(w, "2024-01-01", "2024-01-15", "2024-01-15", 1);
        for (const Event& e : nights(w, back_on, back_on, back_on, 1)) ev.push_back(e);
        return ev;
    };
    Displacement a(*w.space, w.config), b(*w.space, w.config);
    w.feed(a, resident("2024-01-18"));
    w.feed(b, resident("2024-01-22"));
    auto days = [](std::initializer_list<const char*> list) {
        std::map<Day, uint64_t> m;
        for (const char* d : list) m[*parse_day(d)] = 1;
        return m;
    };
    EXPECT_EQ(a.displaced_by_day(), days({"2024-01-15", "2024-01-16", "2024-01-17", "2024-01-18", "2024-01-19"}));
    EXPECT_EQ(b.displaced_by_day(), days({"2024-01-15", "2024-01-16", "2024-01-22", "2024-01-23"}));
    // Nights with a known place (the base of the share away): the 14th, at home, too.
    EXPECT_EQ(a.located_by_day().size(), 6u);
    EXPECT_EQ(b.located_by_day().size(), 5u);
}

TEST(Displacement, NightIsWhereTheNearestEventToItSays) {
    World w;
    affected_west(w);
    // At home in West every night to the 14th. Seen at home at 10:00 on the 15th before
    // leaving, first seen in East at 09:00 on the 16th: 02:30 of the 16th is 6.5 h from
    // that morning, 16.5 h from the evening's last event: the night of the 15th is in East
    // (the day's last event alone put it at home). Back home on the 21st: seen in East at
    // 08:00 on the 20th, at home at 10:00 on the 21st: the night of the 20th is at home.
    std::vector<Event> ev = nights(w, "2024-01-01", "2024-01-14", nullptr, 0);
    ev.push_back(w.home(World::at("2024-01-15", 10), 0));
    ev.push_back(w.home(World::at("2024-01-16", 9), 1));
    ev.push_back(w.home(World::at("2024-01-20", 8), 1));
    ev.push_back(w.home(World::at("2024-01-21", 10), 0));
    // At home on the 24th and the 25th, the period's last day: its night ends after the
    // data and is not counted.
    for (const Event& e : nights(w, "2024-01-24", "2024-01-24", nullptr, 0)) ev.push_back(e);
    ev.push_back(w.home(World::at("2024-01-25", 20), 0));
    Displacement d(*w.space, w.config);
    w.feed(d, ev);
    std::map<Day, uint64_t> away{{*parse_day("2024-01-15"), 1}, {*parse_day("2024-01-16"), 1}};
    EXPECT_EQ(d.displaced_by_day(), away);
    // Located: the 14th to the 16th, the 20th and the 21st, the 22nd and 23rd (filled
    // between two nights at home), the 24th; not the 17th to the 19th, nor the 25th.
    std::vector<Day> located;
    for (const auto& [night, n] : d.located_by_day()) located.push_back(night);
    std::vector<Day> expected;
    for (const char* day : {"2024-01-14", "2024-01-15", "2024-01-16", "2024-01-20", "2024-01-21", "2024-01-22", "2024-01-23", "2024-01-24"})
        expected.push_back(*parse_day(day));
    EXPECT_EQ(located, expected);
    for (const auto& r : d.change_table().rows) EXPECT_NE(r.keys[0], "2024-01-25");
}

}  // namespace
}  // namespace mpdstat
