#include "synth/geography.hpp"

#include <algorithm>
#include <cstdarg>
#include <numeric>
#include <set>

#include <fmt/format.h>
#include <geos_c.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat::synth {

namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

void geos_message(const char* fmt_str, ...) { (void)fmt_str; }

std::string make_name(Rng& rng, std::set<std::string>& used) {
    static const char* first[] = {"Nd", "K", "T", "M", "B", "S", "D", "G", "F", "Y", "Th", "Mb", "Ng", "L", "P", "R", "Kh", "W"};
    static const char* vowel[] = {"a", "i", "ou", "o", "e", "ia", "ie", "a", "ou", "ane"};
    static const char* mid[] = {"k", "r", "l", "mb", "nd", "ss", "t", "g", "b", "n", "y", "d", "f", "m"};
    static const char* last[] = {"", "ne", "r", "l", "m", "ye", "ck", "k", "n", "s", "re", "ba", "ti"};
    for (int attempt = 0;; ++attempt) {
        std::string s = first[rng.below(std::size(first))];
        s += vowel[rng.below(std::size(vowel))];
        int n = 1 + static_cast<int>(rng.below(2));
        for (int i = 0; i < n; ++i) {
            s += mid[rng.below(std::size(mid))];
            s += vowel[rng.below(std::size(vowel))];
        }
        s += last[rng.below(std::size(last))];
        if (attempt > 20) s += fmt::format(" {}", attempt);
        if (used.insert(s).second) return s;
    }
}

// Groups items (centroids with weights) into k groups: farthest-point seeds,
// nearest-seed assignment, then a few Lloyd steps that never empty a group.
std::vector<int> group_points(const std::vector<Vec2>& pts, const std::vector<double>& w, int k, Rng& rng) {
    size_t n = pts.size();
    k = std::max(1, std::min<int>(k, static_cast<int>(n)));
    std::vector<Vec2> centre;
    std::vector<double> dmin(n, 1e300);
    size_t first = rng.below(n);
    centre.push_back(pts[first]);
    while (static_cast<int>(centre.size()) < k) {
        size_t best = 0;
        double bd = -1;
        for (size_t i = 0; i < n; ++i) {
            dmin[i] = std::min(dmin[i], dist2(pts[i], centre.back()));
            if (dmin[i] > bd) bd = dmin[i], best = i;
        }
        centre.push_back(pts[best]);
    }
    auto assign = [&](const std::vector<Vec2>& c) {
        std::vector<int> g(n);
        for (size_t i = 0; i < n; ++i) {
            int b = 0;
            for (int j = 1; j < k; ++j)
                if (dist2(pts[i], c[j]) < dist2(pts[i], c[b])) b = j;
            g[i] = b;
        }
        return g;
    };
    std::vector<int> g = assign(centre);
    for (int iter = 0; iter < 4; ++iter) {
        std::vector<Vec2> c(k);
        std::vector<double> tw(k, 0);
        for (size_t i = 0; i < n; ++i) {
            c[g[i]] = c[g[i]] + pts[i] * w[i];
            tw[g[i]] += w[i];
        }
        for (int j = 0; j < k; ++j) c[j] = c[j] * (1.0 / tw[j]);
        std::vector<int> g2 = assign(c);
        std::vector<int> cnt(k, 0);
        for (int v : g2) ++cnt[v];
        if (std::find(cnt.begin(), cnt.end(), 0) != cnt.end()) break;
        g = std::move(g2);
    }
    return g;
}

}  // namespace

struct Geography::Impl {
    GEOSContextHandle_t ctx = nullptr;
    std::vector<std::vector<GEOSGeometry*>> geoms;  // per level, per zone
    GEOSGeometry* country = nullptr;
    ~Impl() {
        for (auto& l : geoms)
            for (auto* g : l) GEOSGeom_destroy_r(ctx, g);
        if (country) GEOSGeom_destroy_r(ctx, country);
        if (ctx) GEOS_finish_r(ctx);
    }
};

Geography::~Geography() { delete impl_; }

