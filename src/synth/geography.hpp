#pragma once
// The synthetic country: its outline, cities, population density, and three
// levels of zones that tile it exactly.
//
// Construction: commune seed points are drawn inside a wobbly ellipse (denser
// where people live) and a ring of "sea" seeds is laid just outside it. The
// Voronoi diagram of all seeds (GEOS) gives one cell per seed; the communes are
// the cells of the inside seeds, the country is their union. Districts are
// unions of communes and regions unions of districts (both grouped by nearest
// seed, then Lloyd-refined), so the hierarchy nests exactly and shares
// vertices. A position's commune is its nearest seed, exactly as the polygons say.
#include <filesystem>
#include <string>
#include <vector>

#include "synth/options.hpp"
#include "synth/rng.hpp"
#include "synth/space.hpp"

namespace mpdstat::synth {

struct City {
    std::string name;
    Vec2 centre;
    double sigma_km = 5;
    double share = 0;  // share of the national population
};

struct Zone {
    std::string id, name;
    int parent = -1;  // index in the coarser level; -1 at the top
    Vec2 centroid;
    double area_km2 = 0;
    double population = 0;  // census (true population)
};

struct ZoneLevelInfo {
    std::string name;  // "region", "district", "commune"
    std::vector<Zone> zones;
};

class Geography {
public:
    Geography(const SynthOptions& o, uint64_t seed);
    ~Geography();
    Geography(const Geography&) = delete;
    Geography& operator=(const Geography&) = delete;

    const Projection& projection() const noexcept { return proj_; }
    // Levels coarsest first; the last level is the finest (communes).
    const std::vector<ZoneLevelInfo>& levels() const noexcept { return levels_; }
    const std::vector<Zone>& communes() const noexcept { return levels_.back().zones; }
    const std::vector<City>& cities() const noexcept { return cities_; }
    const std::vector<Vec2>& attractions() const noexcept { return attractions_; }
    double country_area_km2() const noexcept { return country_area_; }

    // The commune (finest zone) containing p; -1 outside the country.
    int commune_of(Vec2 p) const;
    bool inside(Vec2 p) const { return commune_of(p) >= 0; }
    // The commune's ancestor at `level` (0 = coarsest).
    int ancestor(int commune, size_t level) const;

    // A point drawn from the population density (a person's home).
    Vec2 sample_home(Rng& rng) const;
    // A point drawn from density^power (power < 1 flattens towards the countryside).
    Vec2 sample_density(Rng& rng, bool flattened) const;
    // The nearest city and its distance.
    int nearest_city(Vec2 p, double& d_km) const;
    // A point near p (normal offset of sd km) inside the country; p itself if none found.
    Vec2 jitter_inside(Rng& rng, Vec2 p, double sd) const;
    // Share of the population density at p that is urban (0..1).
    double urbanity(Vec2 p) const;

    // Writes zones/<level>.geojson, zones/country.geojson and census.csv.
    void write(const std::filesystem::path& dir) const;

private:
    struct Impl;
    Impl* impl_;
    Projection proj_;
    std::vector<City> cities_;
    std::vector<Vec2> attractions_;
    std::vector<ZoneLevelInfo> levels_;
    double country_area_ = 0;
    PointIndex seeds_;
    std::vector<int> seed_commune_;  // seed → commune, -1 for sea seeds
    // Population grid (1 km cells).
    double gx0_ = 0, gy0_ = 0, gcell_ = 1;
    int gnx_ = 0, gny_ = 0;
    std::vector<double> cum_pop_, cum_flat_;
    std::vector<uint32_t> grid_of_;  // cumulative index → grid cell
    std::vector<float> urban_share_;
};

}  // namespace mpdstat::synth
