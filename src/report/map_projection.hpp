#pragma once
// Longitude / latitude to SVG coordinates: a Lambert azimuthal equal-area
// projection centred on the mapped area (areas on the page are proportional to
// areas on the ground, north is up, shapes are true near the centre), scaled
// to fit a box of a given width. SVG's y axis points down, so north is y = 0.
#include <vector>

namespace mpdstat::report {

struct LonLat {
    double lon = 0, lat = 0;  // degrees, WGS84
};

struct Point {
    double x = 0, y = 0;  // SVG user units (pixels)
};

class MapProjection {
public:
    // Centres the projection on the points' bounding box and scales it so the
    // projected points fill `width` (less `margin` on each side); the height
    // follows from the shape of the area, at most `max_height`.
    MapProjection(const std::vector<LonLat>& points, double width, double max_height, double margin = 4);

    Point operator()(LonLat p) const;
    double width() const noexcept { return width_; }
    double height() const noexcept { return height_; }
    // Ground metres per SVG unit (for choosing a simplification tolerance).
    double metres_per_unit() const noexcept { return 1 / scale_; }

private:
    // Spherical Lambert azimuthal equal-area, metres, y north.
    Point project(LonLat p) const;

    double lon0_ = 0, lat0_ = 0;  // radians
    double scale_ = 1;            // SVG units per metre
    double min_x_ = 0, max_y_ = 0;   // projected extent
    double offset_x_ = 0, offset_y_ = 0;
    double width_ = 0, height_ = 0;
};

}  // namespace mpdstat::report
