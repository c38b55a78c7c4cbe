#pragma once
// Where a device's home (or work place) lies, from the combination of cells it
// used there rather than from its most used cell (docs/anchors.md, "location").
//
// A device at one place is served by one of several cells around it, so the
// set of cells seen over its nights narrows the place down far better than any
// one of them. Over the tiles of a lattice:
//   log P(tile | cells) = log prior(tile) + Σ_cells n_cell · log max(P(cell | tile), floor) + const
// where P(cell | tile) is the coverage model's normalised signal dominance
// (SpatialModel::location_likelihood). The floor keeps a tile that one odd
// event (a far cell, a reflection) does not explain from being vetoed. The
// posterior mass is summed per finest zone and a zone picked top-down (the top
// level holding the most mass, then its child holding the most, ...), the same
// rule as the cell -> zone mapping, so the home is consistent across levels.
#include <cstdint>
#include <span>
#include <vector>

#include "spatial/spatial_model.hpp"

namespace mpdstat {

// A cell and how many of the device's observations it served.
struct CellCount {
    uint32_t cell;
    uint32_t n;
};

class LocationPosterior {
public:
    // likelihood_offsets[c] .. [c + 1] index likelihood_entries: (tile, P(c | tile)).
    // tile_zone: the finest zone of each tile (kNoZone: outside every zone, never chosen).
    // tile_prior: > 0 (area, or population); ancestors[level][finest zone]: its zone
    // at each level, coarsest first (the finest level last, where it is itself).
    LocationPosterior(std::vector<uint32_t> likelihood_offsets, const std::vector<ZoneWeight>& likelihood_entries,
                      std::vector<uint32_t> tile_zone, const std::vector<double>& tile_prior,
                      std::vector<std::vector<uint32_t>> ancestors, double floor);
    // From the spatial model's location lattice (empty when it has none).
    static LocationPosterior from_model(const SpatialModel& model, double floor);

    bool empty() const noexcept { return tile_zone_.empty(); }
    // The finest zone holding the posterior mass (top-down); kNoZone when no
    // observed cell explains any tile better than the floor. `observed` sorted
    // by cell for a deterministic sum.
    uint32_t locate(std::span<const CellCount> observed) const;

private:
    std::vector<uint32_t> offsets_;
    std::vector<uint32_t> tile_;    // per entry
    std::vector<float> gain_;       // per entry: log(P / floor) > 0 (entries at or below the floor dropped)
    std::vector<uint32_t> tile_zone_;
    std::vector<double> log_prior_;
    std::vector<std::vector<uint32_t>> ancestors_;  // [level][finest zone]
};

}  // namespace mpdstat