Geography::Geography(const SynthOptions& o, uint64_t seed) : impl_(new Impl) {
    Rng rng = Rng::stream(seed, 0x6E0);
    impl_->ctx = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(impl_->ctx, geos_message);
    GEOSContext_setErrorHandler_r(impl_->ctx, geos_message);
    auto ctx = impl_->ctx;
    std::set<std::string> used_names;

    // Outline: an ellipse of 150 x 125 km semi-axes with low harmonics.
    const double A = 150, B = 125;
    double amp[6] = {0}, phase[6] = {0};
    for (int k = 2; k <= 5; ++k) amp[k] = rng.uniform(0.02, 0.06), phase[k] = rng.uniform(0, 2 * kPi);
    auto radius = [&](double th) {
        double e = A * B / std::sqrt(std::pow(B * std::cos(th), 2) + std::pow(A * std::sin(th), 2));
        double f = 1;
        for (int k = 2; k <= 5; ++k) f += amp[k] * std::sin(k * th + phase[k]);
        return e * f;
    };
    auto in_shape = [&](Vec2 p, double scale) { return std::hypot(p.x, p.y) < scale * radius(std::atan2(p.y, p.x)); };
    auto random_in_shape = [&](double scale) {
        for (;;) {
            Vec2 p{rng.uniform(-A * 1.3, A * 1.3), rng.uniform(-B * 1.3, B * 1.3)};
            if (in_shape(p, scale)) return p;
        }
    };

    // Cities: a capital in the west and five towns.
    {
        double th = kPi + rng.uniform(-0.3, 0.3);
        Vec2 c{0.7 * radius(th) * std::cos(th), 0.7 * radius(th) * std::sin(th)};
        cities_.push_back({make_name(rng, used_names), c, 7.0, 0.22});
        while (cities_.size() < 6) {
            Vec2 p = random_in_shape(0.8);
            bool ok = true;
            for (const auto& ci : cities_) ok = ok && dist(ci.centre, p) > 50;
            if (!ok) continue;
            cities_.push_back({make_name(rng, used_names), p, rng.uniform(3.0, 5.0), rng.uniform(0.03, 0.07)});
        }
        for (int i = 0; i < 3; ++i) {
            double t = rng.uniform(0, 2 * kPi);
            attractions_.push_back({0.85 * radius(t) * std::cos(t), 0.85 * radius(t) * std::sin(t)});
        }
    }
    double city_share = 0;
    for (const auto& c : cities_) city_share += c.share;
    // Rural density: a base plus broad bumps (river valleys, farmland).
    struct Bump { Vec2 c; double s, a; };
    std::vector<Bump> bumps;
    for (int i = 0; i < 12; ++i) bumps.push_back({random_in_shape(1.0), rng.uniform(15, 40), rng.uniform(0.2, 1.5)});
    const size_t ncomp = cities_.size() + 1;  // component 0 = rural, 1.. = cities
    auto component = [&](size_t c, Vec2 p) {
        if (c == 0) {
            double v = 0.35;
            for (const auto& b : bumps) v += b.a * std::exp(-dist2(p, b.c) / (2 * b.s * b.s));
            return v;
        }
        const City& ci = cities_[c - 1];
        double d2 = dist2(p, ci.centre);
        return std::exp(-d2 / (2 * ci.sigma_km * ci.sigma_km)) + 0.08 * std::exp(-d2 / (2 * 9 * ci.sigma_km * ci.sigma_km));
    };
    auto share_of = [&](size_t c) { return c == 0 ? 1.0 - city_share : cities_[c - 1].share; };
    // Normalisers over the outline, for drawing the commune seeds.
    std::vector<double> z(ncomp, 0);
    for (double y = -B * 1.3; y < B * 1.3; y += 2)
        for (double x = -A * 1.3; x < A * 1.3; x += 2)
            if (in_shape({x, y}, 1.0))
                for (size_t c = 0; c < ncomp; ++c) z[c] += component(c, {x, y});
    auto density = [&](Vec2 p) {
        double v = 0;
        for (size_t c = 0; c < ncomp; ++c) v += share_of(c) * component(c, p) / z[c];
        return v;
    };
    double dmax = 0;
    for (const auto& c : cities_) dmax = std::max(dmax, density(c.centre));

    // Commune seeds ∝ density^0.5, at least 2 km apart.
    std::vector<Vec2> seeds;
    while (static_cast<int>(seeds.size()) < o.communes) {
        Vec2 p = random_in_shape(0.97);
        if (!rng.chance(std::sqrt(density(p) / dmax))) continue;
        bool ok = true;
        for (const auto& s : seeds) ok = ok && dist2(s, p) > 4.0;
        if (ok) seeds.push_back(p);
    }
    const size_t n_inside = seeds.size();
    // Sea seeds: a jittered ring just outside the outline and a coarse outer ring.
    for (int ring = 0; ring < 2; ++ring) {
        double off = ring == 0 ? 7 : 45, spacing = ring == 0 ? 8 : 40;
        int n = static_cast<int>(2 * kPi * (std::max(A, B) + off) / spacing);
        for (int i = 0; i < n; ++i) {
            double th = 2 * kPi * (i + rng.uniform(-0.3, 0.3)) / n;
            double r = radius(th) + off + (ring == 0 ? rng.uniform(-3, 3) : 0);
            seeds.push_back({r * std::cos(th), r * std::sin(th)});
        }
    }
    seeds_ = PointIndex(seeds, 10);
    seed_commune_.assign(seeds.size(), -1);

    // Voronoi cells of all seeds; keep the inside seeds' cells.
    std::vector<GEOSGeometry*> cell_of(n_inside, nullptr);
    {
        std::vector<GEOSGeometry*> pts;
        for (const auto& s : seeds) pts.push_back(GEOSGeom_createPointFromXY_r(ctx, s.x, s.y));
        GEOSGeometry* mp = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOINT, pts.data(), static_cast<unsigned>(pts.size()));
        GEOSGeometry* env = GEOSGeom_createRectangle_r(ctx, -A * 3, -B * 3, A * 3, B * 3);
        GEOSGeometry* vor = GEOSVoronoiDiagram_r(ctx, mp, env, 0.0, 0);
        if (!vor) throw runtime_error("synth: GEOS Voronoi diagram failed");
        int n = GEOSGetNumGeometries_r(ctx, vor);
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* cell = GEOSGetGeometryN_r(ctx, vor, i);
            GEOSGeometry* inner = GEOSPointOnSurface_r(ctx, cell);
            double x = 0, y = 0;
            GEOSGeomGetX_r(ctx, inner, &x);
            GEOSGeomGetY_r(ctx, inner, &y);
            GEOSGeom_destroy_r(ctx, inner);
            int32_t s = seeds_.nearest({x, y});
            if (s >= 0 && static_cast<size_t>(s) < n_inside && !cell_of[s]) cell_of[s] = GEOSGeom_clone_r(ctx, cell);
        }
        GEOSGeom_destroy_r(ctx, vor);
        GEOSGeom_destroy_r(ctx, env);
        GEOSGeom_destroy_r(ctx, mp);
        for (auto* c : cell_of)
            if (!c) throw runtime_error("synth: a commune seed has no Voronoi cell");
    }
    auto centroid_area = [&](const GEOSGeometry* g, Vec2& c, double& a) {
        GEOSArea_r(ctx, g, &a);
        GEOSGeometry* p = GEOSGetCentroid_r(ctx, g);
        GEOSGeomGetX_r(ctx, p, &c.x);
        GEOSGeomGetY_r(ctx, p, &c.y);
        GEOSGeom_destroy_r(ctx, p);
    };
    std::vector<Vec2> ccent(n_inside);
    std::vector<double> carea(n_inside);
    for (size_t i = 0; i < n_inside; ++i) centroid_area(cell_of[i], ccent[i], carea[i]);

    // Communes → districts → regions.
    std::vector<int> dist_of = group_points(ccent, carea, o.districts, rng);
    int nd = *std::max_element(dist_of.begin(), dist_of.end()) + 1;
    std::vector<Vec2> dcent(nd);
    std::vector<double> darea(nd, 0);
    for (size_t i = 0; i < n_inside; ++i) dcent[dist_of[i]] = dcent[dist_of[i]] + ccent[i] * carea[i], darea[dist_of[i]] += carea[i];
    for (int d = 0; d < nd; ++d) dcent[d] = dcent[d] * (1.0 / darea[d]);
    std::vector<int> reg_of = group_points(dcent, darea, o.regions, rng);
    int nr = *std::max_element(reg_of.begin(), reg_of.end()) + 1;

    // Order zones so that ids follow the hierarchy: regions by x, then nested.
    std::vector<Vec2> rcent(nr);
    std::vector<double> rarea(nr, 0);
    for (int d = 0; d < nd; ++d) rcent[reg_of[d]] = rcent[reg_of[d]] + dcent[d] * darea[d], rarea[reg_of[d]] += darea[d];
    for (int r = 0; r < nr; ++r) rcent[r] = rcent[r] * (1.0 / rarea[r]);
    auto order_by = [](int n, auto key) {
        std::vector<int> idx(n);
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return key(a) < key(b); });
        std::vector<int> rank(n);
        for (int i = 0; i < n; ++i) rank[idx[i]] = i;
        return rank;
    };
    std::vector<int> rrank = order_by(nr, [&](int r) { return std::pair(rcent[r].x, rcent[r].y); });
    std::vector<int> drank = order_by(nd, [&](int d) { return std::tuple(rrank[reg_of[d]], dcent[d].x, dcent[d].y); });
    std::vector<int> crank = order_by(static_cast<int>(n_inside), [&](int c) {
        return std::tuple(drank[dist_of[c]], ccent[c].x, ccent[c].y);
    });

    levels_.resize(3);
    levels_[0].name = "region";
    levels_[1].name = "district";
    levels_[2].name = "commune";
    levels_[0].zones.resize(nr);
    levels_[1].zones.resize(nd);
    levels_[2].zones.resize(n_inside);
    impl_->geoms.assign(3, {});
    impl_->geoms[2].assign(n_inside, nullptr);
    for (size_t c = 0; c < n_inside; ++c) {
        Zone& zc = levels_[2].zones[crank[c]];
        zc.parent = drank[dist_of[c]];
        zc.centroid = ccent[c];
        zc.area_km2 = carea[c];
        impl_->geoms[2][crank[c]] = cell_of[c];
        seed_commune_[c] = crank[c];
    }
    for (int d = 0; d < nd; ++d) levels_[1].zones[drank[d]].parent = rrank[reg_of[d]];
    auto union_children = [&](size_t level) {
        size_t n = levels_[level].zones.size();
        impl_->geoms[level].assign(n, nullptr);
        std::vector<std::vector<GEOSGeometry*>> parts(n);
        for (size_t i = 0; i < levels_[level + 1].zones.size(); ++i)
            parts[levels_[level + 1].zones[i].parent].push_back(GEOSGeom_clone_r(ctx, impl_->geoms[level + 1][i]));
        for (size_t i = 0; i < n; ++i) {
            GEOSGeometry* coll = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts[i].data(),
                                                             static_cast<unsigned>(parts[i].size()));
            impl_->geoms[level][i] = GEOSUnaryUnion_r(ctx, coll);
            GEOSGeom_destroy_r(ctx, coll);
            if (!impl_->geoms[level][i]) throw runtime_error("synth: GEOS union of zones failed");
            centroid_area(impl_->geoms[level][i], levels_[level].zones[i].centroid, levels_[level].zones[i].area_km2);
        }
    };
    union_children(1);
    union_children(0);
    {
        std::vector<GEOSGeometry*> parts;
        for (auto* g : impl_->geoms[0]) parts.push_back(GEOSGeom_clone_r(ctx, g));
        GEOSGeometry* coll = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts.data(), static_cast<unsigned>(parts.size()));
        impl_->country = GEOSUnaryUnion_r(ctx, coll);
        GEOSGeom_destroy_r(ctx, coll);
        GEOSArea_r(ctx, impl_->country, &country_area_);
    }
    // Ids and names.
    const char* prefix[3] = {"R", "D", "C"};
    for (size_t l = 0; l < 3; ++l) {
        auto& zs = levels_[l].zones;
        int width = zs.size() < 10 ? 1 : zs.size() < 100 ? 2 : zs.size() < 1000 ? 3 : 4;
        for (size_t i = 0; i < zs.size(); ++i) {
            zs[i].id = fmt::format("{}{:0{}}", prefix[l], i + 1, width);
            zs[i].name = make_name(rng, used_names);
        }
    }
    // Cities take the name of their commune's... keep theirs; communes holding a
    // city centre take the city's name so maps read naturally.
    for (const auto& ci : cities_) {
        int c = commune_of(ci.centre);
        if (c >= 0) levels_[2].zones[c].name = ci.name;
    }

    // Population grid on 1 km cells over the country's bounding box.
    double minx = 1e9, miny = 1e9, maxx = -1e9, maxy = -1e9;
    for (const auto& zc : levels_[2].zones) (void)zc;
    GEOSGeom_getXMin_r(ctx, impl_->country, &minx);
    GEOSGeom_getYMin_r(ctx, impl_->country, &miny);
    GEOSGeom_getXMax_r(ctx, impl_->country, &maxx);
    GEOSGeom_getYMax_r(ctx, impl_->country, &maxy);
    gx0_ = std::floor(minx), gy0_ = std::floor(miny);
    gnx_ = static_cast<int>(std::ceil(maxx) - gx0_), gny_ = static_cast<int>(std::ceil(maxy) - gy0_);
    std::vector<int32_t> gcomm(static_cast<size_t>(gnx_) * gny_);
    std::fill(z.begin(), z.end(), 0.0);
    for (int j = 0; j < gny_; ++j)
        for (int i = 0; i < gnx_; ++i) {
            Vec2 p{gx0_ + i + 0.5, gy0_ + j + 0.5};
            int32_t c = commune_of(p);
            gcomm[static_cast<size_t>(j) * gnx_ + i] = c;
            if (c >= 0)
                for (size_t k = 0; k < ncomp; ++k) z[k] += component(k, p);
        }
    std::vector<double> cpop(n_inside, 0.0);
    double acc = 0, acc_flat = 0;
    for (int j = 0; j < gny_; ++j)
        for (int i = 0; i < gnx_; ++i) {
            size_t g = static_cast<size_t>(j) * gnx_ + i;
            if (gcomm[g] < 0) continue;
            Vec2 p{gx0_ + i + 0.5, gy0_ + j + 0.5};
            double rural = share_of(0) * component(0, p) / z[0], tot = rural;
            for (size_t k = 1; k < ncomp; ++k) tot += share_of(k) * component(k, p) / z[k];
            cpop[gcomm[g]] += tot * o.population;
            acc += tot;
            acc_flat += std::sqrt(tot);
            cum_pop_.push_back(acc);
            cum_flat_.push_back(acc_flat);
            grid_of_.push_back(static_cast<uint32_t>(g));
            urban_share_.push_back(static_cast<float>(1.0 - rural / tot));
        }
    // Census: integers that add up to the population (largest remainder).
    {
        std::vector<double> floor_v(n_inside);
        double total = 0;
        for (size_t c = 0; c < n_inside; ++c) floor_v[c] = std::floor(cpop[c]), total += floor_v[c];
        std::vector<size_t> idx(n_inside);
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return cpop[a] - floor_v[a] > cpop[b] - floor_v[b]; });
        double missing = std::round(o.population) - total;
        for (size_t k = 0; k < idx.size() && missing > 0; ++k, missing -= 1) floor_v[idx[k]] += 1;
        for (size_t c = 0; c < n_inside; ++c) levels_[2].zones[c].population = floor_v[c];
        for (int l = 1; l >= 0; --l)
            for (const auto& child : levels_[l + 1].zones) levels_[l].zones[child.parent].population += child.population;
    }
}

