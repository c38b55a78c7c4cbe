#include "report/svg_path.hpp"

#include <gtest/gtest.h>

namespace mpdstat::report {
namespace {

TEST(SvgPath, PathOfAHandMadePolygonWithAHole) {
    Ring outer = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    Ring hole = {{2, 2}, {4, 2}, {4, 4}, {2, 2}};
    EXPECT_EQ(svg_path_data({outer, hole}), "M0 0 L10 0 L10 10 L0 10 L0 0 Z M2 2 L4 2 L4 4 L2 2 Z");
}

TEST(SvgPath, PointsEqualAfterRoundingAreWrittenOnce) {
    EXPECT_EQ(svg_path_data({{{1.01, 2.0}, {1.04, 2.02}, {3.26, 2}, {1, 2}}}), "M1 2 L3.3 2 L1 2 Z");
}

TEST(SvgPath, SimplifyDropsPointsCloserThanTheTolerance) {
    // A square with a 0.1 wiggle on its bottom edge and a 3-unit spike on its right edge.
    Ring ring = {{0, 0}, {5, 0.1}, {10, 0}, {10, 5}, {13, 6}, {10, 7}, {10, 10}, {0, 10}, {0, 0}};
    Ring simple = simplify_ring(ring, 0.5);
    EXPECT_EQ(simple.front().x, simple.back().x);  // still closed
    EXPECT_EQ(simple.front().y, simple.back().y);
    auto has = [&](double x, double y) {
        for (auto p : simple)
            if (p.x == x && p.y == y) return true;
        return false;
    };
    EXPECT_FALSE(has(5, 0.1));  // the wiggle is gone
    EXPECT_TRUE(has(13, 6));    // the spike stays
    EXPECT_TRUE(has(10, 0) && has(10, 10) && has(0, 10));
    EXPECT_EQ(simple.size(), 8u);
}

TEST(SvgPath, ATinyRingIsNotSimplifiedAway) {
    Ring tiny = {{0, 0}, {0.1, 0}, {0.1, 0.1}, {0.05, 0.12}, {0, 0.1}, {0, 0}};
    EXPECT_EQ(simplify_ring(tiny, 5).size(), tiny.size());
}

}  // namespace
}  // namespace mpdstat::report
