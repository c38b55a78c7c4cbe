// Writers of the spatial model: GeoJSON per zone level (WGS84, RFC 7946), one
// GeoPackage with everything (model CRS), the weights CSV and the QA JSON.
// Every file is written under a temporary name and renamed when complete.
#include <limits>

#include <cpl_error.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/gdal_output.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

std::string safe_name(std::string_view s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "level" : out;
}

std::string day_or_empty(Day d) {
    if (d == std::numeric_limits<Day>::min() || d == std::numeric_limits<Day>::max()) return "";
    return format_day(d);
}

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void add_field(OGRLayer* l, const char* name, OGRFieldType type) {
    OGRFieldDefn f(name, type);
    if (l->CreateField(&f) != OGRERR_NONE) throw runtime_error(fmt::format("cannot create field {}: {}", name, CPLGetLastErrorMsg()));
}

std::unique_ptr<OGRGeometry> from_wkb(std::string_view wkb, bool multi) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
        throw runtime_error("invalid WKB in the spatial model");
    if (multi) g = OGRGeometryFactory::forceToMultiPolygon(g);
    return std::unique_ptr<OGRGeometry>(g);
}

void add_feature(OGRLayer* l, OGRFeature& f) {
    if (l->CreateFeature(&f) != OGRERR_NONE)
        throw runtime_error(fmt::format("cannot write a feature to layer {}: {}", l->GetName(), CPLGetLastErrorMsg()));
}

void write_zone_layer(OGRLayer* layer, const SpatialModel& m, size_t li, OGRCoordinateTransformation* ct) {
    const auto& level = m.levels()[li];
    const auto* up = li > 0 ? &m.levels()[li - 1] : nullptr;
    add_field(layer, "zone_id", OFTString);
    add_field(layer, "name", OFTString);
    add_field(layer, "parent_id", OFTString);
    add_field(layer, "level", OFTString);
    add_field(layer, "area_km2", OFTReal);
    add_field(layer, "population", OFTReal);
    add_field(layer, "lon", OFTReal);
    add_field(layer, "lat", OFTReal);
    for (const auto& z : level.zones) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("zone_id", z.id.c_str());
        f.SetField("name", z.name.c_str());
        if (up && z.parent != kNoZone) f.SetField("parent_id", up->zones[z.parent].id.c_str());
        f.SetField("level", level.name.c_str());
        f.SetField("area_km2", z.area_m2 / 1e6);
        if (std::isfinite(z.population)) f.SetField("population", z.population);
        f.SetField("lon", z.lon);
        f.SetField("lat", z.lat);
        auto g = from_wkb(z.wkb, true);
        if (ct && g->transform(ct) != OGRERR_NONE) throw runtime_error(fmt::format("cannot reproject zone {}", z.id));
        f.SetGeometryDirectly(g.release());
        add_feature(layer, f);
    }
}

}  // namespace