int Geography::commune_of(Vec2 p) const {
    int32_t s = seeds_.nearest(p);
    return s < 0 ? -1 : seed_commune_[s];
}

int Geography::ancestor(int commune, size_t level) const {
    int z = commune;
    for (size_t l = levels_.size() - 1; l > level && z >= 0; --l) z = levels_[l].zones[z].parent;
    return z;
}

Vec2 Geography::sample_density(Rng& rng, bool flattened) const {
    const auto& cum = flattened ? cum_flat_ : cum_pop_;
    size_t k = rng.pick_cumulative(cum);
    uint32_t g = grid_of_[k];
    double gx = gx0_ + (g % gnx_), gy = gy0_ + (g / gnx_);
    for (int attempt = 0; attempt < 8; ++attempt) {
        Vec2 p{gx + rng.uniform(), gy + rng.uniform()};
        if (inside(p)) return p;
    }
    return {gx + 0.5, gy + 0.5};
}

Vec2 Geography::sample_home(Rng& rng) const { return sample_density(rng, false); }

double Geography::urbanity(Vec2 p) const {
    int i = static_cast<int>(std::floor(p.x - gx0_)), j = static_cast<int>(std::floor(p.y - gy0_));
    if (i < 0 || j < 0 || i >= gnx_ || j >= gny_) return 0;
    uint32_t g = static_cast<uint32_t>(j * gnx_ + i);
    auto it = std::lower_bound(grid_of_.begin(), grid_of_.end(), g);
    if (it == grid_of_.end() || *it != g) return 0;
    return urban_share_[static_cast<size_t>(it - grid_of_.begin())];
}

