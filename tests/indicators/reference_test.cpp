// The benchmarks' reference indicators on hand-built devices: a device counted
// once per local hour in the zone of that hour's last located event, its home
// the modal daily last cell, and OD pairs of consecutive days.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "indicators/reference.hpp"
#include "world_fixture.hpp"

namespace mpdstat {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(ReferenceIndicators, LastEventOfEachHourAndModalDailyCell) {
    test::World w;  // Europe/Berlin: UTC+1 in January; cell 0 in West, cell 1 in East
    ReferenceIndicators ref(*w.space, w.config, w.cells);
    // Day 1: 08:10 W, 08:50 E (hour 8 ends in the east), 09:30 W. Day 2: 20:00 E.
    // Day 3: 07:00 W. Daily last cells W, E, W: home West (2 days of 3).
    w.feed(ref, {w.home(test::World::at("2024-01-10", 8, 10), 0), w.home(test::World::at("2024-01-10", 8, 50), 1),
                 w.home(test::World::at("2024-01-10", 9, 30), 0), w.home(test::World::at("2024-01-11", 20, 0), 1),
                 w.home(test::World::at("2024-01-12", 7, 0), 0)});
    ref.write(w.f.dir);
    EXPECT_EQ(slurp(w.f.dir / "events.csv"), "date,events\n2024-01-10,3\n2024-01-11,1\n2024-01-12,1\n");
    EXPECT_EQ(slurp(w.f.dir / "present.csv"),
              "date,hour,zone,devices\n2024-01-10,8,E,1\n2024-01-10,9,W,1\n2024-01-11,20,E,1\n2024-01-12,7,W,1\n");
    EXPECT_EQ(slurp(w.f.dir / "home.csv"), "zone,devices\nW,1\n");
    EXPECT_EQ(slurp(w.f.dir / "od.csv"),
              "date,origin,destination,devices\n2024-01-11,W,E,1\n2024-01-12,E,W,1\n");
}

TEST(ReferenceIndicators, AnHourMetAgainAfterAFallBackCountsOnce) {
    // Antarctica/Troll falls back two hours at 01:00 UTC on 29 Oct 2023 (03:00
    // local, UTC+2, becomes 01:00, UTC+0): local hours run 2, 1, 2 again.
    test::World w;
    w.config.input.timezone = "Antarctica/Troll";
    w.config.input.period_start = *parse_day("2023-10-01");
    w.config.input.period_end = *parse_day("2023-10-31");
    ReferenceIndicators ref(*w.space, w.config, w.cells);
    const int64_t utc0 = int64_t(*parse_day("2023-10-29")) * 24 * test::H;
    w.feed(ref, {w.home(utc0 + test::H / 2, 0),       // 02:30 local (UTC+2), West
                 w.home(utc0 + 3 * test::H / 2, 0),   // 01:30 local (UTC+0), West
                 w.home(utc0 + 5 * test::H / 2, 1)}); // 02:30 local again, East: hour 2's last event
    ref.write(w.f.dir);
    EXPECT_EQ(slurp(w.f.dir / "present.csv"), "date,hour,zone,devices\n2023-10-29,1,W,1\n2023-10-29,2,E,1\n");
    EXPECT_EQ(slurp(w.f.dir / "events.csv"), "date,events\n2023-10-29,3\n");
}

}  // namespace
}  // namespace mpdstat
