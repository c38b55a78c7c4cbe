#include "devices/segments.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace mpdstat {
namespace {

constexpr int64_t MIN = 60'000, HOUR = 3'600'000;
constexpr int64_t T0 = 1'704'096'000'000LL;  // 2024-01-01 08:00 UTC

// Cells 0 and 1 share a site; cell 2 is 5 km east, cell 3 is 2 km east.
CellGeometry geometry() {
    static const double x[] = {0, 0, 5000, 2000}, y[] = {0, 0, 0, 0};
    CellGeometry g;
    g.distance_m = [](uint32_t a, uint32_t b) { return std::abs(x[a] - x[b]); };
    g.x = x;
    g.y = y;
    g.overlap_m2 = 1000.0 * 1000.0;  // cells within 1 km overlap
    return g;
}

Event at(int64_t t, uint32_t cell) {
    Event e;
    e.time_ms = T0 + t;
    e.cell = cell;
    return e;
}

Event abroad(int64_t t, uint16_t mcc) {
    Event e;
    e.time_ms = T0 + t;
    e.domain = Domain::outbound;
    e.serving_mcc = mcc;
    return e;
}

TEST(Segments, StayNeedsFifteenMinutes) {
    SegmentRules r;
    auto stay = build_segments(std::vector<Event>{at(0, 0), at(15 * MIN, 1)}, r, geometry());
    ASSERT_EQ(stay.size(), 1u);
    EXPECT_EQ(stay[0].kind, SegmentKind::stay);
    EXPECT_EQ(stay[0].start_ms, T0 - 5 * MIN);  // padded
    EXPECT_EQ(stay[0].end_ms, T0 + 20 * MIN);
    EXPECT_EQ(stay[0].events, 2u);
    auto pass = build_segments(std::vector<Event>{at(0, 0), at(15 * MIN - 1000, 1)}, r, geometry());
    ASSERT_EQ(pass.size(), 1u);
    EXPECT_EQ(pass[0].kind, SegmentKind::move) << "14:59 at one place is a place passed through";
}

TEST(Segments, TwelveHourGapStillOneStay) {
    SegmentRules r;
    auto one = build_segments(std::vector<Event>{at(0, 0), at(12 * HOUR, 0)}, r, geometry());
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].kind, SegmentKind::stay);
    auto two = build_segments(std::vector<Event>{at(0, 0), at(12 * HOUR + 1000, 0)}, r, geometry());
    // Two isolated events, each padded by 5 minutes, unknown time between.
    ASSERT_EQ(two.size(), 3u);
    EXPECT_EQ(two[1].kind, SegmentKind::unknown);
    EXPECT_EQ(two[1].start_ms, T0 + 5 * MIN);
    EXPECT_EQ(two[1].end_ms, T0 + 12 * HOUR + 1000 - 5 * MIN);
}

TEST(Segments, MoveSplitsAtTheMidpoint) {
    SegmentRules r;
    std::vector<Event> ev{at(0, 0), at(20 * MIN, 0), at(60 * MIN, 2), at(80 * MIN, 2)};
    auto s = build_segments(ev, r, geometry());
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].kind, SegmentKind::stay);
    EXPECT_EQ(s[1].kind, SegmentKind::move);
    EXPECT_EQ(s[1].start_ms, T0 + 20 * MIN);
    EXPECT_EQ(s[1].end_ms, T0 + 60 * MIN);
    EXPECT_EQ(s[2].kind, SegmentKind::stay);
    EXPECT_EQ(cell_at(s, ev, T0 + 39 * MIN, HOUR), 0u);
    EXPECT_EQ(cell_at(s, ev, T0 + 41 * MIN, HOUR), 2u);
    // Segments tile time without overlap.
    for (size_t i = 1; i < s.size(); ++i) EXPECT_EQ(s[i - 1].end_ms, s[i].start_ms);
}

TEST(Segments, OneEventDevice) {
    SegmentRules r;
    std::vector<Event> ev{at(0, 3)};
    auto s = build_segments(ev, r, geometry());
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].start_ms, T0 - 5 * MIN);
    EXPECT_EQ(s[0].end_ms, T0 + 5 * MIN);
    EXPECT_EQ(cell_at(s, ev, T0, HOUR), 3u);
    EXPECT_EQ(cell_at(s, ev, T0 + 50 * MIN, HOUR), 3u) << "nearest event within the window";
    EXPECT_EQ(cell_at(s, ev, T0 + 61 * MIN, HOUR), kNoCell);
    EXPECT_EQ(cell_at(s, ev, T0 - 61 * MIN, HOUR), kNoCell);
}

TEST(Segments, AbroadContinuesWhileTheCountryIsUnchanged) {
    SegmentRules r;
    std::vector<Event> ev{at(0, 0), at(30 * MIN, 0), abroad(5 * HOUR, 208), abroad(53 * HOUR, 208),
                          abroad(60 * HOUR, 276), at(80 * HOUR, 0)};
    auto s = build_segments(ev, r, geometry());
    std::vector<SegmentKind> kinds;
    for (const auto& x : s) kinds.push_back(x.kind);
    EXPECT_EQ(kinds, (std::vector<SegmentKind>{SegmentKind::stay, SegmentKind::unknown, SegmentKind::abroad,
                                                 SegmentKind::unknown, SegmentKind::abroad, SegmentKind::unknown,
                                                 SegmentKind::move}));
    EXPECT_EQ(s[2].mcc, 208);
    EXPECT_EQ(s[2].events, 2u);
    EXPECT_EQ(s[4].mcc, 276);
    EXPECT_EQ(cell_at(s, ev, T0 + 20 * HOUR, HOUR), kNoCell);
}

TEST(Segments, GdfHysteresis) {
    SegmentRules r;
    r.gdf = true;
    // 0 → 3 (2 km in 10 min = 12 km/h: a move), 3 → 3, then 3 → 2 (3 km in 60 min = 3 km/h: not a move).
    std::vector<Event> ev{at(0, 0), at(10 * MIN, 3), at(40 * MIN, 3), at(100 * MIN, 2), at(160 * MIN, 2)};
    auto s = build_segments(ev, r, geometry());
    // The run at cell 0 stands alone; cells 3 and 2 merge into one stay (slow change).
    std::vector<SegmentKind> kinds;
    for (const auto& x : s) kinds.push_back(x.kind);
    ASSERT_EQ(kinds, (std::vector<SegmentKind>{SegmentKind::move, SegmentKind::move, SegmentKind::stay}));
    EXPECT_EQ(s[2].events, 4u);
    EXPECT_EQ(s[2].cell, 3u) << "modal cell, ties to the first seen";
}

}  // namespace
}  // namespace mpdstat