int Geography::nearest_city(Vec2 p, double& d_km) const {
    int best = 0;
    d_km = 1e300;
    for (size_t i = 0; i < cities_.size(); ++i) {
        double d = dist(p, cities_[i].centre);
        if (d < d_km) d_km = d, best = static_cast<int>(i);
    }
    return best;
}

Vec2 Geography::jitter_inside(Rng& rng, Vec2 p, double sd) const {
    for (int attempt = 0; attempt < 16; ++attempt) {
        Vec2 q{p.x + rng.normal() * sd, p.y + rng.normal() * sd};
        if (inside(q)) return q;
    }
    return p;
}

namespace {

void ring_json(GEOSContextHandle_t ctx, const GEOSGeometry* ring, bool want_ccw, const Projection& proj, std::string& out) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx, seq, &n);
    char ccw = 0;
    GEOSCoordSeq_isCCW_r(ctx, seq, &ccw);
    bool reverse = (ccw != 0) != want_ccw;
    out += '[';
    for (unsigned k = 0; k < n; ++k) {
        unsigned i = reverse ? n - 1 - k : k;
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
        if (k) out += ',';
        out += fmt::format("[{:.6f},{:.6f}]", proj.lon({x, y}), proj.lat({x, y}));
    }
    out += ']';
}

