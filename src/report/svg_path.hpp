#pragma once
// Polygon outlines as SVG path data, simplified so that maps stay small.
#include <string>
#include <vector>

#include "report/map_projection.hpp"

namespace mpdstat::report {

using Ring = std::vector<Point>;

// Douglas–Peucker: drops the vertices that lie closer than `tolerance` to the
// line kept between their neighbours. The first and last vertices are kept; a
// closed ring stays closed. A ring collapsing below 4 vertices (a triangle)
// keeps its original vertices, so no zone vanishes from a map.
Ring simplify_ring(const Ring& ring, double tolerance);

// "M x y L x y … Z" for each ring, coordinates with one decimal; repeated
// points after rounding are dropped. Holes are rings too: draw the path with
// fill-rule="evenodd".
std::string svg_path_data(const std::vector<Ring>& rings);

}  // namespace mpdstat::report
