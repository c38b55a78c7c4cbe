// spatial_bench [CELLS] [SITES_PER_KM2]: times the cell -> zone weights of the
// spatial model on a generated network and prints the time per 10,000 cells
// for each method. Prints, never asserts.
//
// The generated country is 300 km x 200 km in UTM 33N, cut into 240 districts
// (a Voronoi tessellation of random points, borders densified to 250 m so
// zones have realistic vertex counts) grouped into 8 regions; sites are
// uniform, three sectors each (0°, 120°, 240°), so CELLS / 3 sites.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <geos_c.h>
#include <nlohmann/json.hpp>
#include <ogr_spatialref.h>
#include <unistd.h>

#include "config/config.hpp"
#include "spatial/cell_plan.hpp"
#include "spatial/spatial_model.hpp"

namespace fs = std::filesystem;
using namespace mpdstat;

namespace {

constexpr double X0 = 300000, Y0 = 5500000, W = 300000, H = 200000;

nlohmann::json rings_of(GEOSContextHandle_t h, const GEOSGeometry* g) {
    nlohmann::json polys = nlohmann::json::array();
    auto ring_json = [&](const GEOSGeometry* ring) {
        const GEOSCoordSequence* s = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(h, s, &n);
        nlohmann::json r = nlohmann::json::array();
        for (unsigned i = 0; i < n; ++i) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, s, i, &x, &y);
            r.push_back({x, y});
        }
        return r;
    };
    int np = GEOSGetNumGeometries_r(h, g);
    for (int k = 0; k < np; ++k) {
        const GEOSGeometry* p = GEOSGetGeometryN_r(h, g, k);
        if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON) continue;
        nlohmann::json poly = nlohmann::json::array();
        poly.push_back(ring_json(GEOSGetExteriorRing_r(h, p)));
        for (int i = 0; i < GEOSGetNumInteriorRings_r(h, p); ++i) poly.push_back(ring_json(GEOSGetInteriorRingN_r(h, p, i)));
        polys.push_back(poly);
    }
    return {{"type", "MultiPolygon"}, {"coordinates", polys}};
}

nlohmann::json collection() {
    return {{"type", "FeatureCollection"},
            {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::32633"}}}}},
            {"features", nlohmann::json::array()}};
}

void generate(const fs::path& dir, size_t cells, std::mt19937_64& rng) {
    GEOSContextHandle_t h = GEOS_init_r();
    std::uniform_real_distribution<double> ux(X0, X0 + W), uy(Y0, Y0 + H);
    const int districts = 240, regions = 8;
    std::vector<GEOSGeometry*> pts;
    for (int i = 0; i < districts; ++i) pts.push_back(GEOSGeom_createPointFromXY_r(h, ux(rng), uy(rng)));
    GEOSGeometry* mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts.data(), static_cast<unsigned>(pts.size()));
    GEOSGeometry* box = GEOSGeom_createRectangle_r(h, X0, Y0, X0 + W, Y0 + H);
    GEOSGeometry* vd = GEOSVoronoiDiagram_r(h, mp, box, 0, 0);
    nlohmann::json dj = collection(), rj = collection();
    std::vector<std::vector<GEOSGeometry*>> by_region(regions);
    int n = GEOSGetNumGeometries_r(h, vd);
    for (int i = 0; i < n; ++i) {
        GEOSGeometry* clipped = GEOSIntersection_r(h, GEOSGetGeometryN_r(h, vd, i), box);
        GEOSGeometry* dense = GEOSDensify_r(h, clipped, 250.0);
        GEOSGeometry* multi = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &dense, 1);
        double cx;
        GEOSGeometry* c = GEOSGetCentroid_r(h, multi);
        GEOSGeomGetX_r(h, c, &cx);
        GEOSGeom_destroy_r(h, c);
        int r = std::min(regions - 1, static_cast<int>((cx - X0) / (W / regions)));
        dj["features"].push_back({{"type", "Feature"},
                                  {"properties", {{"id", fmt::format("D{:03}", i)}, {"name", fmt::format("District {}", i)}, {"parent", fmt::format("R{}", r)}}},
                                  {"geometry", rings_of(h, multi)}});
        by_region[static_cast<size_t>(r)].push_back(multi);
        GEOSGeom_destroy_r(h, clipped);
    }
    for (int r = 0; r < regions; ++r) {
        auto& parts = by_region[static_cast<size_t>(r)];
        if (parts.empty()) continue;
        GEOSGeometry* coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.data(), static_cast<unsigned>(parts.size()));
        GEOSGeometry* u = GEOSUnaryUnion_r(h, coll);
        GEOSGeometry* um = GEOSGeomTypeId_r(h, u) == GEOS_POLYGON ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &u, 1) : u;
        rj["features"].push_back({{"type", "Feature"}, {"properties", {{"id", fmt::format("R{}", r)}, {"name", fmt::format("Region {}", r)}}},
                                  {"geometry", rings_of(h, um)}});
        GEOSGeom_destroy_r(h, coll);
        GEOSGeom_destroy_r(h, um);
    }
    std::ofstream(dir / "region.geojson") << rj.dump();
    std::ofstream(dir / "district.geojson") << dj.dump();
    GEOSGeom_destroy_r(h, vd);
    GEOSGeom_destroy_r(h, box);
    GEOSGeom_destroy_r(h, mp);
    GEOS_finish_r(h);

    // cells: uniform sites in UTM 33N, written in WGS84 lat/lon (PROJ via OGR)
    OGRSpatialReference utm, wgs;
    utm.importFromEPSG(32633);
    wgs.importFromEPSG(4326);
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformation* ct = OGRCreateCoordinateTransformation(&utm, &wgs);
    std::ofstream f(dir / "cells.csv");
    f << "cell_id,lat,lon,site_id,azimuth,beam_width,range_m,technology,valid_from,valid_to\n";
    size_t sites = (cells + 2) / 3;
    for (size_t s = 0, id = 0; s < sites; ++s) {
        double lon = ux(rng), lat = uy(rng);
        ct->Transform(1, &lon, &lat);
        for (int k = 0; k < 3 && id < cells; ++k, ++id)
            f << fmt::format("{},{:.7f},{:.7f},S{},{},65,,4G,,\n", id, lat, lon, s, k * 120);
    }
    OGRCoordinateTransformation::DestroyCT(ct);
}

}  // namespace

