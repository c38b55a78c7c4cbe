#include "spatial/spatial_model.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"
#include "spatial/geos_util.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "?";
}

std::string_view to_string(CellStatus s) {
    switch (s) {
        case CellStatus::mapped: return "mapped";
        case CellStatus::outside_country: return "outside_country";
        case CellStatus::outside_period: return "outside_period";
    }
    return "?";
}

// ---------------------------------------------------------------- Grid

namespace {
int64_t colrow_key(int64_t col, int64_t row) { return (col << 32) ^ (row & 0xFFFFFFFFLL); }
}  // namespace

std::string Grid::tile_id(uint32_t t) const {
    const GridTile& g = tiles[t];
    long long size = std::llround(size_m);
    std::string label = size % 1000 == 0 ? fmt::format("{}km", size / 1000) : fmt::format("{}m", size);
    return fmt::format("{}N{}E{}", label, g.row, g.col);
}

void Grid::build_index() {
    by_colrow_.clear();
    by_colrow_.reserve(tiles.size());
    for (uint32_t i = 0; i < tiles.size(); ++i) by_colrow_.emplace(colrow_key(tiles[i].col, tiles[i].row), i);
}

uint32_t Grid::find(double x, double y) const {
    if (tiles.empty() || !(size_m > 0)) return kNoZone;
    auto it = by_colrow_.find(colrow_key(static_cast<int64_t>(std::floor(x / size_m)), static_cast<int64_t>(std::floor(y / size_m))));
    return it == by_colrow_.end() ? kNoZone : it->second;
}

// ---------------------------------------------------------------- SpatialModel

int SpatialModel::level_index(std::string_view name) const {
    for (size_t i = 0; i < levels_.size(); ++i)
        if (levels_[i].name == name) return static_cast<int>(i);
    return -1;
}

std::span<const ZoneWeight> SpatialModel::weights(uint32_t cell, size_t level) const {
    const auto& off = offsets_[level];
    return std::span<const ZoneWeight>(entries_[level].data() + off[cell], off[cell + 1] - off[cell]);
}

std::span<const ZoneWeight> SpatialModel::location_likelihood(uint32_t cell) const {
    if (likelihood_offsets_.empty()) return {};
    return std::span<const ZoneWeight>(likelihood_entries_.data() + likelihood_offsets_[cell],
                                       likelihood_offsets_[cell + 1] - likelihood_offsets_[cell]);
}

std::span<const ZoneWeight> SpatialModel::grid_weights(uint32_t cell) const {
    if (grid_offsets_.empty()) return {};
    return std::span<const ZoneWeight>(grid_entries_.data() + grid_offsets_[cell], grid_offsets_[cell + 1] - grid_offsets_[cell]);
}

size_t SpatialModel::problem_count(Severity s) const {
    return static_cast<size_t>(std::count_if(problems_.begin(), problems_.end(), [&](const SpatialProblem& p) { return p.severity == s; }));
}

std::string SpatialModel::qa_json() const {
    nlohmann::ordered_json j;
    j["method"] = method;
    j["weight_by"] = weight_by;
    j["crs"] = crs;
    auto& lv = j["levels"] = nlohmann::ordered_json::array();
    for (const auto& l : levels_) {
        double area = 0;
        for (const auto& z : l.zones) area += z.area_m2;
        lv.push_back({{"name", l.name}, {"zones", l.zones.size()}, {"area_km2", area / 1e6}});
    }
    size_t counts[3] = {0, 0, 0};
    for (auto s : status_) ++counts[static_cast<int>(s)];
    j["cells"] = {{"versions", status_.size()},
                  {"mapped", counts[0]},
                  {"outside_country", counts[1]},
                  {"outside_period", counts[2]},
                  {"sites", sites_.size()}};
    j["grid"] = {{"size_m", grid_.size_m}, {"tiles", grid_.tiles.size()}};
    j["problem_counts"] = {{"error", problem_count(Severity::error)},
                           {"warning", problem_count(Severity::warning)},
                           {"info", problem_count(Severity::info)}};
    j["timings_s"] = {{"zones", timings_.zones_s}, {"checks", timings_.checks_s}, {"grid", timings_.grid_s},
                      {"weights", timings_.weights_s}, {"weights_cpu", timings_.weights_cpu_s}, {"total", timings_.total_s}};
    auto& pr = j["problems"] = nlohmann::ordered_json::array();
    for (const auto& p : problems_) {
        nlohmann::ordered_json o = {{"severity", to_string(p.severity)}, {"code", p.code}, {"level", p.level},
                                    {"id", p.id}, {"message", p.message}};
        o["value"] = std::isfinite(p.value) ? nlohmann::ordered_json(p.value) : nlohmann::ordered_json(nullptr);
        pr.push_back(std::move(o));
    }
    return j.dump(2);
}

// ---------------------------------------------------------------- coverage model

double signal_strength_dbm(const FootprintConfig& p, double distance_m, double off_axis_deg, double beam_width_deg) {
    double d = std::sqrt(distance_m * distance_m + p.antenna_height_m * p.antenna_height_m);
    d = std::max(d, 1.0);
    double s = p.power_dbm - 10.0 * p.path_loss_exponent * std::log10(d);
    if (std::isfinite(off_axis_deg)) {
        double bw = std::isfinite(beam_width_deg) && beam_width_deg > 0 ? beam_width_deg : p.beam_width;
        double r = off_axis_deg / bw;
        s -= std::min(12.0 * r * r, p.back_attenuation_db);
    }
    return s;
}

double signal_dominance(const FootprintConfig& p, double s) { return 1.0 / (1.0 + std::exp(-p.steepness * (s - p.midpoint_dbm))); }

// ---------------------------------------------------------------- builder

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void gdal_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
    });
}

struct CtDeleter {
    void operator()(OGRCoordinateTransformation* ct) const noexcept { OGRCoordinateTransformation::DestroyCT(ct); }
};
using CtPtr = std::unique_ptr<OGRCoordinateTransformation, CtDeleter>;

CtPtr make_ct(const OGRSpatialReference& from, const OGRSpatialReference& to) {
    CtPtr ct(OGRCreateCoordinateTransformation(&from, &to));
    if (!ct) throw runtime_error(fmt::format("PROJ cannot transform between the CRSs: {}", CPLGetLastErrorMsg()));
    return ct;
}

OGRSpatialReference wgs84() {
    OGRSpatialReference s;
    s.importFromEPSG(4326);
    s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

struct RawZone {
    std::string id, name, parent;
    geo::Geom geom;
};

// The builder's member types have external linkage (a named namespace, not an
// anonymous one) because SpatialBuilder, a friend of SpatialModel, has.
}  // namespace

namespace spatial_builder {

struct LevelGeom {
    std::vector<geo::Geom> geoms;
    std::vector<geo::Prepared> prepared;
    std::unique_ptr<geo::IndexTree> tree;
    std::vector<const GEOSGeometry*> raw() const {
        std::vector<const GEOSGeometry*> r;
        for (const auto& g : geoms) r.push_back(g.get());
        return r;
    }
};

// A lattice of tiles over the country envelope and the dense lookup from
// (col, row) to the kept tiles.
struct GridFrame {
    double size = 0;
    int64_t col0 = 0, row0 = 0, cols = 0, rows = 0;
    std::vector<int32_t> tile_index;  // (row - row0) * cols + (col - col0) -> tile, -1 when none
    int32_t at(int64_t r, int64_t c) const { return tile_index[static_cast<size_t>(r * cols + c)]; }
};

}  // namespace spatial_builder

namespace {

// The footprint's signal dominance of one cell at one tile centre.
struct TileSignal {
    uint32_t tile, cell;
    double sd;
};

}  // namespace

class SpatialBuilder {
    using LevelGeom = spatial_builder::LevelGeom;
    using GridFrame = spatial_builder::GridFrame;


public:
    SpatialBuilder(const Config& cfg, const CellPlan& plan, const SpatialBuildOptions& opt) : cfg_(cfg), plan_(plan), opt_(opt) {}

