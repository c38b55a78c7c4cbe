#pragma once
// Planar geometry of the synthetic country. Positions are kilometres east (x)
// and north (y) of the country's origin (lat 14, lon -15 by default); they map to
// WGS84 lon/lat by an equirectangular projection, which is accurate to a few
// metres per km over a country of 300 km and keeps the zones' tiling exact
// (an affine map sends shared vertices to shared vertices).
#include <cmath>
#include <cstdint>
#include <vector>

namespace mpdstat::synth {

struct Vec2 {
    double x = 0, y = 0;
};
inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(Vec2 a, double k) { return {a.x * k, a.y * k}; }
inline double dist2(Vec2 a, Vec2 b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }
inline double dist(Vec2 a, Vec2 b) { return std::sqrt(dist2(a, b)); }

struct Projection {
    double lat0 = 14.0, lon0 = -15.0;
    double km_per_deg_lat() const { return 110.574; }
    double km_per_deg_lon() const { return 111.320 * std::cos(lat0 * 3.14159265358979323846 / 180.0); }
    double lon(Vec2 p) const { return lon0 + p.x / km_per_deg_lon(); }
    double lat(Vec2 p) const { return lat0 + p.y / km_per_deg_lat(); }
    Vec2 to_km(double lon_deg, double lat_deg) const {
        return {(lon_deg - lon0) * km_per_deg_lon(), (lat_deg - lat0) * km_per_deg_lat()};
    }
};

// A uniform grid over points for nearest-neighbour and radius queries.
class PointIndex {
public:
    PointIndex() = default;
    PointIndex(const std::vector<Vec2>& points, double cell_km);

    // Index of the nearest point (ties: the lowest index); -1 when empty.
    int32_t nearest(Vec2 p) const;
    // Calls fn(index) for every point within r of p (in grid order, then index order).
    template <class Fn>
    void within(Vec2 p, double r, Fn&& fn) const {
        if (pts_.empty()) return;
        int gx0 = cx(p.x - r), gx1 = cx(p.x + r), gy0 = cy(p.y - r), gy1 = cy(p.y + r);
        double r2 = r * r;
        for (int gy = gy0; gy <= gy1; ++gy)
            for (int gx = gx0; gx <= gx1; ++gx) {
                size_t c = static_cast<size_t>(gy) * nx_ + gx;
                for (uint32_t j = start_[c]; j < start_[c + 1]; ++j)
                    if (dist2(p, pts_[items_[j]]) <= r2) fn(items_[j]);
            }
    }
    size_t size() const noexcept { return pts_.size(); }
    const Vec2& operator[](size_t i) const { return pts_[i]; }

private:
    int cx(double x) const;
    int cy(double y) const;
    std::vector<Vec2> pts_;
    double cell_ = 1, x0_ = 0, y0_ = 0;
    int nx_ = 0, ny_ = 0;
    std::vector<uint32_t> start_;  // CSR: cell → range in items_
    std::vector<uint32_t> items_;
};

}  // namespace mpdstat::synth
