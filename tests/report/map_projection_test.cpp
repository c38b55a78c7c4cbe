#include "report/map_projection.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "report/svg_path.hpp"

namespace mpdstat::report {
namespace {

double ring_area(const Ring& r) {
    double a = 0;
    for (size_t i = 0; i + 1 < r.size(); ++i) a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
    return std::fabs(a) / 2;
}

// A hand-made polygon with different longitudes and latitudes, so that a swap
// of the axes (a classic bug) would show: east must be right, north up.
const std::vector<LonLat> kPolygon = {{-17.0, 14.0}, {-15.0, 14.0}, {-15.0, 15.0}, {-17.0, 15.0}, {-17.0, 14.0}};

TEST(MapProjection, EastIsRightNorthIsUpAndTheShapeFitsTheWidth) {
    MapProjection p(kPolygon, 400, 400, 4);
    Point sw = p({-17, 14}), se = p({-15, 14}), ne = p({-15, 15}), nw = p({-17, 15});
    EXPECT_GT(se.x, sw.x + 300);         // east to the right, nearly the full width
    EXPECT_LT(nw.y, sw.y);               // north up (SVG y grows downwards)
    EXPECT_NEAR(sw.x, 4, 1.5);           // the margin on the left …
    EXPECT_NEAR(ne.x, 396, 1.5);         // … and on the right
    EXPECT_NEAR(std::min(nw.y, ne.y), 4, 1.5);
    EXPECT_LE(p.height(), 400);
    // 2° of longitude at 14.5° N are 1.94 × as wide as 1° of latitude is tall.
    double aspect = (se.x - sw.x) / (sw.y - nw.y);
    EXPECT_NEAR(aspect, 2 * std::cos(14.5 * M_PI / 180), 0.02);
    EXPECT_NEAR(p.height(), std::ceil(392 / aspect + 8), 2);
}

TEST(MapProjection, AreasOnThePageAreProportionalToAreasOnTheGround) {
    // Two 1° squares, at the equator and at 40° N, on one map.
    std::vector<LonLat> all = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 40}, {1, 40}, {1, 41}, {0, 41}};
    MapProjection p(all, 500, 1000);
    auto square = [&](double lat) {
        return Ring{p({0, lat}), p({1, lat}), p({1, lat + 1}), p({0, lat + 1}), p({0, lat})};
    };
    double ground_ratio = (std::sin(41 * M_PI / 180) - std::sin(40 * M_PI / 180)) / std::sin(1 * M_PI / 180);
    EXPECT_NEAR(ring_area(square(40)) / ring_area(square(0)), ground_ratio, 0.01);
}

TEST(MapProjection, TallShapesAreCentredAndCappedInHeight) {
    MapProjection p({{10, 0}, {10.5, 0}, {10.5, 5}, {10, 5}}, 400, 300, 0);
    EXPECT_LE(p.height(), 300);
    Point w = p({10, 2.5}), e = p({10.5, 2.5});
    EXPECT_NEAR((w.x + e.x) / 2, 200, 1);
}

}  // namespace
}  // namespace mpdstat::report
