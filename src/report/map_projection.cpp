#include "report/map_projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace mpdstat::report {

namespace {
constexpr double kEarthRadiusM = 6371008.8;  // mean radius: the authalic sphere within 0.01 %
constexpr double kRadians = std::numbers::pi / 180;
}  // namespace

MapProjection::MapProjection(const std::vector<LonLat>& points, double width, double max_height, double margin)
    : offset_x_(margin), offset_y_(margin) {
    if (points.empty()) {
        width_ = width;
        height_ = std::min(width, max_height);
        return;
    }
    double lon_min = points[0].lon, lon_max = lon_min, lat_min = points[0].lat, lat_max = lat_min;
    for (const auto& p : points) {
        lon_min = std::min(lon_min, p.lon), lon_max = std::max(lon_max, p.lon);
        lat_min = std::min(lat_min, p.lat), lat_max = std::max(lat_max, p.lat);
    }
    lon0_ = (lon_min + lon_max) / 2 * kRadians;
    lat0_ = (lat_min + lat_max) / 2 * kRadians;
    double x_min = std::numeric_limits<double>::max(), x_max = -x_min, y_min = x_min, y_max = -x_min;
    for (const auto& p : points) {
        Point q = project(p);
        x_min = std::min(x_min, q.x), x_max = std::max(x_max, q.x);
        y_min = std::min(y_min, q.y), y_max = std::max(y_max, q.y);
    }
    double extent_x = std::max(x_max - x_min, 1.0), extent_y = std::max(y_max - y_min, 1.0);
    scale_ = std::min((width - 2 * margin) / extent_x, (max_height - 2 * margin) / extent_y);
    min_x_ = x_min;
    max_y_ = y_max;
    width_ = width;
    height_ = std::ceil(extent_y * scale_ + 2 * margin);
    // A tall area leaves room on the sides: centre it.
    offset_x_ = margin + (width - 2 * margin - extent_x * scale_) / 2;
}

Point MapProjection::project(LonLat p) const {
    const double lon = p.lon * kRadians, lat = p.lat * kRadians;
    const double cos_lat = std::cos(lat), dlon = lon - lon0_;
    const double denominator = 1 + std::sin(lat0_) * std::sin(lat) + std::cos(lat0_) * cos_lat * std::cos(dlon);
    const double k = std::sqrt(2 / std::max(denominator, 1e-12));
    return {kEarthRadiusM * k * cos_lat * std::sin(dlon),
            kEarthRadiusM * k * (std::cos(lat0_) * std::sin(lat) - std::sin(lat0_) * cos_lat * std::cos(dlon))};
}

Point MapProjection::operator()(LonLat p) const {
    Point q = project(p);
    return {(q.x - min_x_) * scale_ + offset_x_, (max_y_ - q.y) * scale_ + offset_y_};
}

}  // namespace mpdstat::report
