#include "ingest/device_rules.hpp"

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

namespace mpdstat {
namespace {

constexpr int64_t MIN = 60'000;

Cell cell(const char* id, double lat, double lon) {
    Cell c;
    c.id = id;
    c.lat = lat;
    c.lon = lon;
    return c;
}

struct Fixture {
    CellPlan cells;
    CleaningConfig rules;
    LocalClock clock{"UTC"};
    Fixture() {
        // A at the origin; B 1.1 km east; FAR ~ 111 km north (1 degree of latitude).
        cells.add(cell("A", 10.0, 20.0));
        cells.add(cell("B", 10.0, 20.01));
        cells.add(cell("FAR", 11.0, 20.0));
    }
    IngestRow row(int64_t t_min, uint32_t cell, uint64_t line) {
        IngestRow r;
        r.event.device = 42;
        r.event.time_ms = 1'700'000'000'000LL + t_min * MIN;
        r.event.cell = cell;
        r.line = line;
        return r;
    }
    std::vector<Event> accepted;
    std::vector<RejectedRow> rejected;
    DeviceRuleCounts counts;
    void run(const std::vector<IngestRow>& rows) { apply_device_rules(rows, rules, cells, clock, accepted, rejected, counts); }
};

TEST(DeviceRules, HaversineIsSymmetricInLatLonOrder) {
    // 1 degree of latitude ≈ 111.2 km; 1 degree of longitude at 60°N ≈ 55.6 km.
    EXPECT_NEAR(haversine_m(0, 0, 1, 0), 111'195, 50);
    EXPECT_NEAR(haversine_m(60, 10, 60, 11), 55'597, 50);
    EXPECT_NEAR(haversine_m(60, 10, 60, 11), haversine_m(60, 11, 60, 10), 1e-6);
}

TEST(DeviceRules, DuplicatesKeepTheFirstRowAndFlagConflicts) {
    Fixture f;
    f.run({f.row(0, 0, 1), f.row(0, 0, 2), f.row(0, 1, 3), f.row(10, 1, 4)});
    ASSERT_EQ(f.accepted.size(), 2u);
    EXPECT_EQ(f.accepted[0].cell, 0u);
    EXPECT_TRUE(f.accepted[0].flags & event_flags::duplicate_conflict);
    ASSERT_EQ(f.rejected.size(), 2u);
    EXPECT_EQ(f.rejected[0].reason, Reject::duplicate);
    EXPECT_EQ(f.rejected[0].row.line, 2u);
    EXPECT_EQ(f.rejected[1].reason, Reject::duplicate_conflict);
    EXPECT_EQ(f.counts.conflicts_kept, 1u);
}

TEST(DeviceRules, JumpFromBothNeighboursIsDroppedFromOneIsFlagged) {
    Fixture f;
    // A, FAR 10 min later (111 km / 600 s = 185 m/s), back at A 10 min later.
    f.run({f.row(0, 0, 1), f.row(10, 2, 2), f.row(20, 0, 3)});
    ASSERT_EQ(f.rejected.size(), 1u);
    EXPECT_EQ(f.rejected[0].reason, Reject::impossible_jump);
    EXPECT_EQ(f.rejected[0].row.line, 2u);
    EXPECT_EQ(f.counts.suspicious_jumps, 0u);

    Fixture g;
    // A then FAR 10 min later and staying there: one-sided, so both kept and flagged.
    g.run({g.row(0, 0, 1), g.row(10, 2, 2), g.row(200, 2, 3)});
    EXPECT_TRUE(g.rejected.empty());
    EXPECT_EQ(g.counts.suspicious_jumps, 2u);  // A (jump after) and the first FAR (jump before)
    EXPECT_TRUE(g.accepted[0].flags & event_flags::suspicious_jump);
    EXPECT_TRUE(g.accepted[1].flags & event_flags::suspicious_jump);
    EXPECT_FALSE(g.accepted[2].flags & event_flags::suspicious_jump);

    Fixture h;
    // FAR reached in 40 min: 111 km / 2400 s = 46 m/s < 55 m/s: plausible.
    h.run({h.row(0, 0, 1), h.row(40, 2, 2), h.row(80, 0, 3)});
    EXPECT_TRUE(h.rejected.empty());
    EXPECT_EQ(h.counts.suspicious_jumps, 0u);
}

// The rules keep working vectors per thread: a device judged after a longer one,
// with drops, flags and duplicates of its own, gets what it gets on a fresh thread.
TEST(DeviceRules, ADeviceIsJudgedTheSameAfterAnother) {
    auto judge = [](Fixture& f, int device) {
        std::vector<IngestRow> rows;
        if (device == 0) {
            // Long: A and B in turn every 10 minutes, FAR in their midst (a jump from both
            // sides: dropped), a duplicate, and FAR again at the end (a jump from one side:
            // it and the B before it are flagged).
            for (int i = 0; i < 40; ++i) rows.push_back(f.row(10 * i, i == 20 ? 2u : uint32_t(i % 2), uint64_t(i + 1)));
            rows.insert(rows.begin() + 5, f.row(40, 0, 100));
            rows.push_back(f.row(400, 2, 200));
            rows.push_back(f.row(2000, 2, 201));
        } else {  // short: a conflict and a one-sided jump
            rows = {f.row(0, 0, 1), f.row(0, 1, 2), f.row(10, 2, 3), f.row(300, 2, 4)};
        }
        f.run(rows);
    };
    auto same = [](const Fixture& a, const Fixture& b) {
        ASSERT_EQ(a.accepted.size(), b.accepted.size());
        for (size_t i = 0; i < a.accepted.size(); ++i) {
            EXPECT_EQ(a.accepted[i].time_ms, b.accepted[i].time_ms) << i;
            EXPECT_EQ(a.accepted[i].cell, b.accepted[i].cell) << i;
            EXPECT_EQ(a.accepted[i].flags, b.accepted[i].flags) << i;
        }
        ASSERT_EQ(a.rejected.size(), b.rejected.size());
        for (size_t i = 0; i < a.rejected.size(); ++i) {
            EXPECT_EQ(a.rejected[i].row.line, b.rejected[i].row.line) << i;
            EXPECT_EQ(a.rejected[i].reason, b.rejected[i].reason) << i;
        }
        EXPECT_EQ(a.counts.suspicious_jumps, b.counts.suspicious_jumps);
        EXPECT_EQ(a.counts.conflicts_kept, b.counts.conflicts_kept);
    };
    for (int device : {0, 1}) {
        Fixture fresh;
        std::thread([&] { judge(fresh, device); }).join();
        Fixture after;
        judge(after, 1 - device);  // the other device first, on this thread
        after.accepted.clear();
        after.rejected.clear();
        after.counts = {};
        judge(after, device);
        same(fresh, after);
        if (device == 0) {  // the scenario does exercise every rule
            EXPECT_EQ(fresh.counts.suspicious_jumps, 2u);
            EXPECT_EQ(std::count_if(fresh.rejected.begin(), fresh.rejected.end(),
                                    [](const RejectedRow& r) { return r.reason == Reject::impossible_jump; }),
                      1);
            EXPECT_EQ(std::count_if(fresh.rejected.begin(), fresh.rejected.end(),
                                    [](const RejectedRow& r) { return r.reason == Reject::duplicate; }),
                      1);
        }
    }
}

TEST(DeviceRules, MachineLikeDevice) {
    Fixture f;
    std::vector<IngestRow> rows;
    // 10 events at one cell every 15 minutes, one gap of 16 minutes (rounds to 15).
    for (int i = 0; i < 10; ++i) rows.push_back(f.row(i * 15 + (i == 9 ? 1 : 0), 0, uint64_t(i)));
    f.run(rows);
    EXPECT_TRUE(f.accepted.empty());
    EXPECT_EQ(f.rejected.size(), 10u);
    EXPECT_EQ(f.counts.machine_devices, 1u);

    Fixture g;  // nine events are not enough
    rows.pop_back();
    g.run(rows);
    EXPECT_EQ(g.accepted.size(), 9u);

    Fixture h;  // irregular gaps: fewer than 70 % equal
    std::vector<IngestRow> irregular;
    int t = 0;
    for (int i = 0; i < 10; ++i) irregular.push_back(h.row(t += (i % 2 ? 15 : 47), 0, uint64_t(i)));
    h.run(irregular);
    EXPECT_EQ(h.accepted.size(), 10u);
}

TEST(DeviceRules, HyperactiveAndTooFew) {
    Fixture f;
    f.rules.max_events_per_day = 3;
    f.run({f.row(0, 0, 1), f.row(1, 1, 2), f.row(2, 0, 3), f.row(3, 1, 4)});
    EXPECT_EQ(f.counts.hyperactive_devices, 1u);
    EXPECT_EQ(f.rejected.size(), 4u);
    Fixture g;
    g.rules.min_events_per_device = 3;
    g.run({g.row(0, 0, 1), g.row(1, 1, 2)});
    EXPECT_EQ(g.counts.too_few_devices, 1u);
    EXPECT_EQ(g.rejected[0].reason, Reject::device_too_few_events);
}

}  // namespace
}  // namespace mpdstat
