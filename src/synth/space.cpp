#include "synth/space.hpp"

#include <algorithm>
#include <limits>

namespace mpdstat::synth {

PointIndex::PointIndex(const std::vector<Vec2>& points, double cell_km) : pts_(points), cell_(cell_km) {
    if (pts_.empty()) return;
    double x1 = pts_[0].x, y1 = pts_[0].y;
    x0_ = x1, y0_ = y1;
    for (const auto& p : pts_) {
        x0_ = std::min(x0_, p.x), y0_ = std::min(y0_, p.y);
        x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    }
    nx_ = static_cast<int>((x1 - x0_) / cell_) + 1;
    ny_ = static_cast<int>((y1 - y0_) / cell_) + 1;
    std::vector<uint32_t> count(static_cast<size_t>(nx_) * ny_ + 1, 0);
    for (const auto& p : pts_) ++count[static_cast<size_t>(cy(p.y)) * nx_ + cx(p.x) + 1];
    for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
    start_ = count;
    items_.resize(pts_.size());
    std::vector<uint32_t> fill(start_.begin(), start_.end() - 1);
    for (uint32_t i = 0; i < pts_.size(); ++i) items_[fill[static_cast<size_t>(cy(pts_[i].y)) * nx_ + cx(pts_[i].x)]++] = i;
}

int PointIndex::cx(double x) const { return std::clamp(static_cast<int>(std::floor((x - x0_) / cell_)), 0, nx_ - 1); }
int PointIndex::cy(double y) const { return std::clamp(static_cast<int>(std::floor((y - y0_) / cell_)), 0, ny_ - 1); }

int32_t PointIndex::nearest(Vec2 p) const {
    if (pts_.empty()) return -1;
    int px = cx(p.x), py = cy(p.y);
    double best = std::numeric_limits<double>::infinity();
    int32_t best_i = -1;
    int max_k = std::max(nx_, ny_);
    for (int k = 0; k <= max_k; ++k) {
        for (int gy = py - k; gy <= py + k; ++gy) {
            if (gy < 0 || gy >= ny_) continue;
            bool edge_row = gy == py - k || gy == py + k;
            for (int gx = px - k; gx <= px + k; gx += (edge_row ? 1 : 2 * k)) {
                if (gx >= 0 && gx < nx_) {
                    size_t c = static_cast<size_t>(gy) * nx_ + gx;
                    for (uint32_t j = start_[c]; j < start_[c + 1]; ++j) {
                        uint32_t i = items_[j];
                        double d = dist2(p, pts_[i]);
                        if (d < best || (d == best && static_cast<int32_t>(i) < best_i)) best = d, best_i = static_cast<int32_t>(i);
                    }
                }
                if (k == 0) break;
            }
        }
        // Every point in ring k + 1 is at least k cells away.
        double bound = k * cell_;
        if (best_i >= 0 && best < bound * bound) break;
    }
    return best_i;
}

}  // namespace mpdstat::synth
