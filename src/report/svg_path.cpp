#include "report/svg_path.hpp"

#include <cmath>

#include "report/html.hpp"

namespace mpdstat::report {

namespace {

double distance_to_segment(Point p, Point a, Point b) {
    const double dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0;
    t = std::fmax(0, std::fmin(1, t));
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

void keep_farthest(const Ring& ring, size_t first, size_t last, double tolerance, std::vector<bool>& keep) {
    // An explicit stack: rings of real boundaries can have many thousand vertices.
    std::vector<std::pair<size_t, size_t>> todo{{first, last}};
    while (!todo.empty()) {
        auto [a, b] = todo.back();
        todo.pop_back();
        double farthest = -1;
        size_t index = a;
        for (size_t i = a + 1; i < b; ++i) {
            double d = distance_to_segment(ring[i], ring[a], ring[b]);
            if (d > farthest) farthest = d, index = i;
        }
        if (farthest > tolerance) {
            keep[index] = true;
            todo.push_back({a, index});
            todo.push_back({index, b});
        }
    }
}

}  // namespace

Ring simplify_ring(const Ring& ring, double tolerance) {
    if (ring.size() <= 4) return ring;
    std::vector<bool> keep(ring.size(), false);
    keep.front() = keep.back() = true;
    // A closed ring's ends coincide: split it at the vertex farthest from the start instead.
    size_t split = 0;
    double farthest = -1;
    for (size_t i = 1; i + 1 < ring.size(); ++i) {
        double d = std::hypot(ring[i].x - ring[0].x, ring[i].y - ring[0].y);
        if (d > farthest) farthest = d, split = i;
    }
    keep[split] = true;
    keep_farthest(ring, 0, split, tolerance, keep);
    keep_farthest(ring, split, ring.size() - 1, tolerance, keep);
    Ring out;
    for (size_t i = 0; i < ring.size(); ++i)
        if (keep[i]) out.push_back(ring[i]);
    return out.size() >= 4 ? out : ring;
}

std::string svg_path_data(const std::vector<Ring>& rings) {
    std::string d;
    for (const auto& ring : rings) {
        std::string last;
        size_t written = 0;
        for (const auto& p : ring) {
            std::string xy = svg_number(p.x) + " " + svg_number(p.y);
            if (xy == last) continue;
            d += (written == 0 ? (d.empty() ? "M" : " M") : " L") + xy;
            last = std::move(xy);
            ++written;
        }
        if (written > 0) d += " Z";
    }
    return d;
}

}  // namespace mpdstat::report
