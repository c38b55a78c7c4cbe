#pragma once
// Small RAII helpers over the reentrant GEOS C API (geos_c.h, *_r functions).
// Internal to src/spatial.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <geos_c.h>

namespace mpdstat::geo {

class Context {
public:
    Context();
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    GEOSContextHandle_t get() const noexcept { return h_; }
    operator GEOSContextHandle_t() const noexcept { return h_; }
    const std::string& last_error() const noexcept { return error_; }

private:
    static void on_error(const char* message, void* self);
    static void on_notice(const char* message, void* self);
    GEOSContextHandle_t h_;
    std::string error_;
};

struct GeomDeleter {
    GEOSContextHandle_t h = nullptr;
    void operator()(GEOSGeometry* g) const noexcept {
        if (g) GEOSGeom_destroy_r(h, g);
    }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t h = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const noexcept {
        if (g) GEOSPreparedGeom_destroy_r(h, g);
    }
};
using Prepared = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

struct TreeDeleter {
    GEOSContextHandle_t h = nullptr;
    void operator()(GEOSSTRtree* t) const noexcept {
        if (t) GEOSSTRtree_destroy_r(h, t);
    }
};
using Tree = std::unique_ptr<GEOSSTRtree, TreeDeleter>;

// Wraps a result; throws runtime_error with GEOS's message when null.
Geom own(const Context& c, GEOSGeometry* g, std::string_view what);
inline Geom own_nullable(const Context& c, GEOSGeometry* g) { return Geom(g, GeomDeleter{c.get()}); }
Geom clone(const Context& c, const GEOSGeometry* g);
Prepared prepare(const Context& c, const GEOSGeometry* g);

Geom point(const Context& c, double x, double y);
Geom rectangle(const Context& c, double x0, double y0, double x1, double y1);
// A closed ring polygon from coordinates (first point repeated at the end by the caller or not).
Geom polygon(const Context& c, const std::vector<double>& xy);

double area(const Context& c, const GEOSGeometry* g);
bool is_empty(const Context& c, const GEOSGeometry* g);
void envelope(const Context& c, const GEOSGeometry* g, double& x0, double& y0, double& x1, double& y1);
void centroid(const Context& c, const GEOSGeometry* g, double& x, double& y);

// The polygonal part of a geometry (a MultiPolygon; empty when none).
Geom polygonal(const Context& c, const GEOSGeometry* g);
// Takes ownership of the parts.
Geom collection(const Context& c, int type, std::vector<Geom> parts);
// Union of clones of the given geometries.
Geom union_of(const Context& c, const std::vector<const GEOSGeometry*>& parts);

std::string to_wkb(const Context& c, const GEOSGeometry* g);
Geom from_wkb(const Context& c, std::string_view wkb);

// Items of an STR tree are indices stored in the tree as pointers into `ids`.
class IndexTree {
public:
    IndexTree(const Context& c, const std::vector<const GEOSGeometry*>& geoms);
    // Indices whose envelope intersects g's envelope, ascending.
    std::vector<uint32_t> query(const GEOSGeometry* g) const;

private:
    const Context& c_;
    Tree tree_;
    std::vector<uint32_t> ids_;
};

}  // namespace mpdstat::geo