void polygon_json(GEOSContextHandle_t ctx, const GEOSGeometry* poly, const Projection& proj, std::string& out) {
    out += '[';
    ring_json(ctx, GEOSGetExteriorRing_r(ctx, poly), true, proj, out);
    int holes = GEOSGetNumInteriorRings_r(ctx, poly);
    for (int h = 0; h < holes; ++h) {
        out += ',';
        ring_json(ctx, GEOSGetInteriorRingN_r(ctx, poly, h), false, proj, out);
    }
    out += ']';
}

std::string geometry_json(GEOSContextHandle_t ctx, const GEOSGeometry* g, const Projection& proj) {
    std::string out;
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_POLYGON) {
        out = "{\"type\":\"Polygon\",\"coordinates\":";
        polygon_json(ctx, g, proj, out);
    } else {
        out = "{\"type\":\"MultiPolygon\",\"coordinates\":[";
        int n = GEOSGetNumGeometries_r(ctx, g);
        bool first = true;
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, g, i);
            if (GEOSGeomTypeId_r(ctx, part) != GEOS_POLYGON) continue;
            if (!first) out += ',';
            first = false;
            polygon_json(ctx, part, proj, out);
        }
        out += ']';
    }
    out += '}';
    return out;
}

std::string json_escape(std::string_view s) {
    std::string r;
    for (char ch : s) {
        if (ch == '"' || ch == '\\') r += '\\';
        r += ch;
    }
    return r;
}

}  // namespace