int main(int argc, char** argv) {
    size_t cells = argc > 1 ? std::stoul(argv[1]) : 10000;
    fs::path dir = fs::temp_directory_path() / ("mpdstat_spatial_bench_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::mt19937_64 rng(42);
    generate(dir, cells, rng);
    CellPlan plan = CellPlan::load(dir / "cells.csv", CellColumns{});
    fmt::print("spatial_bench: {} cells ({} sites, 3 sectors), 8 regions / 240 districts, 300 km x 200 km, UTM 33N\n", plan.size(),
               (cells + 2) / 3);
    for (const char* method : {"point", "voronoi", "footprint"}) {
        for (double grid : {0.0, 1000.0}) {
            if (std::string(method) == "footprint" && grid == 0) continue;
            std::string text = fmt::format(R"([input]
events = "none/*.csv"
cells = "cells.csv"
timezone = "Europe/Prague"
local_mcc = 230
period_start = "2024-01-01"
period_end = "2024-01-31"
[[zones.levels]]
name = "region"
path = "region.geojson"
[[zones.levels]]
name = "district"
path = "district.geojson"
parent_field = "parent"
[spatial]
method = "{}"
crs = "EPSG:32633"
grid_size_m = {}
[run]
work_dir = "work"
out_dir = "out"
)",
                                           method, grid);
            Config cfg = parse_config(text, dir, "bench.toml");
            SpatialModel m = build_spatial_model(cfg, plan, SpatialBuildOptions{.keep_geometry = false});
            size_t mapped = 0;
            for (uint32_t c = 0; c < m.cell_count(); ++c) mapped += m.status(c) == CellStatus::mapped;
            const auto& t = m.timings();
            fmt::print("  {:9} grid {:>4} m: weights {:6.3f} s wall, {:6.3f} s CPU = {:6.3f} s CPU per 10,000 cells (build total {:.3f} s; zones {:.3f}, checks {:.3f}, grid {:.3f}); {} mapped\n",
                       method, grid, t.weights_s, t.weights_cpu_s, t.weights_cpu_s * 10000.0 / static_cast<double>(std::max<size_t>(1, mapped)), t.total_s,
                       t.zones_s, t.checks_s, t.grid_s, mapped);
            std::fflush(stdout);
        }
    }
    fs::remove_all(dir);
    return 0;
}
