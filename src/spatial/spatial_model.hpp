#pragma once
// The spatial model (METHODS.md §4): the zone hierarchy, the optional regular
// grid, and for every cell version of the CellPlan its weights over zones.
//
// Entry point: build_spatial_model(config, cells). It reads the zone levels
// (any OGR vector source), checks them, projects everything to one projected
// CRS (metres), and computes cell -> zone weights with the configured method
// (point | voronoi | footprint). Problems (invalid polygons, orphans, gaps,
// cells outside the country, ...) are collected in problems(), never printed.
//
// Weights: for a mapped cell version, the weights over the zones of any level
// are positive and sum to 1 (the finest level is computed, coarser levels are
// summed up the hierarchy). A cell version that could not be mapped (outside
// the country, outside the study period) has no weights and a non-mapped
// status. The model does not depend on GEOS / GDAL in its interface.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "spatial/cell_plan.hpp"

namespace mpdstat {

inline constexpr uint32_t kNoZone = 0xFFFFFFFFu;

enum class Severity : uint8_t { info, warning, error };
std::string_view to_string(Severity s);

// One finding about zones, census, grid or cells, for the QA report and JSON.
struct SpatialProblem {
    Severity severity = Severity::warning;
    std::string code;     // stable, machine-readable: "cell_outside_country", "orphan_zone", "gap", ...
    std::string level;    // zone level name, "grid", or "" (cells)
    std::string id;       // zone id, cell id, or ""
    std::string message;  // one line for a human
    double value = NAN;   // the measured quantity when there is one (m², share, count)
};

struct Zone {
    std::string id;
    std::string name;
    uint32_t parent = kNoZone;  // index in the next coarser level; kNoZone on the top level
    double area_m2 = 0;         // in the model CRS
    double x = NAN, y = NAN;    // centroid in the model CRS (metres)
    double lon = NAN, lat = NAN;  // the same centroid in WGS84
    double population = NAN;    // census (distributed / summed to this level); NaN without a census
    std::string wkb;            // geometry in the model CRS, ISO WKB (for the writers)
};

struct ZoneLevelData {
    std::string name;
    std::vector<Zone> zones;  // in file order (features with one id merged)
    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> index;
    uint32_t find(std::string_view id) const {
        auto it = index.find(id);
        return it == index.end() ? kNoZone : it->second;
    }
};

struct ZoneWeight {
    uint32_t zone;  // index into the level's zones (or grid tiles)
    double weight;
};

// Square tiles of size_m in the model CRS aligned on multiples of size_m,
// kept where they intersect the country (area clipped to it).
struct GridTile {
    int32_t col, row;        // lower-left corner = (col * size, row * size)
    double area_m2;          // clipped to the country
    uint32_t zone = kNoZone; // finest zone containing the tile centre (largest overlap for border tiles)
    std::string clipped_wkb; // empty when the tile is whole
};

class Grid {
public:
    double size_m = 0;
    std::vector<GridTile> tiles;
    bool empty() const noexcept { return tiles.empty(); }
    // INSPIRE-style id: "1kmN{row}E{col}" for 1000 m tiles, "500mN…E…" otherwise
    // (coordinates divided by the tile size).
    std::string tile_id(uint32_t tile) const;
    // The tile containing a model-CRS point; kNoZone when none.
    uint32_t find(double x, double y) const;
    void build_index();

private:
    std::unordered_map<int64_t, uint32_t> by_colrow_;
};

enum class CellStatus : uint8_t {
    mapped,            // has weights
    outside_country,   // site outside the country: reported, no weights
    outside_period,    // not valid on any day of [input.period_start, period_end]
};
std::string_view to_string(CellStatus s);

// One distinct antenna location (cells at the same position within 1 m).
struct Site {
    std::string key;            // the site_id of its first cell
    double x, y, lon, lat;
    std::vector<uint32_t> cells;  // cell version indices
    std::string voronoi_wkb;    // Voronoi polygon clipped to the country (voronoi method, keep_geometry)
    double voronoi_area_m2 = NAN;
};

struct SpatialTimings {  // wall-clock seconds; weights_cpu_s is the thread's CPU time (robust on a busy machine)
    double zones_s = 0, checks_s = 0, grid_s = 0, weights_s = 0, total_s = 0, weights_cpu_s = 0;
};

class SpatialModel {
public:
    std::string method;     // point | voronoi | footprint
    std::string weight_by;  // area | population
    std::string crs;        // "EPSG:32633" etc.
    std::string crs_wkt;

