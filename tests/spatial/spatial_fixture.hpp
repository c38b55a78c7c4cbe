#pragma once
// Hand-made spatial fixtures for the tests: zones written as GeoJSON in UTM 33N
// (EPSG:32633, a "crs" member GDAL honours) so that areas are exact squares
// in metres, and cells written in WGS84 lat/lon computed from UTM with PROJ.
// Around x = 400 km, y = 5800 km the cells sit near lat 52.3, lon 13.5: a
// lat/lon swap would put every cell far outside the country.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogr_spatialref.h>
#include <unistd.h>

#include "config/config.hpp"
#include "spatial/cell_plan.hpp"

namespace mpdstat::test {

namespace fs = std::filesystem;

struct ZoneSpec {
    std::string id, name, parent;
    std::vector<std::vector<double>> rings;  // each ring: x0, y0, x1, y1, ... (closed automatically)
};

inline std::vector<double> rect(double x0, double y0, double x1, double y1) { return {x0, y0, x1, y0, x1, y1, x0, y1}; }

struct CellSpec {
    std::string id, site;
    double x, y;
    double azimuth = NAN;
    std::string valid_from = "", valid_to = "";
    double range_m = NAN;
};

class SpatialFixture {
public:
    explicit SpatialFixture(const std::string& name) {
        dir = fs::temp_directory_path() / ("mpdstat_spatial_" + name + "_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~SpatialFixture() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    void write_zones(const std::string& file, const std::vector<ZoneSpec>& zones, bool with_parent = true) const {
        nlohmann::json fc = {{"type", "FeatureCollection"},
                             {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::32633"}}}}},
                             {"features", nlohmann::json::array()}};
        for (const auto& z : zones) {
            nlohmann::json coords = nlohmann::json::array();
            for (const auto& r : z.rings) {
                nlohmann::json ring = nlohmann::json::array();
                for (size_t i = 0; i + 1 < r.size(); i += 2) ring.push_back({r[i], r[i + 1]});
                ring.push_back({r[0], r[1]});
                coords.push_back(ring);
            }
            nlohmann::json props = {{"id", z.id}, {"name", z.name.empty() ? z.id : z.name}};
            if (with_parent) props["parent"] = z.parent;
            fc["features"].push_back({{"type", "Feature"}, {"properties", props}, {"geometry", {{"type", "Polygon"}, {"coordinates", coords}}}});
        }
        std::ofstream(dir / file) << fc.dump();
    }

    // UTM 33N -> WGS84 lon/lat.
    static void lonlat(double x, double y, double& lon, double& lat) {
        OGRSpatialReference utm, wgs;
        utm.importFromEPSG(32633);
        wgs.importFromEPSG(4326);
        utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation, void (*)(OGRCoordinateTransformation*)> ct(
            OGRCreateCoordinateTransformation(&utm, &wgs), &OGRCoordinateTransformation::DestroyCT);
        lon = x;
        lat = y;
        ASSERT_TRUE(ct->Transform(1, &lon, &lat));
    }

    void write_cells(const std::vector<CellSpec>& cells) const {
        std::ofstream f(dir / "cells.csv");
        f << "cell_id,lat,lon,site_id,azimuth,beam_width,range_m,technology,valid_from,valid_to\n";
        f.precision(12);
        for (const auto& c : cells) {
            double lon, lat;
            lonlat(c.x, c.y, lon, lat);
            f << c.id << ',' << lat << ',' << lon << ',' << c.site << ',';
            if (std::isfinite(c.azimuth)) f << c.azimuth;
            f << ",,";
            if (std::isfinite(c.range_m)) f << c.range_m;
            f << ",4G," << c.valid_from << ',' << c.valid_to << '\n';
        }
    }

    void write(const std::string& file, const std::string& text) const { std::ofstream(dir / file) << text; }

    // A config with the given [[zones.levels]] / [zones] text and [spatial] body.
    Config config(const std::string& zones_toml, const std::string& spatial_toml) const {
        std::string text = R"([input]
events = "no-events/*.csv"
cells = "cells.csv"
timezone = "Europe/Berlin"
local_mcc = 262
period_start = "2024-01-01"
period_end = "2024-01-31"
)" + zones_toml + "\n[spatial]\n" + spatial_toml + R"(
[run]
work_dir = "work"
out_dir = "out"
)";
        return parse_config(text, dir, (dir / "config.toml").string());
    }

    CellPlan cells() const { return CellPlan::load(dir / "cells.csv", CellColumns{}); }

    fs::path dir;
};

// Two levels: one country "C" (x 400..420 km, y 5800..5810 km: 20 km x 10 km)
// and two districts West (x < 410 km) and East.
inline const char* kTwoLevels = R"(
[[zones.levels]]
name = "country"
path = "country.geojson"
[[zones.levels]]
name = "district"
path = "district.geojson"
parent_field = "parent"
)";

inline void write_square_country(const SpatialFixture& f) {
    f.write_zones("country.geojson", {{"C", "Country", "", {rect(400000, 5800000, 420000, 5810000)}}}, false);
    f.write_zones("district.geojson", {{"W", "West", "C", {rect(400000, 5800000, 410000, 5810000)}},
                                       {"E", "East", "C", {rect(410000, 5800000, 420000, 5810000)}}});
}

}  // namespace mpdstat::test