    SpatialModel build();

private:
    void problem(Severity s, std::string code, std::string level, std::string id, std::string message, double value = NAN) {
        m_.problems_.push_back({s, std::move(code), std::move(level), std::move(id), std::move(message), value});
    }
    void choose_crs();
    std::vector<RawZone> read_level(size_t li);
    void read_zones();
    void check_hierarchy();
    void check_coverage();
    void read_census();
    void place_cells();
    void build_grid(double size, Grid& grid, GridFrame& frame);
    // Signal dominance of every mapped cell over the tiles it reaches, sorted by (tile, cell).
    std::vector<TileSignal> footprint_signals(const GridFrame& frame) const;
    void location_likelihood();
    void build_sites();
    void weights_point();
    void weights_voronoi();
    void weights_footprint();
    void derive_levels();
    struct Piece {
        uint32_t zone;
        geo::Geom geom;  // null: the whole shape
        double area;
    };
    std::vector<Piece> zone_pieces(const GEOSGeometry* shape);
    void zone_weights(uint32_t cell, const Site& site, std::vector<ZoneWeight> area_w);
    void grid_weights(uint32_t cell, const GEOSGeometry* shape);

    // Normalises raw (zone, value) pairs into sorted weights; false when the total is 0.
    bool normalise(std::vector<ZoneWeight>& w) const;
    uint32_t point_zone(double x, double y, const std::string& cell_id, bool report);
    double density(uint32_t finest_zone) const;

    const Config& cfg_;
    const CellPlan& plan_;
    SpatialBuildOptions opt_;
    SpatialModel m_;
    geo::Context ctx_;
    OGRSpatialReference target_;
    std::vector<LevelGeom> lg_;
    std::vector<std::vector<std::string>> declared_parents_;  // [level][zone]
    geo::Geom country_;
    geo::Prepared country_prep_;
    double cx0_ = 0, cy0_ = 0, cx1_ = 0, cy1_ = 0;  // country envelope
    std::vector<double> finest_pop_;                // census population per finest zone (empty: none)
    std::vector<std::vector<ZoneWeight>> finest_;   // per cell
    std::vector<std::vector<ZoneWeight>> gridw_;    // per cell
    std::vector<std::string> shapes_;
    GridFrame frame_;           // of the published grid
    GridFrame location_frame_;  // of the anchors' location lattice
};

