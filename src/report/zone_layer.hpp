#pragma once
// The zones of one level as the report draws them: read from
// OUT_DIR/geo/zones_LEVEL.geojson (any CRS; transformed to WGS84), projected
// once and simplified to about half a pixel, then shared by every map of the level.
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "report/map_projection.hpp"
#include "report/svg_path.hpp"

namespace mpdstat::report {

struct ZoneShape {
    std::string id, name, parent_id;
    LonLat label_point;                      // the zone's centroid (properties lon / lat when present)
    std::vector<std::vector<LonLat>> rings;  // outer rings and holes of all its polygons
};

// Reads the features of a zones file: zone_id, name, parent_id properties
// (falling back to id / name / parent). Throws data_error naming the file.
std::vector<ZoneShape> read_zone_shapes(const std::filesystem::path& path);

struct ProjectedZone {
    std::string id, name, parent_id;
    Point label_point;
    std::string path_data;  // SVG path "d", simplified
};

struct ProjectedLayer {
    std::string level;
    double width = 0, height = 0;
    std::vector<ProjectedZone> zones;  // in file order
    std::unordered_map<std::string, size_t> index;  // zone id → position in zones

    const ProjectedZone* find(const std::string& id) const;
};

// Projects the shapes to fit `width` (at most `max_height`), simplified with a
// tolerance of `tolerance_px`.
ProjectedLayer project_layer(const std::string& level, const std::vector<ZoneShape>& shapes, double width,
                             double max_height, double tolerance_px = 0.5);

}  // namespace mpdstat::report