    const std::vector<ZoneLevelData>& levels() const noexcept { return levels_; }
    size_t finest_level() const noexcept { return levels_.size() - 1; }
    // Index of a level by name; -1 if unknown.
    int level_index(std::string_view name) const;

    // Weights of cell version `cell` over the zones of `level` (sorted by zone
    // index). Empty when the cell is not mapped.
    std::span<const ZoneWeight> weights(uint32_t cell, size_t level) const;
    std::span<const ZoneWeight> weights(uint32_t cell) const { return weights(cell, finest_level()); }
    // Weights over grid tiles (empty without a grid).
    std::span<const ZoneWeight> grid_weights(uint32_t cell) const;
    CellStatus status(uint32_t cell) const { return status_[cell]; }
    size_t cell_count() const noexcept { return status_.size(); }
    // The cell's site position in the model CRS.
    double cell_x(uint32_t cell) const { return cell_xy_[2 * cell]; }
    double cell_y(uint32_t cell) const { return cell_xy_[2 * cell + 1]; }
    // The ancestor at `level` of a finest-level zone (kNoZone if the chain breaks).
    uint32_t ancestor(uint32_t finest_zone, size_t level) const { return ancestors_[level][finest_zone]; }

    const Grid& grid() const noexcept { return grid_; }
    // The anchors' location lattice (anchors.location = "posterior"; empty
    // otherwise) and, per cell, P(cell | tile) over its tiles (sorted by tile):
    // the footprint's signal dominance normalised over every cell reaching the tile.
    const Grid& location_grid() const noexcept { return location_grid_; }
    std::span<const ZoneWeight> location_likelihood(uint32_t cell) const;
    const std::vector<Site>& sites() const noexcept { return sites_; }
    // Cell coverage shapes (a Voronoi polygon or its sector), model CRS WKB; empty when not kept.
    const std::vector<std::string>& cell_shapes() const noexcept { return cell_shapes_; }
    const std::vector<SpatialProblem>& problems() const noexcept { return problems_; }
    size_t problem_count(Severity s) const;
    const SpatialTimings& timings() const noexcept { return timings_; }

    // problems, counts and timings as JSON (out_dir/qa/spatial.json).
    std::string qa_json() const;

private:
    friend class SpatialBuilder;
    std::vector<ZoneLevelData> levels_;
    std::vector<std::vector<uint32_t>> ancestors_;  // [level][finest zone]
    std::vector<std::vector<uint32_t>> offsets_;    // [level][cell .. cell+1]
    std::vector<std::vector<ZoneWeight>> entries_;  // [level]
    std::vector<uint32_t> grid_offsets_;
    std::vector<ZoneWeight> grid_entries_;
    Grid location_grid_;
    std::vector<uint32_t> likelihood_offsets_;
    std::vector<ZoneWeight> likelihood_entries_;
    std::vector<CellStatus> status_;
    std::vector<double> cell_xy_;
    Grid grid_;
    std::vector<Site> sites_;
    std::vector<std::string> cell_shapes_;
    std::vector<SpatialProblem> problems_;
    SpatialTimings timings_;
};

struct SpatialBuildOptions {
    bool keep_geometry = true;  // keep Voronoi / sector polygons for the writers (false: weights only)
};

// Builds the model. Throws config_error / data_error for what stops it (a zone
// file that cannot be read, a missing field, no zone at all, a bad CRS);
// everything else is a SpatialProblem.
SpatialModel build_spatial_model(const Config& config, const CellPlan& cells, const SpatialBuildOptions& options = {});

// Writes out_dir/geo/zones_<level>.geojson, out_dir/geo/spatial.gpkg,
// out_dir/geo/cell_zone_weights.csv and out_dir/qa/spatial.json.
struct SpatialOutputs {
    std::vector<std::filesystem::path> files;
};
SpatialOutputs write_spatial_outputs(const SpatialModel& model, const CellPlan& cells, const Config& config);

// The ESS coverage model, exposed for tests and the documentation.
// Signal strength (dBm) at horizontal distance d (m) and angle `off_axis_deg`
// from the antenna azimuth (NaN = omnidirectional):
//   S = power - 10 * ple * log10(sqrt(d² + h²)) - min(12 (off/beam)², back)
double signal_strength_dbm(const FootprintConfig& p, double distance_m, double off_axis_deg, double beam_width_deg);
// 1 / (1 + exp(-steepness (S - midpoint)))
double signal_dominance(const FootprintConfig& p, double strength_dbm);

}  // namespace mpdstat