void SpatialBuilder::choose_crs() {
    const auto& sp = cfg_.spatial;
    if (sp.crs != "auto") {
        if (target_.SetFromUserInput(sp.crs.c_str()) != OGRERR_NONE)
            throw config_error(fmt::format("{}: spatial.crs '{}' is not a CRS PROJ knows (e.g. \"EPSG:32633\")",
                                           cfg_.source.string(), sp.crs));
        if (!target_.IsProjected())
            throw config_error(fmt::format("{}: spatial.crs '{}' is not projected: geometry needs metres (e.g. a UTM zone)",
                                           cfg_.source.string(), sp.crs));
        m_.crs = sp.crs;
    } else {
        // The extent of the top level in WGS84 decides: EPSG:3035 (ETRS89-LAEA)
        // for data inside Europe, else the UTM zone of the extent's centre.
        const ZoneLevel& top = cfg_.zones.levels.front();
        GDALDatasetUniquePtr ds(GDALDataset::Open(top.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds) throw data_error(fmt::format("{}: cannot open zone file (zones.levels '{}'): {}", top.path.string(), top.name, CPLGetLastErrorMsg()));
        OGRLayer* layer = top.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(top.layer.c_str());
        if (!layer) throw data_error(fmt::format("{}: no layer '{}' (zones.levels '{}')", top.path.string(), top.layer, top.name));
        OGREnvelope env;
        if (layer->GetExtent(&env, TRUE) != OGRERR_NONE)
            throw data_error(fmt::format("{}: zone layer has no extent (empty?)", top.path.string()));
        double lon0 = env.MinX, lat0 = env.MinY, lon1 = env.MaxX, lat1 = env.MaxY;
        if (const OGRSpatialReference* src = layer->GetSpatialRef(); src && !src->IsGeographic()) {
            OGRSpatialReference s(*src);
            s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            OGRSpatialReference w = wgs84();
            CtPtr ct = make_ct(s, w);
            if (!ct->TransformBounds(env.MinX, env.MinY, env.MaxX, env.MaxY, &lon0, &lat0, &lon1, &lat1, 21))
                throw data_error(fmt::format("{}: cannot transform the zone extent to WGS84", top.path.string()));
        }
        double lon = (lon0 + lon1) / 2, lat = (lat0 + lat1) / 2;
        int epsg;
        if (lon0 >= -35.6 && lon1 <= 44.9 && lat0 >= 24.6 && lat1 <= 84.8 && lat >= 34.0) {
            epsg = 3035;
        } else {
            int zone = std::clamp(static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60);
            epsg = (lat >= 0 ? 32600 : 32700) + zone;
        }
        target_.importFromEPSG(epsg);
        m_.crs = fmt::format("EPSG:{}", epsg);
    }
    target_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    char* wkt = nullptr;
    target_.exportToWkt(&wkt);
    m_.crs_wkt = wkt ? wkt : "";
    CPLFree(wkt);
}

std::vector<RawZone> SpatialBuilder::read_level(size_t li) {
    const ZoneLevel& l = cfg_.zones.levels[li];
    std::string where = fmt::format("{} (zones.levels '{}')", l.path.string(), l.name);
    GDALDatasetUniquePtr ds(GDALDataset::Open(l.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw data_error(fmt::format("{}: cannot open as a vector file: {}", where, CPLGetLastErrorMsg()));
    OGRLayer* layer = nullptr;
    if (!l.layer.empty()) {
        layer = ds->GetLayerByName(l.layer.c_str());
        if (!layer) throw data_error(fmt::format("{}: no layer '{}'", where, l.layer));
    } else {
        if (ds->GetLayerCount() != 1) {
            std::vector<std::string> names;
            for (int i = 0; i < ds->GetLayerCount(); ++i) names.push_back(ds->GetLayer(i)->GetName());
            throw data_error(fmt::format("{}: {} layers ({}); name one with 'layer'", where, names.size(), fmt::join(names, ", ")));
        }
        layer = ds->GetLayer(0);
    }
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    auto field = [&](const std::string& name, const char* key) -> int {
        if (name.empty()) return -1;
        int i = defn->GetFieldIndex(name.c_str());
        if (i < 0) {
            std::vector<std::string> names;
            for (int k = 0; k < defn->GetFieldCount(); ++k) names.push_back(defn->GetFieldDefn(k)->GetNameRef());
            throw data_error(fmt::format("{}: no field '{}' ({}); its fields are: {}", where, name, key, fmt::join(names, ", ")));
        }
        return i;
    };
    int f_id = field(l.id_field, "id_field");
    int f_name = field(l.name_field, "name_field");
    int f_parent = li == 0 ? -1 : field(l.parent_field, "parent_field");

    OGRSpatialReference src;
    if (const OGRSpatialReference* s = layer->GetSpatialRef()) {
        src = *s;
    } else {
        src = wgs84();
        problem(Severity::warning, "no_crs", l.name, "", fmt::format("{}: the layer declares no CRS; WGS84 lon/lat assumed", l.path.filename().string()));
    }
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    CtPtr ct = make_ct(src, target_);

    std::vector<RawZone> out;
    layer->ResetReading();
    for (auto& feat : *layer) {
        RawZone z;
        z.id = feat->GetFieldAsString(f_id);
        while (!z.id.empty() && z.id.back() == ' ') z.id.pop_back();
        if (f_name >= 0) z.name = feat->GetFieldAsString(f_name);
        if (f_parent >= 0) z.parent = feat->GetFieldAsString(f_parent);
        if (z.id.empty()) {
            problem(Severity::error, "missing_zone_id", l.name, "", fmt::format("feature {} has no id; left out", feat->GetFID()));
            continue;
        }
        OGRGeometry* g = feat->GetGeometryRef();
        if (!g || g->IsEmpty()) {
            problem(Severity::error, "empty_geometry", l.name, z.id, "zone has no geometry; left out");
            continue;
        }
        std::unique_ptr<OGRGeometry> lin(g->hasCurveGeometry() ? g->getLinearGeometry() : g->clone());
        lin->flattenTo2D();
        auto type = wkbFlatten(lin->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            problem(Severity::error, "not_polygon", l.name, z.id, fmt::format("zone geometry is a {}, not a polygon; left out", lin->getGeometryName()));
            continue;
        }
        if (lin->transform(ct.get()) != OGRERR_NONE) {
            problem(Severity::error, "bad_coordinates", l.name, z.id, "zone geometry cannot be projected to the model CRS; left out");
            continue;
        }
        GEOSGeometry* gg = lin->exportToGEOS(ctx_.get());
        if (!gg) {
            problem(Severity::error, "bad_geometry", l.name, z.id, "zone geometry cannot be converted; left out");
            continue;
        }
        z.geom = geo::own(ctx_, gg, "zone");
        if (GEOSisValid_r(ctx_, z.geom.get()) != 1) {
            char* why = GEOSisValidReason_r(ctx_, z.geom.get());
            std::string reason = why ? why : "invalid";
            if (why) GEOSFree_r(ctx_, why);
            geo::Geom fixed = geo::own(ctx_, GEOSMakeValid_r(ctx_, z.geom.get()), "make valid");
            z.geom = geo::polygonal(ctx_, fixed.get());
            problem(Severity::error, "invalid_polygon", l.name, z.id, fmt::format("invalid polygon ({}); repaired with MakeValid", reason));
        }
        if (geo::is_empty(ctx_, z.geom.get()) || geo::area(ctx_, z.geom.get()) <= 0) {
            problem(Severity::error, "empty_geometry", l.name, z.id, "zone has zero area; left out");
            continue;
        }
        out.push_back(std::move(z));
    }
    return out;
}

void SpatialBuilder::read_zones() {
    if (cfg_.zones.levels.empty())
        throw config_error(fmt::format("{}: no zone level: the spatial model needs at least one [[zones.levels]] (the country boundary comes from the top level)",
                                       cfg_.source.string()));
    for (size_t li = 0; li < cfg_.zones.levels.size(); ++li) {
        const ZoneLevel& cl = cfg_.zones.levels[li];
        std::vector<RawZone> raw = read_level(li);
        ZoneLevelData level;
        level.name = cl.name;
        LevelGeom geoms;
        std::vector<std::vector<geo::Geom>> parts;
        std::vector<std::string> parents;
        for (auto& z : raw) {
            auto it = level.index.find(z.id);
            if (it == level.index.end()) {
                uint32_t i = static_cast<uint32_t>(level.zones.size());
                level.index.emplace(z.id, i);
                Zone zone;
                zone.id = z.id;
                zone.name = z.name;
                level.zones.push_back(std::move(zone));
                parents.push_back(z.parent);
                parts.emplace_back();
                parts.back().push_back(std::move(z.geom));
            } else {
                problem(Severity::warning, "duplicate_zone_id", cl.name, z.id, "several features share this id; merged into one zone");
                if (parents[it->second] != z.parent)
                    problem(Severity::error, "conflicting_parent", cl.name, z.id,
                            fmt::format("features of this zone name different parents ('{}', '{}'); the first is kept", parents[it->second], z.parent));
                parts[it->second].push_back(std::move(z.geom));
            }
        }
        if (level.zones.empty())
            throw data_error(fmt::format("{}: no usable zone in level '{}'", cl.path.string(), cl.name));
        for (size_t i = 0; i < parts.size(); ++i) {
            geo::Geom g;
            if (parts[i].size() == 1) {
                g = std::move(parts[i][0]);
            } else {
                std::vector<const GEOSGeometry*> p;
                for (auto& x : parts[i]) p.push_back(x.get());
                g = geo::polygonal(ctx_, geo::union_of(ctx_, p).get());
            }
            Zone& z = level.zones[i];
            z.area_m2 = geo::area(ctx_, g.get());
            geo::centroid(ctx_, g.get(), z.x, z.y);
            geoms.geoms.push_back(std::move(g));
        }
        for (auto& g : geoms.geoms) geoms.prepared.push_back(geo::prepare(ctx_, g.get()));
        geoms.tree = std::make_unique<geo::IndexTree>(ctx_, geoms.raw());
        // parents: resolved in check_hierarchy; keep the declared ids meanwhile
        declared_parents_.push_back(std::move(parents));
        m_.levels_.push_back(std::move(level));
        lg_.push_back(std::move(geoms));
    }
    // centroids in WGS84, WKB for the writers
    OGRSpatialReference w = wgs84();
    CtPtr back = make_ct(target_, w);
    for (size_t li = 0; li < m_.levels_.size(); ++li) {
        auto& zs = m_.levels_[li].zones;
        for (size_t i = 0; i < zs.size(); ++i) {
            double x = zs[i].x, y = zs[i].y;
            if (back->Transform(1, &x, &y)) {
                zs[i].lon = x;
                zs[i].lat = y;
            }
            zs[i].wkb = geo::to_wkb(ctx_, lg_[li].geoms[i].get());
        }
    }
    // the country: union of the top level
    country_ = geo::polygonal(ctx_, geo::union_of(ctx_, lg_[0].raw()).get());
    country_prep_ = geo::prepare(ctx_, country_.get());
    geo::envelope(ctx_, country_.get(), cx0_, cy0_, cx1_, cy1_);
}

void SpatialBuilder::check_hierarchy() {
    const double tol = cfg_.spatial.tolerance_m2;
    for (size_t li = 1; li < m_.levels_.size(); ++li) {
        auto& level = m_.levels_[li];
        auto& up = m_.levels_[li - 1];
        bool has_field = !cfg_.zones.levels[li].parent_field.empty();
        if (!has_field)
            problem(Severity::info, "parent_from_geometry", level.name, "",
                    fmt::format("no parent_field: each zone's parent is the zone of level '{}' it overlaps most", up.name));
        std::vector<uint32_t> children(up.zones.size(), 0);
        for (uint32_t i = 0; i < level.zones.size(); ++i) {
            Zone& z = level.zones[i];
            const GEOSGeometry* g = lg_[li].geoms[i].get();
            const std::string& pid = declared_parents_[li][i];
            uint32_t p = kNoZone;
            if (has_field) {
                if (pid.empty()) {
                    problem(Severity::error, "missing_parent", level.name, z.id, "zone has no parent id");
                } else {
                    p = up.find(pid);
                    if (p == kNoZone)
                        problem(Severity::error, "orphan_zone", level.name, z.id,
                                fmt::format("parent '{}' is not a zone of level '{}'", pid, up.name));
                }
            }
            if (p != kNoZone) {
                double inside = z.area_m2;
                if (GEOSPreparedContainsProperly_r(ctx_, lg_[li - 1].prepared[p].get(), g) != 1) {
                    geo::Geom in = geo::own(ctx_, GEOSIntersection_r(ctx_, g, lg_[li - 1].geoms[p].get()), "containment");
                    inside = geo::area(ctx_, in.get());
                }
                double outside = z.area_m2 - inside;
                if (outside > tol)
                    problem(Severity::warning, "zone_not_contained", level.name, z.id,
                            fmt::format("{:.2f}% of the zone ({:.0f} m²) lies outside its parent '{}'", 100.0 * outside / z.area_m2,
                                        outside, pid),
                            outside / z.area_m2);
            } else {
                double best = 0;
                for (uint32_t c : lg_[li - 1].tree->query(g)) {
                    double inside = 0;
                    if (GEOSPreparedContains_r(ctx_, lg_[li - 1].prepared[c].get(), g) == 1) {
                        inside = z.area_m2;
                    } else if (GEOSPreparedIntersects_r(ctx_, lg_[li - 1].prepared[c].get(), g) == 1) {
                        geo::Geom in = geo::own(ctx_, GEOSIntersection_r(ctx_, g, lg_[li - 1].geoms[c].get()), "overlap");
                        inside = geo::area(ctx_, in.get());
                    }
                    if (inside > best) {
                        best = inside;
                        p = c;
                    }
                }
                if (p == kNoZone) {
                    problem(Severity::error, "no_parent", level.name, z.id,
                            fmt::format("zone overlaps no zone of level '{}': its weight is lost at that level", up.name));
                } else if (has_field) {
                    problem(Severity::info, "parent_assigned", level.name, z.id,
                            fmt::format("parent set to '{}' by largest overlap ({:.1f}% of the zone)", up.zones[p].id, 100.0 * best / z.area_m2),
                            best / z.area_m2);
                }
            }
            z.parent = p;
            if (p != kNoZone) ++children[p];
        }
        for (uint32_t k = 0; k < up.zones.size(); ++k)
            if (children[k] == 0)
                problem(Severity::warning, "childless_zone", up.name, up.zones[k].id,
                        fmt::format("zone has no child zone in level '{}'", level.name), up.zones[k].area_m2);
    }
    // ancestors of each finest zone at every level
    size_t nl = m_.levels_.size(), nf = m_.levels_.back().zones.size();
    m_.ancestors_.assign(nl, std::vector<uint32_t>(nf, kNoZone));
    for (uint32_t z = 0; z < nf; ++z) {
        uint32_t cur = z;
        for (size_t li = nl; li-- > 0;) {
            m_.ancestors_[li][z] = cur;
            if (cur == kNoZone || li == 0) continue;
            cur = m_.levels_[li].zones[cur].parent;
        }
    }
}

void SpatialBuilder::check_coverage() {
    const double tol = cfg_.spatial.tolerance_m2;
    OGRSpatialReference w = wgs84();
    CtPtr back = make_ct(target_, w);
    for (size_t li = 0; li < m_.levels_.size(); ++li) {
        auto& level = m_.levels_[li];
        geo::Geom u;
        const GEOSGeometry* un = country_.get();
        if (li > 0) {
            u = geo::union_of(ctx_, lg_[li].raw());
            un = u.get();
        }
        double sum = 0;
        for (const auto& z : level.zones) sum += z.area_m2;
        double overlap = sum - geo::area(ctx_, un);
        if (overlap > tol) {
            size_t listed = 0;
            for (uint32_t i = 0; i < level.zones.size() && listed < 50; ++i) {
                const GEOSGeometry* gi = lg_[li].geoms[i].get();
                for (uint32_t j : lg_[li].tree->query(gi)) {
                    if (j <= i || GEOSPreparedIntersects_r(ctx_, lg_[li].prepared[i].get(), lg_[li].geoms[j].get()) != 1) continue;
                    geo::Geom x = geo::own(ctx_, GEOSIntersection_r(ctx_, gi, lg_[li].geoms[j].get()), "overlap");
                    double a = geo::area(ctx_, x.get());
                    if (a > tol) {
                        problem(Severity::warning, "overlap", level.name, level.zones[i].id,
                                fmt::format("zones '{}' and '{}' overlap by {:.0f} m²", level.zones[i].id, level.zones[j].id, a), a);
                        if (++listed >= 50) break;
                    }
                }
            }
            problem(Severity::warning, "overlap_total", level.name, "",
                    fmt::format("zones of level '{}' overlap by {:.0f} m² in total", level.name, overlap), overlap);
        }
        if (li == 0) continue;
        geo::Geom gaps = geo::polygonal(ctx_, geo::own(ctx_, GEOSDifference_r(ctx_, country_.get(), un), "gaps").get());
        int n = GEOSGetNumGeometries_r(ctx_, gaps.get());
        double total = 0;
        size_t listed = 0;
        for (int k = 0; k < n; ++k) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(ctx_, gaps.get(), k);
            double a = geo::area(ctx_, part);
            if (a <= tol) continue;
            total += a;
            if (listed++ >= 50) continue;
            double x, y;
            geo::centroid(ctx_, part, x, y);
            back->Transform(1, &x, &y);
            problem(Severity::warning, "gap", level.name, "",
                    fmt::format("{:.0f} m² of the country lie in no zone of level '{}' (around lat {:.5f}, lon {:.5f})", a, level.name, y, x), a);
        }
        if (listed > 1)
            problem(Severity::warning, "gap_total", level.name, "",
                    fmt::format("{} gaps, {:.0f} m² in total, in level '{}'", listed, total, level.name), total);
    }
}

void SpatialBuilder::read_census() {
    const auto& zc = cfg_.zones;
    if (zc.census.empty()) return;
    size_t cl = m_.finest_level();
    if (!zc.census_level.empty()) {
        int i = m_.level_index(zc.census_level);
        if (i < 0) throw config_error(fmt::format("{}: zones.census_level '{}' is not a zone level", cfg_.source.string(), zc.census_level));
        cl = static_cast<size_t>(i);
    }
    std::error_code ec;
    if (!fs::is_regular_file(zc.census, ec)) throw data_error(fmt::format("{}: census file not found (zones.census)", zc.census.string()));
    CsvFileReader reader(zc.census, ',', 0);
    const auto& header = reader.header();
    auto col = [&](const char* name) {
        int i = column_index(header, name);
        if (i < 0)
            throw data_error(fmt::format("{}:1: the census has no column '{}'; its columns are: {}", zc.census.string(), name,
                                         fmt::join(header, ", ")));
        return i;
    };
    int c_id = col("zone_id"), c_pop = col("population");
    auto& level = m_.levels_[cl];
    std::vector<double> pop(level.zones.size(), NAN);
    for_each_record(reader, ',', [&](const CsvRecord& rec, uint64_t line, bool split_ok) {
        if (!split_ok || rec.size() != header.size()) {
            problem(Severity::warning, "census_bad_row", level.name, "", fmt::format("census line {}: malformed row", line));
            return;
        }
        std::string id(rec[static_cast<size_t>(c_id)]);
        uint32_t z = level.find(id);
        if (z == kNoZone) {
            problem(Severity::warning, "census_unknown_zone", level.name, id, fmt::format("census line {}: zone not in level '{}'", line, level.name));
            return;
        }
        std::string v(rec[static_cast<size_t>(c_pop)]);
        char* end = nullptr;
        double p = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0' || !std::isfinite(p) || p < 0) {
            problem(Severity::warning, "census_bad_value", level.name, id, fmt::format("census line {}: population '{}' is not a number >= 0", line, v));
            return;
        }
        if (!std::isnan(pop[z])) problem(Severity::warning, "census_duplicate", level.name, id, fmt::format("census line {}: zone given twice; the values are added", line));
        pop[z] = (std::isnan(pop[z]) ? 0 : pop[z]) + p;
    });
    for (uint32_t z = 0; z < pop.size(); ++z)
        if (std::isnan(pop[z])) {
            problem(Severity::warning, "census_missing_zone", level.name, level.zones[z].id, "zone has no census population; 0 used");
            pop[z] = 0;
        }
    // finest populations: the census zone's population spread over its finest zones by area
    size_t nf = m_.levels_.back().zones.size();
    std::vector<double> area_under(pop.size(), 0);
    for (uint32_t f = 0; f < nf; ++f)
        if (uint32_t a = m_.ancestors_[cl][f]; a != kNoZone) area_under[a] += m_.levels_.back().zones[f].area_m2;
    finest_pop_.assign(nf, 0);
    for (uint32_t f = 0; f < nf; ++f)
        if (uint32_t a = m_.ancestors_[cl][f]; a != kNoZone && area_under[a] > 0)
            finest_pop_[f] = pop[a] * m_.levels_.back().zones[f].area_m2 / area_under[a];
    if (cl != m_.finest_level())
        problem(Severity::info, "census_distributed", level.name, "",
                fmt::format("census given for level '{}': spread over the finer zones in proportion to area", level.name));
    for (auto& l : m_.levels_)
        for (auto& z : l.zones) z.population = 0;
    for (size_t li = 0; li < m_.levels_.size(); ++li)
        for (uint32_t f = 0; f < nf; ++f)
            if (uint32_t a = m_.ancestors_[li][f]; a != kNoZone) m_.levels_[li].zones[a].population += finest_pop_[f];
    // a census zone with no finest zone keeps its own figure at its level
    for (uint32_t z = 0; z < pop.size(); ++z)
        if (area_under[z] <= 0 && pop[z] > 0) level.zones[z].population = pop[z];
}

double SpatialBuilder::density(uint32_t f) const {
    if (finest_pop_.empty()) return 1.0;
    double a = m_.levels_.back().zones[f].area_m2;
    return a > 0 ? finest_pop_[f] / a : 0.0;
}

void SpatialBuilder::place_cells() {
    size_t n = plan_.size();
    m_.status_.assign(n, CellStatus::mapped);
    m_.cell_xy_.assign(2 * n, NAN);
    for (const auto& p : plan_.problems())
        problem(Severity::warning, "cell_rejected", "", p.cell_id, fmt::format("cells file line {}: {}; row left out", p.line, p.reason));
    std::vector<double> x(n), y(n);
    std::vector<int> ok(n, 0);
    for (size_t i = 0; i < n; ++i) {
        x[i] = plan_[static_cast<uint32_t>(i)].lon;
        y[i] = plan_[static_cast<uint32_t>(i)].lat;
    }
    OGRSpatialReference w = wgs84();
    CtPtr fwd = make_ct(w, target_);
    if (n) fwd->Transform(n, x.data(), y.data(), nullptr, ok.data());
    size_t out_period = 0;
    std::vector<std::string> examples;
    const Day p0 = cfg_.input.period_start, p1 = cfg_.input.period_end;
    const bool has_period = p1 >= p0 && !(p0 == 0 && p1 == 0);
    for (uint32_t i = 0; i < n; ++i) {
        const Cell& c = plan_[i];
        m_.cell_xy_[2 * i] = x[i];
        m_.cell_xy_[2 * i + 1] = y[i];
        if (has_period && (c.valid_to < p0 || c.valid_from > p1)) {
            m_.status_[i] = CellStatus::outside_period;
            if (examples.size() < 5) examples.push_back(c.id);
            ++out_period;
            continue;
        }
        if (!ok[i]) {
            m_.status_[i] = CellStatus::outside_country;
            problem(Severity::warning, "cell_outside_country", "", c.id,
                    fmt::format("cell at lat {:.6f}, lon {:.6f} cannot be projected to {}; no weights", c.lat, c.lon, m_.crs));
            continue;
        }
        geo::Geom pt = geo::point(ctx_, x[i], y[i]);
        if (GEOSPreparedIntersects_r(ctx_, country_prep_.get(), pt.get()) != 1) {
            m_.status_[i] = CellStatus::outside_country;
            double d = NAN;
            GEOSDistance_r(ctx_, country_.get(), pt.get(), &d);
            problem(Severity::warning, "cell_outside_country", "", c.id,
                    fmt::format("cell site at lat {:.6f}, lon {:.6f} is {:.0f} m outside the country; the cell gets no weights", c.lat, c.lon, d), d);
        }
    }
    if (out_period)
        problem(Severity::info, "cells_outside_period", "", "",
                fmt::format("{} cell versions are not valid on any day of the study period (e.g. {}); they get no weights", out_period,
                            fmt::join(examples, ", ")),
                static_cast<double>(out_period));
    finest_.assign(n, {});
    gridw_.assign(n, {});
    if (opt_.keep_geometry) shapes_.assign(n, {});
}

void SpatialBuilder::build_sites() {
    std::unordered_map<int64_t, uint32_t> by_pos;
    for (uint32_t i = 0; i < plan_.size(); ++i) {
        if (m_.status_[i] != CellStatus::mapped) continue;
        double x = m_.cell_xy_[2 * i], y = m_.cell_xy_[2 * i + 1];
        int64_t key = colrow_key(std::llround(x), std::llround(y));
        auto [it, added] = by_pos.emplace(key, static_cast<uint32_t>(m_.sites_.size()));
        if (added) {
            Site s;
            s.key = plan_[i].site_id;
            s.x = x;
            s.y = y;
            s.lon = plan_[i].lon;
            s.lat = plan_[i].lat;
            m_.sites_.push_back(std::move(s));
        }
        m_.sites_[it->second].cells.push_back(i);
    }
}

void SpatialBuilder::build_grid(double g, Grid& grid, GridFrame& frame) {
    grid.size_m = g;
    frame.size = g;
    int64_t& col0_ = frame.col0;
    int64_t& row0_ = frame.row0;
    int64_t& cols_ = frame.cols;
    int64_t& rows_ = frame.rows;
    std::vector<int32_t>& tile_index_ = frame.tile_index;
    col0_ = static_cast<int64_t>(std::floor(cx0_ / g));
    row0_ = static_cast<int64_t>(std::floor(cy0_ / g));
    cols_ = static_cast<int64_t>(std::ceil(cx1_ / g)) - col0_;
    rows_ = static_cast<int64_t>(std::ceil(cy1_ / g)) - row0_;
    if (cols_ * rows_ > 50'000'000)
        throw config_error(fmt::format("{}: {} = {} gives {} x {} tiles over the country: too fine (at most 50 million)",
                                       cfg_.source.string(), &grid == &m_.grid_ ? "spatial.grid_size_m" : "anchors.location_tile_m", g, cols_, rows_));
    tile_index_.assign(static_cast<size_t>(cols_ * rows_), -1);
    const size_t fl = m_.finest_level();
    const double full = g * g;
    for (int64_t r = 0; r < rows_; ++r) {
        double y0 = static_cast<double>(row0_ + r) * g;
        // the country cut to this row of tiles: far fewer vertices to test each tile against
        // (half a tile wider than the row, so that tile edges never lie on the band's edges)
        geo::Geom band_rect = geo::rectangle(ctx_, cx0_ - g, y0 - g / 2, cx1_ + g, y0 + 1.5 * g);
        if (GEOSPreparedIntersects_r(ctx_, country_prep_.get(), band_rect.get()) != 1) continue;
        geo::Geom band = geo::polygonal(ctx_, geo::own(ctx_, GEOSIntersection_r(ctx_, country_.get(), band_rect.get()), "grid row").get());
        if (geo::is_empty(ctx_, band.get())) continue;
        geo::Prepared band_prep = geo::prepare(ctx_, band.get());
        for (int64_t c = 0; c < cols_; ++c) {
            double x0 = static_cast<double>(col0_ + c) * g;
            geo::Geom rect = geo::rectangle(ctx_, x0, y0, x0 + g, y0 + g);
            GridTile t{static_cast<int32_t>(col0_ + c), static_cast<int32_t>(row0_ + r), full, kNoZone, {}};
            geo::Geom clip;
            if (GEOSPreparedContainsProperly_r(ctx_, band_prep.get(), rect.get()) != 1) {
                if (GEOSPreparedIntersects_r(ctx_, band_prep.get(), rect.get()) != 1) continue;
                clip = geo::polygonal(ctx_, geo::own(ctx_, GEOSIntersection_r(ctx_, band.get(), rect.get()), "tile").get());
                t.area_m2 = geo::area(ctx_, clip.get());
                if (t.area_m2 <= 0) continue;
                if (t.area_m2 >= full * (1 - 1e-12)) {
                    t.area_m2 = full;
                    clip.reset();
                } else if (opt_.keep_geometry) {
                    t.clipped_wkb = geo::to_wkb(ctx_, clip.get());
                }
            }
            // tile -> finest zone by its centre; border tiles whose centre is in no zone: largest overlap
            geo::Geom centre = geo::point(ctx_, x0 + g / 2, y0 + g / 2);
            for (uint32_t z : lg_[fl].tree->query(centre.get()))
                if (GEOSPreparedContains_r(ctx_, lg_[fl].prepared[z].get(), centre.get()) == 1) {
                    t.zone = z;
                    break;
                }
            if (t.zone == kNoZone) {
                const GEOSGeometry* tg = clip ? clip.get() : rect.get();
                double best = 0;
                for (uint32_t z : lg_[fl].tree->query(tg)) {
                    if (GEOSPreparedIntersects_r(ctx_, lg_[fl].prepared[z].get(), tg) != 1) continue;
                    geo::Geom x = geo::own(ctx_, GEOSIntersection_r(ctx_, tg, lg_[fl].geoms[z].get()), "tile zone");
                    double a = geo::area(ctx_, x.get());
                    if (a > best) {
                        best = a;
                        t.zone = z;
                    }
                }
            }
            tile_index_[static_cast<size_t>(r * cols_ + c)] = static_cast<int32_t>(grid.tiles.size());
            grid.tiles.push_back(std::move(t));
        }
    }
    grid.build_index();
    size_t orphan = 0;
    for (const auto& t : grid.tiles) orphan += t.zone == kNoZone;
    if (orphan)
        problem(Severity::warning, "tile_without_zone", "grid", "",
                fmt::format("{} grid tiles overlap no zone of level '{}' (gaps): their share of a cell is lost at zone level", orphan,
                            m_.levels_[fl].name),
                static_cast<double>(orphan));
}

bool SpatialBuilder::normalise(std::vector<ZoneWeight>& w) const {
    std::sort(w.begin(), w.end(), [](const ZoneWeight& a, const ZoneWeight& b) { return a.zone < b.zone; });
    size_t k = 0;
    for (size_t i = 0; i < w.size(); ++i) {
        if (!(w[i].weight > 0)) continue;
        if (k > 0 && w[k - 1].zone == w[i].zone) w[k - 1].weight += w[i].weight;
        else w[k++] = w[i];
    }
    w.resize(k);
    for (int pass = 0; pass < 2; ++pass) {
        double total = 0;
        for (const auto& x : w) total += x.weight;
        if (!(total > 0)) {
            w.clear();
            return false;
        }
        for (auto& x : w) x.weight /= total;
        if (pass == 0) {
            const double mw = cfg_.spatial.min_weight;
            std::erase_if(w, [&](const ZoneWeight& x) { return x.weight < mw; });
        }
    }
    return true;
}

// The finest zone containing a point: on a shared border (within 1 mm, so that
// projection round-off does not decide) the first zone in file order; in a gap
// the nearest zone (both reported when `report`).
uint32_t SpatialBuilder::point_zone(double x, double y, const std::string& cell_id, bool report) {
    const size_t fl = m_.finest_level();
    const auto& L = lg_[fl];
    constexpr double eps = 1e-3;
    geo::Geom pt = geo::point(ctx_, x, y);
    geo::Geom box = geo::rectangle(ctx_, x - eps, y - eps, x + eps, y + eps);
    std::vector<uint32_t> near;
    for (uint32_t z : L.tree->query(box.get())) {
        double d = INFINITY;
        if (GEOSPreparedContains_r(ctx_, L.prepared[z].get(), pt.get()) == 1) d = 0;
        else GEOSPreparedDistance_r(ctx_, L.prepared[z].get(), pt.get(), &d);
        if (d <= eps) near.push_back(z);
    }
    if (near.size() == 1) return near[0];
    if (near.size() > 1) {
        if (report) {
            std::vector<std::string> ids;
            for (uint32_t z : near) ids.push_back(m_.levels_[fl].zones[z].id);
            problem(Severity::info, "site_on_zone_border", m_.levels_[fl].name, cell_id,
                    fmt::format("cell site lies on the border of zones {}; assigned to '{}' (first in file order)", fmt::join(ids, ", "),
                                ids.front()));
        }
        return near[0];
    }
    uint32_t best = kNoZone;
    double bd = INFINITY;
    for (uint32_t z = 0; z < L.geoms.size(); ++z) {
        double d = INFINITY;
        GEOSDistance_r(ctx_, L.geoms[z].get(), pt.get(), &d);
        if (d < bd) {
            bd = d;
            best = z;
        }
    }
    if (report && best != kNoZone)
        problem(Severity::warning, "site_in_zone_gap", m_.levels_[fl].name, cell_id,
                fmt::format("cell site is in no zone of level '{}'; assigned to the nearest, '{}', {:.0f} m away", m_.levels_[fl].name,
                            m_.levels_[fl].zones[best].id, bd),
                bd);
    return best;
}

void SpatialBuilder::weights_point() {
    for (const Site& s : m_.sites_) {
        uint32_t z = point_zone(s.x, s.y, plan_[s.cells.front()].id, true);
        uint32_t t = m_.grid_.find(s.x, s.y);
        for (uint32_t c : s.cells) {
            if (z != kNoZone) finest_[c] = {{z, 1.0}};
            if (t != kNoZone) gridw_[c] = {{t, 1.0}};
        }
    }
}

namespace {

// The wedge of directions [lo, hi] (degrees clockwise from north) from (x, y),
// covering the disc of radius r: arc points at most 45° apart on a circle of
// radius r / cos(22.5°), so that the chords stay outside radius r (few vertices
// keep the overlays cheap).
geo::Geom wedge(const geo::Context& ctx, double x, double y, double lo, double hi, double r) {
    std::vector<double> xy = {x, y};
    int steps = std::max(1, static_cast<int>(std::ceil((hi - lo) / 45.0)));
    double R = r / std::cos(22.5 * M_PI / 180.0);
    for (int k = 0; k <= steps; ++k) {
        double a = (lo + (hi - lo) * k / steps) * M_PI / 180.0;
        xy.push_back(x + R * std::sin(a));
        xy.push_back(y + R * std::cos(a));
    }
    return geo::polygon(ctx, xy);
}

}  // namespace

// Pieces of a coverage polygon (clipped to the country) in the finest zones.
// A polygon inside one zone is one piece without geometry (the whole).
std::vector<SpatialBuilder::Piece> SpatialBuilder::zone_pieces(const GEOSGeometry* shape) {
    std::vector<Piece> out;
    if (geo::is_empty(ctx_, shape)) return out;
    const auto& L = lg_[m_.finest_level()];
    double shape_area = geo::area(ctx_, shape);
    for (uint32_t z : L.tree->query(shape)) {
        // containsProperly never falls back to a full relate (contains does when borders touch)
        if (GEOSPreparedContainsProperly_r(ctx_, L.prepared[z].get(), shape) == 1) {
            out.clear();
            out.push_back({z, nullptr, shape_area});
            return out;
        }
        if (GEOSPreparedIntersects_r(ctx_, L.prepared[z].get(), shape) != 1) continue;
        geo::Geom x = geo::polygonal(ctx_, geo::own(ctx_, GEOSIntersection_r(ctx_, shape, L.geoms[z].get()), "zone piece").get());
        double a = geo::area(ctx_, x.get());
        if (a > 0) out.push_back({z, std::move(x), a});
    }
    return out;
}

// Finest-zone weights of a cell from the areas of its coverage in each zone:
// by area, or by area x census density; fallbacks reported.
void SpatialBuilder::zone_weights(uint32_t cell, const Site& site, std::vector<ZoneWeight> area_w) {
    const size_t fl = m_.finest_level();
    std::vector<ZoneWeight> w = area_w;
    const bool by_pop = !finest_pop_.empty();
    if (by_pop)
        for (auto& x : w) x.weight *= density(x.zone);
    const std::string& id = plan_[cell].id;
    if (!normalise(w)) {
        if (by_pop && !area_w.empty()) {
            problem(Severity::warning, "cell_zero_population", m_.levels_[fl].name, id,
                    "the cell's coverage area holds no census population; weighted by area instead");
            w = std::move(area_w);
            normalise(w);
        } else {
            uint32_t z = point_zone(site.x, site.y, id, false);
            problem(Severity::warning, "cell_no_zone_area", m_.levels_[fl].name, id,
                    "the cell's coverage area overlaps no zone; assigned to the zone of its site");
            if (z != kNoZone) w = {{z, 1.0}};
        }
    }
    finest_[cell] = std::move(w);
}

// Grid-tile weights of a cell from its coverage shape (clipped to the country).
void SpatialBuilder::grid_weights(uint32_t cell, const GEOSGeometry* shape) {
    if (m_.grid_.empty() || geo::is_empty(ctx_, shape)) return;
    const bool by_pop = !finest_pop_.empty();
    const double g = m_.grid_.size_m;
    double x0, y0, x1, y1;
    geo::envelope(ctx_, shape, x0, y0, x1, y1);
    const GridFrame& f = frame_;
    int64_t c0 = std::max<int64_t>(0, static_cast<int64_t>(std::floor(x0 / g)) - f.col0);
    int64_t c1 = std::min<int64_t>(f.cols - 1, static_cast<int64_t>(std::floor(x1 / g)) - f.col0);
    int64_t r0 = std::max<int64_t>(0, static_cast<int64_t>(std::floor(y0 / g)) - f.row0);
    int64_t r1 = std::min<int64_t>(f.rows - 1, static_cast<int64_t>(std::floor(y1 / g)) - f.row0);
    std::vector<ZoneWeight> gw, ga;
    for (int64_t r = r0; r <= r1; ++r)
        for (int64_t c = c0; c <= c1; ++c) {
            int32_t t = f.at(r, c);
            if (t < 0) continue;
            double tx = static_cast<double>(f.col0 + c) * g, ty = static_cast<double>(f.row0 + r) * g;
            // ClipByRect is fast but may fail on degenerate pieces: then a full overlay
            geo::Geom piece = geo::own_nullable(ctx_, GEOSClipByRect_r(ctx_, shape, tx, ty, tx + g, ty + g));
            if (!piece) {
                geo::Geom rr = geo::rectangle(ctx_, tx, ty, tx + g, ty + g);
                piece = geo::own(ctx_, GEOSIntersection_r(ctx_, shape, rr.get()), "tile piece");
            }
            double a = geo::area(ctx_, piece.get());
            if (a <= 0) continue;
            ga.push_back({static_cast<uint32_t>(t), a});
            uint32_t tz = m_.grid_.tiles[static_cast<size_t>(t)].zone;
            gw.push_back({static_cast<uint32_t>(t), by_pop ? a * (tz == kNoZone ? 0.0 : density(tz)) : a});
        }
    if (!normalise(gw)) {
        gw = ga;
        normalise(gw);
    }
    gridw_[cell] = std::move(gw);
}

void SpatialBuilder::weights_voronoi() {
    const size_t ns = m_.sites_.size();
    if (ns == 0) return;
    double pad = std::max(cx1_ - cx0_, cy1_ - cy0_) + 1000.0;
    geo::Geom env = geo::rectangle(ctx_, cx0_ - pad, cy0_ - pad, cx1_ + pad, cy1_ + pad);
    std::vector<geo::Geom> cellpoly(ns);
    if (ns == 1) {
        cellpoly[0] = geo::clone(ctx_, env.get());
    } else {
        std::vector<geo::Geom> pts, pts2;
        for (const Site& s : m_.sites_) {
            pts.push_back(geo::point(ctx_, s.x, s.y));
            pts2.push_back(geo::point(ctx_, s.x, s.y));
        }
        geo::Geom mp = geo::collection(ctx_, GEOS_MULTIPOINT, std::move(pts));
        geo::Geom vd = geo::own(ctx_, GEOSVoronoiDiagram_r(ctx_, mp.get(), env.get(), 0.0, 0), "Voronoi diagram");
        std::vector<const GEOSGeometry*> raw;
        for (auto& p : pts2) raw.push_back(p.get());
        geo::IndexTree tree(ctx_, raw);
        int n = GEOSGetNumGeometries_r(ctx_, vd.get());
        for (int k = 0; k < n; ++k) {
            const GEOSGeometry* poly = GEOSGetGeometryN_r(ctx_, vd.get(), k);
            geo::Prepared prep = geo::prepare(ctx_, poly);
            for (uint32_t s : tree.query(poly))
                if (!cellpoly[s] && GEOSPreparedIntersects_r(ctx_, prep.get(), pts2[s].get()) == 1) {
                    cellpoly[s] = geo::clone(ctx_, poly);
                    break;
                }
        }
        for (uint32_t s = 0; s < ns; ++s)
            if (!cellpoly[s]) throw runtime_error(fmt::format("Voronoi diagram: no polygon for site '{}'", m_.sites_[s].key));
    }
    const bool need_shapes = opt_.keep_geometry || !m_.grid_.empty();
    for (uint32_t s = 0; s < ns; ++s) {
        Site& site = m_.sites_[s];
        // The zone pieces of the unclipped polygon are clipped to the country
        // already (zones lie in it); the clipped polygon itself is only needed
        // for the grid and the written geometry.
        std::vector<Piece> pieces = zone_pieces(cellpoly[s].get());
        geo::Geom clipped;
        if ((pieces.size() == 1 && !pieces[0].geom) ||
            (need_shapes && GEOSPreparedContainsProperly_r(ctx_, country_prep_.get(), cellpoly[s].get()) == 1))
            clipped = std::move(cellpoly[s]);
        else if (need_shapes)
            clipped = geo::polygonal(ctx_, geo::own(ctx_, GEOSIntersection_r(ctx_, cellpoly[s].get(), country_.get()), "clip").get());
        if (opt_.keep_geometry) {
            site.voronoi_wkb = geo::to_wkb(ctx_, clipped.get());
            site.voronoi_area_m2 = geo::area(ctx_, clipped.get());
        }
        std::vector<ZoneWeight> whole;
        for (const auto& p : pieces) whole.push_back({p.zone, p.area});
        // sectors: distinct azimuths split the polygon at the bisectors between neighbours
        std::vector<double> az;
        for (uint32_t c : site.cells)
            if (std::isfinite(plan_[c].azimuth)) az.push_back(std::round(plan_[c].azimuth * 100.0) / 100.0);
        std::sort(az.begin(), az.end());
        az.erase(std::unique(az.begin(), az.end()), az.end());
        if (az.size() < 2) {
            for (uint32_t c : site.cells) {
                zone_weights(c, site, whole);
                grid_weights(c, clipped.get());
                if (opt_.keep_geometry) shapes_[c] = site.voronoi_wkb;
            }
            continue;
        }
        double x0, y0, x1, y1, r = 1.0;
        const GEOSGeometry* extent = clipped ? clipped.get() : nullptr;
        for (const auto& p : pieces)
            if (!extent && p.geom) extent = p.geom.get();
        if (!extent) extent = cellpoly[s].get();
        if (!geo::is_empty(ctx_, extent)) {
            geo::envelope(ctx_, extent, x0, y0, x1, y1);
            for (double cx : {x0, x1})
                for (double cy : {y0, y1}) r = std::max(r, std::hypot(cx - site.x, cy - site.y));
        }
        r = 2.0 * r + 1.0;
        const size_t na = az.size();
        std::vector<geo::Geom> wedges(na), sectors(na);
        std::vector<std::vector<ZoneWeight>> sector_w(na);
        for (size_t k = 0; k < na; ++k) {
            double prev = az[(k + na - 1) % na], next = az[(k + 1) % na];
            double gap_prev = std::fmod(az[k] - prev + 360.0, 360.0), gap_next = std::fmod(next - az[k] + 360.0, 360.0);
            wedges[k] = wedge(ctx_, site.x, site.y, az[k] - gap_prev / 2, az[k] + gap_next / 2, r);
            if (need_shapes)
                sectors[k] = geo::polygonal(ctx_, geo::own(ctx_, GEOSIntersection_r(ctx_, clipped.get(), wedges[k].get()), "sector").get());
            if (pieces.size() == 1) {  // one zone: every sector is in it
                sector_w[k] = whole;
                continue;
            }
            for (const auto& p : pieces) {
                geo::Geom x = geo::own(ctx_, GEOSIntersection_r(ctx_, p.geom.get(), wedges[k].get()), "sector piece");
                double a = geo::area(ctx_, x.get());
                if (a > 0) sector_w[k].push_back({p.zone, a});
            }
        }
        for (uint32_t c : site.cells) {
            if (!std::isfinite(plan_[c].azimuth)) {
                zone_weights(c, site, whole);
                grid_weights(c, clipped.get());
                if (opt_.keep_geometry) shapes_[c] = site.voronoi_wkb;
                continue;
            }
            double a = std::round(plan_[c].azimuth * 100.0) / 100.0;
            size_t k = static_cast<size_t>(std::lower_bound(az.begin(), az.end(), a) - az.begin());
            zone_weights(c, site, sector_w[k]);
            if (need_shapes) {
                grid_weights(c, sectors[k].get());
                if (opt_.keep_geometry) shapes_[c] = geo::to_wkb(ctx_, sectors[k].get());
            }
        }
    }
}

std::vector<TileSignal> SpatialBuilder::footprint_signals(const GridFrame& frame) const {
    const FootprintConfig& f = cfg_.spatial.footprint;
    const double g = frame.size;
    std::vector<TileSignal> e;
    for (uint32_t i = 0; i < plan_.size(); ++i) {
        if (m_.status_[i] != CellStatus::mapped) continue;
        const Cell& cell = plan_[i];
        double x = m_.cell_xy_[2 * i], y = m_.cell_xy_[2 * i + 1];
        double r = std::isfinite(cell.range_m) ? cell.range_m : f.range_m;
        int64_t c0 = std::max<int64_t>(0, static_cast<int64_t>(std::floor((x - r) / g)) - frame.col0);
        int64_t c1 = std::min<int64_t>(frame.cols - 1, static_cast<int64_t>(std::floor((x + r) / g)) - frame.col0);
        int64_t r0 = std::max<int64_t>(0, static_cast<int64_t>(std::floor((y - r) / g)) - frame.row0);
        int64_t r1 = std::min<int64_t>(frame.rows - 1, static_cast<int64_t>(std::floor((y + r) / g)) - frame.row0);
        for (int64_t rr = r0; rr <= r1; ++rr)
            for (int64_t cc = c0; cc <= c1; ++cc) {
                int32_t t = frame.at(rr, cc);
                if (t < 0) continue;
                double dx = (static_cast<double>(frame.col0 + cc) + 0.5) * g - x, dy = (static_cast<double>(frame.row0 + rr) + 0.5) * g - y;
                double d = std::hypot(dx, dy);
                if (d > r) continue;
                double off = NAN;
                if (std::isfinite(cell.azimuth)) off = std::fabs(std::remainder(std::atan2(dx, dy) * 180.0 / M_PI - cell.azimuth, 360.0));
                double sd = signal_dominance(f, signal_strength_dbm(f, d, off, cell.beam_width));
                if (sd >= f.min_dominance && sd > 0) e.push_back({static_cast<uint32_t>(t), i, sd});
            }
    }
    std::sort(e.begin(), e.end(), [](const TileSignal& a, const TileSignal& b) { return a.tile != b.tile ? a.tile < b.tile : a.cell < b.cell; });
    return e;
}

// The anchors' serving model: P(cell | tile) = SD / sum SD over every cell
// reaching the tile (no best-cell pruning: a device is served by its second or
// third best cell too), per cell sorted by tile.
void SpatialBuilder::location_likelihood() {
    std::vector<TileSignal> e = footprint_signals(location_frame_);
    std::vector<double> tile_sum(m_.location_grid_.tiles.size(), 0);
    for (const auto& x : e) tile_sum[x.tile] += x.sd;
    std::vector<uint32_t> count(plan_.size() + 1, 0);
    for (const auto& x : e) ++count[x.cell + 1];
    for (size_t c = 0; c < plan_.size(); ++c) count[c + 1] += count[c];
    m_.likelihood_offsets_ = count;
    m_.likelihood_entries_.resize(e.size());
    for (const auto& x : e)  // e is sorted by tile: each cell's entries stay sorted by tile
        m_.likelihood_entries_[count[x.cell]++] = {x.tile, x.sd / tile_sum[x.tile]};
}

void SpatialBuilder::weights_footprint() {
    const FootprintConfig& f = cfg_.spatial.footprint;
    std::vector<TileSignal> e = footprint_signals(frame_);
    // P(cell | tile) = SD / sum SD over the tile's kept cells
    std::vector<std::vector<ZoneWeight>> pct(plan_.size());  // per cell: (tile, P(cell | tile))
    for (size_t a = 0; a < e.size();) {
        size_t b = a;
        double best = 0;
        while (b < e.size() && e[b].tile == e[a].tile) best = std::max(best, e[b++].sd);
        double sum = 0;
        for (size_t k = a; k < b; ++k)
            if (e[k].sd >= f.best_share * best) sum += e[k].sd;
        for (size_t k = a; k < b; ++k)
            if (e[k].sd >= f.best_share * best) pct[e[k].cell].push_back({e[k].tile, e[k].sd / sum});
        a = b;
    }
    const bool by_pop = !finest_pop_.empty();
    const size_t fl = m_.finest_level();
    size_t fallback = 0;
    std::vector<std::string> examples;
    for (uint32_t i = 0; i < plan_.size(); ++i) {
        if (m_.status_[i] != CellStatus::mapped) continue;
        // P(tile | cell) ∝ P(cell | tile) × prior(tile): tile area (or population)
        std::vector<ZoneWeight> gw;
        for (const auto& p : pct[i]) {
            const GridTile& t = m_.grid_.tiles[p.zone];
            double prior = t.area_m2;
            if (by_pop) prior *= t.zone == kNoZone ? 0.0 : density(t.zone);
            gw.push_back({p.zone, p.weight * prior});
        }
        if (!normalise(gw) && by_pop) {
            gw.clear();
            for (const auto& p : pct[i]) gw.push_back({p.zone, p.weight * m_.grid_.tiles[p.zone].area_m2});
            normalise(gw);
        }
        double x = m_.cell_xy_[2 * i], y = m_.cell_xy_[2 * i + 1];
        if (gw.empty()) {
            ++fallback;
            if (examples.size() < 5) examples.push_back(plan_[i].id);
            if (uint32_t t = m_.grid_.find(x, y); t != kNoZone) gw = {{t, 1.0}};
        }
        std::vector<ZoneWeight> zw;
        for (const auto& t : gw)
            if (uint32_t z = m_.grid_.tiles[t.zone].zone; z != kNoZone) zw.push_back({z, t.weight});
        if (!normalise(zw)) {
            uint32_t z = point_zone(x, y, plan_[i].id, false);
            if (z != kNoZone) zw = {{z, 1.0}};
        }
        finest_[i] = std::move(zw);
        gridw_[i] = std::move(gw);
    }
    if (fallback)
        problem(Severity::info, "cell_dominated", m_.levels_[fl].name, "",
                fmt::format("{} cells are the dominant cell of no tile (pruned everywhere, e.g. {}); they get the tile of their site",
                            fallback, fmt::join(examples, ", ")),
                static_cast<double>(fallback));
}

void SpatialBuilder::derive_levels() {
    const size_t n = plan_.size(), nl = m_.levels_.size(), fl = nl - 1;
    m_.offsets_.assign(nl, std::vector<uint32_t>(n + 1, 0));
    m_.entries_.assign(nl, {});
    std::vector<ZoneWeight> tmp;
    for (uint32_t c = 0; c < n; ++c) {
        if (m_.status_[c] == CellStatus::mapped && finest_[c].empty())
            problem(Severity::error, "cell_unmapped", "", plan_[c].id, "no zone could be given to this cell");
        for (size_t li = 0; li < nl; ++li) {
            m_.offsets_[li][c] = static_cast<uint32_t>(m_.entries_[li].size());
            if (li == fl) {
                m_.entries_[li].insert(m_.entries_[li].end(), finest_[c].begin(), finest_[c].end());
                continue;
            }
            tmp.clear();
            for (const auto& w : finest_[c])
                if (uint32_t a = m_.ancestors_[li][w.zone]; a != kNoZone) tmp.push_back({a, w.weight});
            std::sort(tmp.begin(), tmp.end(), [](const ZoneWeight& a, const ZoneWeight& b) { return a.zone < b.zone; });
            size_t k = 0;
            double total = 0;
            for (size_t i = 0; i < tmp.size(); ++i) {
                total += tmp[i].weight;
                if (k > 0 && tmp[k - 1].zone == tmp[i].zone) tmp[k - 1].weight += tmp[i].weight;
                else tmp[k++] = tmp[i];
            }
            tmp.resize(k);
            if (total > 0 && std::fabs(total - 1.0) > 1e-12)
                for (auto& w : tmp) w.weight /= total;
            m_.entries_[li].insert(m_.entries_[li].end(), tmp.begin(), tmp.end());
        }
    }
    for (size_t li = 0; li < nl; ++li) m_.offsets_[li][n] = static_cast<uint32_t>(m_.entries_[li].size());
    if (!m_.grid_.empty()) {
        m_.grid_offsets_.assign(n + 1, 0);
        for (uint32_t c = 0; c < n; ++c) {
            m_.grid_offsets_[c] = static_cast<uint32_t>(m_.grid_entries_.size());
            m_.grid_entries_.insert(m_.grid_entries_.end(), gridw_[c].begin(), gridw_[c].end());
        }
        m_.grid_offsets_[n] = static_cast<uint32_t>(m_.grid_entries_.size());
    }
}

SpatialModel SpatialBuilder::build() {
    auto t0 = Clock::now();
    gdal_init();
    m_.method = cfg_.spatial.method;
    m_.weight_by = cfg_.spatial.weight_by;
    choose_crs();
    read_zones();
    m_.timings_.zones_s = seconds_since(t0);
    auto t = Clock::now();
    check_hierarchy();
    check_coverage();
    read_census();
    m_.timings_.checks_s = seconds_since(t);
    t = Clock::now();
    place_cells();
    if (cfg_.spatial.grid_size_m > 0) build_grid(cfg_.spatial.grid_size_m, m_.grid_, frame_);
    if (cfg_.anchors.location == "posterior") {
        build_grid(cfg_.anchors.location_tile_m, m_.location_grid_, location_frame_);
        location_likelihood();
    }
    m_.timings_.grid_s = seconds_since(t);
    t = Clock::now();
    double cpu0 = thread_cpu_s();
    build_sites();
    if (m_.method == "point") weights_point();
    else if (m_.method == "footprint") weights_footprint();
    else weights_voronoi();
    derive_levels();
    m_.timings_.weights_s = seconds_since(t);
    m_.timings_.weights_cpu_s = thread_cpu_s() - cpu0;
    m_.cell_shapes_ = std::move(shapes_);
    m_.timings_.total_s = seconds_since(t0);
    return std::move(m_);
}

SpatialModel build_spatial_model(const Config& config, const CellPlan& cells, const SpatialBuildOptions& options) {
    SpatialBuilder b(config, cells, options);
    return b.build();
}

}  // namespace mpdstat