void Geography::write(const fs::path& dir) const {
    auto ctx = impl_->ctx;
    for (size_t l = 0; l < levels_.size(); ++l) {
        std::string out = "{\"type\":\"FeatureCollection\",\"name\":\"" + levels_[l].name + "\",\"features\":[\n";
        const auto& zs = levels_[l].zones;
        for (size_t i = 0; i < zs.size(); ++i) {
            std::string parent = zs[i].parent >= 0 ? levels_[l - 1].zones[zs[i].parent].id : "";
            out += fmt::format("{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{}\",\"name\":\"{}\",\"parent\":\"{}\"}},\"geometry\":{}}}{}\n",
                               zs[i].id, json_escape(zs[i].name), parent, geometry_json(ctx, impl_->geoms[l][i], proj_),
                               i + 1 < zs.size() ? "," : "");
        }
        out += "]}\n";
        write_file_atomically(dir / "zones" / (levels_[l].name + ".geojson"), out);
    }
    std::string country = "{\"type\":\"FeatureCollection\",\"name\":\"country\",\"features\":[\n";
    country += fmt::format("{{\"type\":\"Feature\",\"properties\":{{\"id\":\"XX\",\"name\":\"Synthetic Republic\",\"parent\":\"\"}},\"geometry\":{}}}\n",
                           geometry_json(ctx, impl_->country, proj_));
    country += "]}\n";
    write_file_atomically(dir / "zones" / "country.geojson", country);

    std::string census = "zone_id,population\n";
    for (const auto& zc : levels_.back().zones) census += fmt::format("{},{}\n", zc.id, static_cast<int64_t>(zc.population));
    write_file_atomically(dir / "census.csv", census);
}

}  // namespace mpdstat::synth