SpatialOutputs write_spatial_outputs(const SpatialModel& m, const CellPlan& cells, const Config& cfg) {
    SpatialOutputs out;
    const fs::path geo = cfg.run.output_root() / "geo", qa = cfg.run.output_root() / "qa";
    std::error_code ec;
    fs::create_directories(geo, ec);
    if (ec) throw data_error(fmt::format("{}: cannot create folder: {}", geo.string(), ec.message()));
    fs::create_directories(qa, ec);
    if (ec) throw data_error(fmt::format("{}: cannot create folder: {}", qa.string(), ec.message()));
    if (GDALGetDriverCount() == 0) GDALAllRegister();

    OGRSpatialReference model;
    model.importFromWkt(m.crs_wkt.c_str());
    model.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation, void (*)(OGRCoordinateTransformation*)> to_wgs(
        OGRCreateCoordinateTransformation(&model, &wgs), &OGRCoordinateTransformation::DestroyCT);
    if (!to_wgs) throw runtime_error(fmt::format("PROJ cannot transform {} to WGS84", m.crs));

    // GeoJSON per level (RFC 7946: WGS84 lon/lat)
    for (size_t li = 0; li < m.levels().size(); ++li) {
        fs::path target = geo / fmt::format("zones_{}.geojson", safe_name(m.levels()[li].name));
        fs::path tmp = geo / fmt::format(".zones_{}.geojson.tmp", safe_name(m.levels()[li].name));
        GdalDatasetPtr ds = create_vector_dataset("GeoJSON", tmp);
        char** opts = nullptr;
        opts = CSLSetNameValue(opts, "RFC7946", "YES");
        OGRLayer* layer = ds->CreateLayer(("zones_" + safe_name(m.levels()[li].name)).c_str(), &wgs, wkbMultiPolygon, opts);
        CSLDestroy(opts);
        if (!layer) throw data_error(fmt::format("{}: cannot create layer: {}", target.string(), CPLGetLastErrorMsg()));
        write_zone_layer(layer, m, li, to_wgs.get());
        commit_vector_dataset(ds, tmp, target);
        out.files.push_back(target);
    }

    // GeoPackage (model CRS)
    {
        fs::path target = geo / "spatial.gpkg", tmp = geo / ".spatial.tmp.gpkg";
        GdalDatasetPtr ds = create_vector_dataset("GPKG", tmp);
        ds->StartTransaction();
        auto layer = [&](const std::string& name, OGRwkbGeometryType type) {
            OGRLayer* l = ds->CreateLayer(name.c_str(), type == wkbNone ? nullptr : &model, type, nullptr);
            if (!l) throw data_error(fmt::format("{}: cannot create layer {}: {}", target.string(), name, CPLGetLastErrorMsg()));
            return l;
        };
        for (size_t li = 0; li < m.levels().size(); ++li)
            write_zone_layer(layer("zones_" + safe_name(m.levels()[li].name), wkbMultiPolygon), m, li, nullptr);

        const auto& finest = m.levels().back();
        if (!m.grid().empty()) {
            OGRLayer* l = layer("grid", wkbMultiPolygon);
            add_field(l, "tile_id", OFTString);
            add_field(l, "zone_id", OFTString);
            add_field(l, "area_km2", OFTReal);
            const Grid& g = m.grid();
            for (uint32_t t = 0; t < g.tiles.size(); ++t) {
                const GridTile& tile = g.tiles[t];
                OGRFeature f(l->GetLayerDefn());
                f.SetField("tile_id", g.tile_id(t).c_str());
                if (tile.zone != kNoZone) f.SetField("zone_id", finest.zones[tile.zone].id.c_str());
                f.SetField("area_km2", tile.area_m2 / 1e6);
                if (!tile.clipped_wkb.empty()) {
                    f.SetGeometryDirectly(from_wkb(tile.clipped_wkb, true).release());
                } else {
                    double x0 = tile.col * g.size_m, y0 = tile.row * g.size_m;
                    auto* ring = new OGRLinearRing();
                    ring->addPoint(x0, y0);
                    ring->addPoint(x0, y0 + g.size_m);
                    ring->addPoint(x0 + g.size_m, y0 + g.size_m);
                    ring->addPoint(x0 + g.size_m, y0);
                    ring->addPoint(x0, y0);
                    auto* poly = new OGRPolygon();
                    poly->addRingDirectly(ring);
                    auto* mp = new OGRMultiPolygon();
                    mp->addGeometryDirectly(poly);
                    f.SetGeometryDirectly(mp);
                }
                add_feature(l, f);
            }
        }
        if (m.method == "voronoi" && !m.sites().empty() && !m.sites().front().voronoi_wkb.empty()) {
            OGRLayer* l = layer("voronoi", wkbMultiPolygon);
            add_field(l, "site_id", OFTString);
            add_field(l, "cells", OFTInteger);
            add_field(l, "lon", OFTReal);
            add_field(l, "lat", OFTReal);
            add_field(l, "area_km2", OFTReal);
            for (const Site& s : m.sites()) {
                OGRFeature f(l->GetLayerDefn());
                f.SetField("site_id", s.key.c_str());
                f.SetField("cells", static_cast<int>(s.cells.size()));
                f.SetField("lon", s.lon);
                f.SetField("lat", s.lat);
                f.SetField("area_km2", s.voronoi_area_m2 / 1e6);
                f.SetGeometryDirectly(from_wkb(s.voronoi_wkb, true).release());
                add_feature(l, f);
            }
        }
        if (!m.cell_shapes().empty() && m.method == "voronoi") {
            OGRLayer* l = layer("cell_areas", wkbMultiPolygon);
            add_field(l, "cell_id", OFTString);
            add_field(l, "valid_from", OFTString);
            add_field(l, "valid_to", OFTString);
            add_field(l, "azimuth", OFTReal);
            for (uint32_t c = 0; c < cells.size(); ++c) {
                if (m.cell_shapes()[c].empty()) continue;
                OGRFeature f(l->GetLayerDefn());
                f.SetField("cell_id", cells[c].id.c_str());
                f.SetField("valid_from", day_or_empty(cells[c].valid_from).c_str());
                f.SetField("valid_to", day_or_empty(cells[c].valid_to).c_str());
                if (std::isfinite(cells[c].azimuth)) f.SetField("azimuth", cells[c].azimuth);
                f.SetGeometryDirectly(from_wkb(m.cell_shapes()[c], true).release());
                add_feature(l, f);
            }
        }
        {
            OGRLayer* l = layer("cells", wkbPoint);
            for (const char* n : {"cell_id", "site_id", "valid_from", "valid_to", "technology", "status"}) add_field(l, n, OFTString);
            add_field(l, "azimuth", OFTReal);
            add_field(l, "zones", OFTInteger);
            for (uint32_t c = 0; c < cells.size(); ++c) {
                OGRFeature f(l->GetLayerDefn());
                f.SetField("cell_id", cells[c].id.c_str());
                f.SetField("site_id", cells[c].site_id.c_str());
                f.SetField("valid_from", day_or_empty(cells[c].valid_from).c_str());
                f.SetField("valid_to", day_or_empty(cells[c].valid_to).c_str());
                f.SetField("technology", cells[c].technology.c_str());
                f.SetField("status", std::string(to_string(m.status(c))).c_str());
                if (std::isfinite(cells[c].azimuth)) f.SetField("azimuth", cells[c].azimuth);
                f.SetField("zones", static_cast<int>(m.weights(c).size()));
                if (std::isfinite(m.cell_x(c))) f.SetGeometryDirectly(new OGRPoint(m.cell_x(c), m.cell_y(c)));
                add_feature(l, f);
            }
        }
        {
            OGRLayer* l = layer("cell_zone_weights", wkbNone);
            for (const char* n : {"cell_id", "valid_from", "valid_to", "zone_level", "zone_id"}) add_field(l, n, OFTString);
            add_field(l, "weight", OFTReal);
            for (uint32_t c = 0; c < cells.size(); ++c)
                for (size_t li = 0; li < m.levels().size(); ++li)
                    for (const auto& w : m.weights(c, li)) {
                        OGRFeature f(l->GetLayerDefn());
                        f.SetField("cell_id", cells[c].id.c_str());
                        f.SetField("valid_from", day_or_empty(cells[c].valid_from).c_str());
                        f.SetField("valid_to", day_or_empty(cells[c].valid_to).c_str());
                        f.SetField("zone_level", m.levels()[li].name.c_str());
                        f.SetField("zone_id", m.levels()[li].zones[w.zone].id.c_str());
                        f.SetField("weight", w.weight);
                        add_feature(l, f);
                    }
        }
        if (ds->CommitTransaction() != OGRERR_NONE)
            throw data_error(fmt::format("{}: cannot commit: {}", target.string(), CPLGetLastErrorMsg()));
        commit_vector_dataset(ds, tmp, target);
        out.files.push_back(target);
    }

    // weights CSV: every level, then the grid
    {
        fs::path target = geo / "cell_zone_weights.csv";
        AtomicFile f(target);
        std::string buf = "cell_id,valid_from,valid_to,zone_level,zone_id,weight\n";
        auto row = [&](uint32_t c, std::string_view level, std::string_view zone, double w) {
            fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{:.10g}\n", csv_field(cells[c].id), day_or_empty(cells[c].valid_from),
                           day_or_empty(cells[c].valid_to), csv_field(level), csv_field(zone), w);
            if (buf.size() > (1 << 20)) {
                f.write(buf);
                buf.clear();
            }
        };
        for (uint32_t c = 0; c < cells.size(); ++c) {
            for (size_t li = 0; li < m.levels().size(); ++li)
                for (const auto& w : m.weights(c, li)) row(c, m.levels()[li].name, m.levels()[li].zones[w.zone].id, w.weight);
            for (const auto& w : m.grid_weights(c)) row(c, "grid", m.grid().tile_id(w.zone), w.weight);
        }
        f.write(buf);
        f.commit();
        out.files.push_back(target);
    }

    fs::path qa_file = qa / "spatial.json";
    write_file_atomically(qa_file, m.qa_json() + "\n");
    out.files.push_back(qa_file);
    return out;
}

}  // namespace mpdstat
