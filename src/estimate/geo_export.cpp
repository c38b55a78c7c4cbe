#include "estimate/geo_export.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <cpl_error.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "common/error.hpp"
#include "common/gdal_output.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

// Zone polygons per level, read from the Tier II folder's zones_<level>.geojson.
class ZoneGeometries {
public:
    explicit ZoneGeometries(const ZoneTree& zones) : zones_(zones), cache_(zones.levels.size()) {}
    const OGRGeometry* get(size_t level, uint32_t z) {
        auto& v = cache_[level];
        if (v.empty()) load(level);
        return v[z].get();
    }

private:
    void load(size_t level) {
        const auto& l = zones_.levels[level];
        auto& v = cache_[level];
        v.resize(l.ids.size());
        GDALDatasetUniquePtr ds(GDALDataset::Open(l.file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds) throw data_error(fmt::format("{}: cannot read the zone geometries", l.file.string()));
        for (auto& f : *ds->GetLayer(0)) {
            const uint32_t z = zones_.find(level, f->GetFieldAsString("zone_id"));
            if (z != kNoZoneId && f->GetGeometryRef()) v[z].reset(f->GetGeometryRef()->clone());
        }
    }
    const ZoneTree& zones_;
    std::vector<std::vector<std::unique_ptr<OGRGeometry>>> cache_;
};

bool numeric_column(const EstimableTable& spec, const std::string& col) {
    if (col == "support") return true;
    return std::find(spec.value_columns.begin(), spec.value_columns.end(), col) != spec.value_columns.end();
}

void write_layer(GDALDataset* ds, const std::string& name, const Tier3Table& t, size_t level, const ZoneTree& zones,
                 ZoneGeometries& geoms, char** layer_options) {
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const auto& spec = *t.spec;
    const bool flows = spec.zone_columns.size() > 1;
    OGRLayer* layer = ds->CreateLayer(name.c_str(), &wgs, flows ? wkbLineString : wkbMultiPolygon, layer_options);
    if (!layer) throw data_error(fmt::format("cannot create layer {}: {}", name, CPLGetLastErrorMsg()));
    const auto header = spec.header();
    std::vector<std::string> columns = header;
    for (const char* c : {"estimate", "ci_low", "ci_high", "quality"}) columns.emplace_back(c);
    for (const auto& c : columns) {
        const bool real = numeric_column(spec, c) || c == "estimate" || c == "ci_low" || c == "ci_high";
        OGRFieldDefn fd(c.c_str(), real ? OFTReal : OFTString);
        if (layer->CreateField(&fd) != OGRERR_NONE) throw data_error(fmt::format("cannot create field {}: {}", c, CPLGetLastErrorMsg()));
    }
    if (layer->StartTransaction() != OGRERR_NONE) throw data_error(fmt::format("layer {}: {}", name, CPLGetLastErrorMsg()));
    for (const auto& r : t.rows) {
        if (r.level != level) continue;
        OGRFeature f(layer->GetLayerDefn());
        for (size_t i = 0; i < header.size(); ++i) {
            if (r.fields[i].empty()) continue;  // a withheld value stays null, never 0
            if (numeric_column(spec, header[i])) f.SetField(static_cast<int>(i), std::strtod(r.fields[i].c_str(), nullptr));
            else f.SetField(static_cast<int>(i), r.fields[i].c_str());
        }
        const int base = static_cast<int>(header.size());
        for (int k = 0; k < 3; ++k) {
            const double v = k == 0 ? r.estimate : k == 1 ? r.ci_low : r.ci_high;
            if (std::isfinite(v)) f.SetField(base + k, v);
        }
        if (!r.quality.empty()) f.SetField(base + 3, r.quality.c_str());
        const auto& lvl = zones.levels[level];
        if (flows) {
            OGRLineString line;
            line.addPoint(lvl.lon[r.zones[0]], lvl.lat[r.zones[0]]);
            line.addPoint(lvl.lon[r.zones[1]], lvl.lat[r.zones[1]]);
            f.SetGeometry(&line);
        } else if (const OGRGeometry* g = geoms.get(level, r.zones[0])) {
            std::unique_ptr<OGRGeometry> copy(OGRGeometryFactory::forceToMultiPolygon(g->clone()));
            f.SetGeometryDirectly(copy.release());
        }
        if (layer->CreateFeature(&f) != OGRERR_NONE)
            throw data_error(fmt::format("cannot write a feature to layer {}: {}", name, CPLGetLastErrorMsg()));
    }
    if (layer->CommitTransaction() != OGRERR_NONE) throw data_error(fmt::format("layer {}: {}", name, CPLGetLastErrorMsg()));
}

}  // namespace

std::vector<fs::path> write_geo_exports(const Tier3Result& result, const ZoneTree& zones, const EstimateConfig& cfg,
                                        const fs::path& tier3) {
    std::vector<fs::path> written;
    std::vector<const Tier3Table*> tables;
    for (const auto& t : result.tables)
        if (std::find(cfg.geo_tables.begin(), cfg.geo_tables.end(), t.spec->name) != cfg.geo_tables.end()) tables.push_back(&t);
    if (tables.empty()) return written;
    if (GDALGetDriverCount() == 0) GDALAllRegister();
    const fs::path geo = tier3 / "geo";
    fs::create_directories(geo);
    ZoneGeometries geoms(zones);
    const fs::path gpkg = tier3 / "tier3.gpkg", gpkg_tmp = tier3 / ".tier3.tmp.gpkg";
    GdalDatasetPtr package = create_vector_dataset("GPKG", gpkg_tmp);
    char** rfc = CSLSetNameValue(nullptr, "RFC7946", "YES");
    for (const Tier3Table* t : tables)
        for (size_t level = 0; level < zones.levels.size(); ++level) {
            if (std::none_of(t->rows.begin(), t->rows.end(), [&](const Tier3Row& r) { return r.level == level; })) continue;
            const std::string name = fmt::format("{}_{}", t->spec->name, zones.levels[level].name);
            const fs::path target = geo / (name + ".geojson"), tmp = geo / ("." + name + ".geojson.tmp");
            GdalDatasetPtr json = create_vector_dataset("GeoJSON", tmp);
            write_layer(json.get(), name, *t, level, zones, geoms, rfc);
            commit_vector_dataset(json, tmp, target);
            written.push_back(target);
            write_layer(package.get(), name, *t, level, zones, geoms, nullptr);
        }
    CSLDestroy(rfc);
    commit_vector_dataset(package, gpkg_tmp, gpkg);
    written.push_back(gpkg);
    return written;
}

}  // namespace mpdstat
