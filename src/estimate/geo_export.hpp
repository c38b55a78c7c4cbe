#pragma once
// Tier III tables joined to the zone geometries, for GIS users (QGIS):
// out_dir/tier3/geo/<table>_<level>.geojson (RFC 7946, WGS84) and the same
// layers in out_dir/tier3/tier3.gpkg. A table with one zone column gets the
// zone's polygon; an origin–destination table a line between the two zones'
// representative points. Only the tables listed in estimate.geo_tables.
#include <filesystem>
#include <vector>

#include "config/estimate_config.hpp"
#include "estimate/estimator.hpp"

namespace mpdstat {

// Returns the files written.
std::vector<std::filesystem::path> write_geo_exports(const Tier3Result& result, const ZoneTree& zones, const EstimateConfig& config,
                                                     const std::filesystem::path& tier3_dir);

}  // namespace mpdstat
