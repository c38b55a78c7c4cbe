#include "report/zone_layer.hpp"

#include <memory>

#include <cpl_error.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "common/error.hpp"

namespace mpdstat::report {

namespace {

std::string text_field(OGRFeature& f, std::initializer_list<const char*> names) {
    for (const char* n : names) {
        int i = f.GetFieldIndex(n);
        if (i >= 0 && f.IsFieldSetAndNotNull(i)) return f.GetFieldAsString(i);
    }
    return "";
}

void add_rings(const OGRPolygon& polygon, std::vector<std::vector<LonLat>>& rings) {
    auto add = [&](const OGRLinearRing* ring) {
        if (!ring) return;
        auto& out = rings.emplace_back();
        for (int i = 0; i < ring->getNumPoints(); ++i) out.push_back({ring->getX(i), ring->getY(i)});
    };
    add(polygon.getExteriorRing());
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) add(polygon.getInteriorRing(i));
}

}  // namespace

std::vector<ZoneShape> read_zone_shapes(const std::filesystem::path& path) {
    if (GDALGetDriverCount() == 0) GDALAllRegister();
    CPLErrorReset();
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(
        static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)),
        [](GDALDataset* d) { GDALClose(d); });
    if (!ds || ds->GetLayerCount() < 1)
        throw data_error(fmt::format("{}: cannot read as a vector file: {}", path.string(), CPLGetLastErrorMsg()));
    OGRLayer* layer = ds->GetLayer(0);

    // GeoJSON is WGS84 by definition, but a zones file from elsewhere may be projected.
    std::unique_ptr<OGRCoordinateTransformation, void (*)(OGRCoordinateTransformation*)> to_wgs(
        nullptr, &OGRCoordinateTransformation::DestroyCT);
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (const OGRSpatialReference* srs = layer->GetSpatialRef(); srs && !srs->IsGeographic()) {
        OGRSpatialReference source(*srs);
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        to_wgs.reset(OGRCreateCoordinateTransformation(&source, &wgs));
        if (!to_wgs) throw data_error(fmt::format("{}: cannot transform its CRS to WGS84", path.string()));
    }

    std::vector<ZoneShape> shapes;
    layer->ResetReading();
    while (std::unique_ptr<OGRFeature> f{layer->GetNextFeature()}) {
        ZoneShape z;
        z.id = text_field(*f, {"zone_id", "id"});
        z.name = text_field(*f, {"name"});
        z.parent_id = text_field(*f, {"parent_id", "parent"});
        if (z.id.empty()) throw data_error(fmt::format("{}: a feature has no zone_id", path.string()));
        OGRGeometry* g = f->GetGeometryRef();
        if (!g) throw data_error(fmt::format("{}: zone {} has no geometry", path.string(), z.id));
        if (to_wgs && g->transform(to_wgs.get()) != OGRERR_NONE)
            throw data_error(fmt::format("{}: cannot reproject zone {}", path.string(), z.id));
        auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon) {
            add_rings(*g->toPolygon(), z.rings);
        } else if (type == wkbMultiPolygon) {
            for (const auto* p : *g->toMultiPolygon()) add_rings(*p, z.rings);
        } else {
            throw data_error(fmt::format("{}: zone {} is not a polygon", path.string(), z.id));
        }
        std::string lon = text_field(*f, {"lon"}), lat = text_field(*f, {"lat"});
        if (!lon.empty() && !lat.empty() && !to_wgs) {
            z.label_point = {std::stod(lon), std::stod(lat)};
        } else {
            OGRPoint c;
            if (g->Centroid(&c) != OGRERR_NONE) throw data_error(fmt::format("{}: zone {}: no centroid", path.string(), z.id));
            z.label_point = {c.getX(), c.getY()};
        }
        shapes.push_back(std::move(z));
    }
    return shapes;
}

const ProjectedZone* ProjectedLayer::find(const std::string& id) const {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &zones[it->second];
}

ProjectedLayer project_layer(const std::string& level, const std::vector<ZoneShape>& shapes, double width,
                             double max_height, double tolerance_px) {
    std::vector<LonLat> all;
    for (const auto& z : shapes)
        for (const auto& r : z.rings) all.insert(all.end(), r.begin(), r.end());
    MapProjection projection(all, width, max_height);
    ProjectedLayer layer;
    layer.level = level;
    layer.width = projection.width();
    layer.height = projection.height();
    for (const auto& z : shapes) {
        std::vector<Ring> rings;
        for (const auto& r : z.rings) {
            Ring ring;
            ring.reserve(r.size());
            for (const auto& p : r) ring.push_back(projection(p));
            rings.push_back(simplify_ring(ring, tolerance_px));
        }
        layer.index.emplace(z.id, layer.zones.size());
        layer.zones.push_back({z.id, z.name, z.parent_id, projection(z.label_point), svg_path_data(rings)});
    }
    return layer;
}

}  // namespace mpdstat::report
