#include "spatial/geos_util.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat::geo {

Context::Context() : h_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(h_, &Context::on_error, this);
    GEOSContext_setNoticeMessageHandler_r(h_, &Context::on_notice, this);
}

Context::~Context() { GEOS_finish_r(h_); }

void Context::on_error(const char* message, void* self) { static_cast<Context*>(self)->error_ = message ? message : ""; }
void Context::on_notice(const char*, void*) {}

Geom own(const Context& c, GEOSGeometry* g, std::string_view what) {
    if (!g) throw runtime_error(fmt::format("GEOS failed in {}: {}", what, c.last_error()));
    return Geom(g, GeomDeleter{c.get()});
}

Geom clone(const Context& c, const GEOSGeometry* g) { return own(c, GEOSGeom_clone_r(c, g), "clone"); }

Prepared prepare(const Context& c, const GEOSGeometry* g) {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(c, g);
    if (!p) throw runtime_error(fmt::format("GEOS failed in prepare: {}", c.last_error()));
    return Prepared(p, PreparedDeleter{c.get()});
}

Geom point(const Context& c, double x, double y) { return own(c, GEOSGeom_createPointFromXY_r(c, x, y), "point"); }

Geom rectangle(const Context& c, double x0, double y0, double x1, double y1) {
    return own(c, GEOSGeom_createRectangle_r(c, x0, y0, x1, y1), "rectangle");
}

Geom polygon(const Context& c, const std::vector<double>& xy) {
    std::vector<double> ring = xy;
    if (ring.size() < 6) throw runtime_error("polygon with fewer than 3 points");
    if (ring[0] != ring[ring.size() - 2] || ring[1] != ring[ring.size() - 1]) {
        ring.push_back(ring[0]);
        ring.push_back(ring[1]);
    }
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(c, ring.data(), static_cast<unsigned>(ring.size() / 2), 0, 0);
    if (!seq) throw runtime_error(fmt::format("GEOS failed in coordinates: {}", c.last_error()));
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(c, seq);
    if (!shell) throw runtime_error(fmt::format("GEOS failed in ring: {}", c.last_error()));
    return own(c, GEOSGeom_createPolygon_r(c, shell, nullptr, 0), "polygon");
}

double area(const Context& c, const GEOSGeometry* g) {
    double a = 0;
    if (!GEOSArea_r(c, g, &a)) throw runtime_error(fmt::format("GEOS failed in area: {}", c.last_error()));
    return a;
}

bool is_empty(const Context& c, const GEOSGeometry* g) { return GEOSisEmpty_r(c, g) == 1; }

void envelope(const Context& c, const GEOSGeometry* g, double& x0, double& y0, double& x1, double& y1) {
    if (!GEOSGeom_getXMin_r(c, g, &x0) || !GEOSGeom_getYMin_r(c, g, &y0) || !GEOSGeom_getXMax_r(c, g, &x1) ||
        !GEOSGeom_getYMax_r(c, g, &y1))
        throw runtime_error(fmt::format("GEOS failed in envelope: {}", c.last_error()));
}

void centroid(const Context& c, const GEOSGeometry* g, double& x, double& y) {
    Geom p = own(c, GEOSGetCentroid_r(c, g), "centroid");
    if (is_empty(c, p.get())) {
        x = y = NAN;
        return;
    }
    GEOSGeomGetX_r(c, p.get(), &x);
    GEOSGeomGetY_r(c, p.get(), &y);
}

namespace {
void collect_polygons(const Context& c, const GEOSGeometry* g, std::vector<Geom>& out) {
    int type = GEOSGeomTypeId_r(c, g);
    if (type == GEOS_POLYGON) {
        if (!is_empty(c, g)) out.push_back(clone(c, g));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(c, g);
        for (int i = 0; i < n; ++i) collect_polygons(c, GEOSGetGeometryN_r(c, g, i), out);
    }
}
}  // namespace

Geom collection(const Context& c, int type, std::vector<Geom> parts) {
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (auto& p : parts) raw.push_back(p.release());
    return own(c, GEOSGeom_createCollection_r(c, type, raw.data(), static_cast<unsigned>(raw.size())), "collection");
}

Geom polygonal(const Context& c, const GEOSGeometry* g) {
    std::vector<Geom> parts;
    collect_polygons(c, g, parts);
    return collection(c, GEOS_MULTIPOLYGON, std::move(parts));
}

Geom union_of(const Context& c, const std::vector<const GEOSGeometry*>& parts) {
    std::vector<Geom> clones;
    clones.reserve(parts.size());
    for (auto* p : parts) clones.push_back(clone(c, p));
    Geom coll = collection(c, GEOS_GEOMETRYCOLLECTION, std::move(clones));
    return own(c, GEOSUnaryUnion_r(c, coll.get()), "union");
}

std::string to_wkb(const Context& c, const GEOSGeometry* g) {
    GEOSWKBWriter* w = GEOSWKBWriter_create_r(c);
    GEOSWKBWriter_setByteOrder_r(c, w, GEOS_WKB_NDR);
    size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(c, w, g, &size);
    GEOSWKBWriter_destroy_r(c, w);
    if (!buf) throw runtime_error(fmt::format("GEOS failed in WKB: {}", c.last_error()));
    std::string out(reinterpret_cast<const char*>(buf), size);
    GEOSFree_r(c, buf);
    return out;
}

Geom from_wkb(const Context& c, std::string_view wkb) {
    return own(c, GEOSGeomFromWKB_buf_r(c, reinterpret_cast<const unsigned char*>(wkb.data()), wkb.size()), "WKB");
}

IndexTree::IndexTree(const Context& c, const std::vector<const GEOSGeometry*>& geoms)
    : c_(c), tree_(GEOSSTRtree_create_r(c, 10), TreeDeleter{c.get()}), ids_(geoms.size()) {
    for (uint32_t i = 0; i < geoms.size(); ++i) {
        ids_[i] = i;
        if (geoms[i] && !is_empty(c, geoms[i]))
            GEOSSTRtree_insert_r(c, tree_.get(), geoms[i], &ids_[i]);
    }
}

std::vector<uint32_t> IndexTree::query(const GEOSGeometry* g) const {
    std::vector<uint32_t> out;
    GEOSSTRtree_query_r(
        c_, tree_.get(), g, [](void* item, void* user) { static_cast<std::vector<uint32_t>*>(user)->push_back(*static_cast<uint32_t*>(item)); },
        &out);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace mpdstat::geo
