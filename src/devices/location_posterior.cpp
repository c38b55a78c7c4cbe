#include "devices/location_posterior.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mpdstat {

LocationPosterior::LocationPosterior(std::vector<uint32_t> likelihood_offsets, const std::vector<ZoneWeight>& likelihood_entries,
                                     std::vector<uint32_t> tile_zone, const std::vector<double>& tile_prior,
                                     std::vector<std::vector<uint32_t>> ancestors, double floor)
    : tile_zone_(std::move(tile_zone)), ancestors_(std::move(ancestors)) {
    // Only the gain over the floor matters: a tile a cell does not reach scores
    // as if the cell had the floor's probability there.
    const size_t cells = likelihood_offsets.empty() ? 0 : likelihood_offsets.size() - 1;
    offsets_.assign(cells + 1, 0);
    for (size_t c = 0; c < cells; ++c) {
        for (uint32_t k = likelihood_offsets[c]; k < likelihood_offsets[c + 1]; ++k) {
            const ZoneWeight& e = likelihood_entries[k];
            if (!(e.weight > floor) || e.zone >= tile_zone_.size()) continue;
            tile_.push_back(e.zone);
            gain_.push_back(static_cast<float>(std::log(e.weight / floor)));
        }
        offsets_[c + 1] = static_cast<uint32_t>(tile_.size());
    }
    log_prior_.resize(tile_zone_.size());
    for (size_t t = 0; t < tile_zone_.size(); ++t)
        log_prior_[t] = tile_prior[t] > 0 ? std::log(tile_prior[t]) : -INFINITY;
}

LocationPosterior LocationPosterior::from_model(const SpatialModel& model, double floor) {
    const Grid& lattice = model.location_grid();
    if (lattice.empty()) return LocationPosterior({}, {}, {}, {}, {}, floor);
    const auto& levels = model.levels();
    const auto& finest = levels.back().zones;
    const bool by_population = model.weight_by == "population";
    std::vector<uint32_t> tile_zone;
    std::vector<double> prior;
    for (const GridTile& t : lattice.tiles) {
        tile_zone.push_back(t.zone);
        double p = t.area_m2;
        // The census density of the tile's zone, when the weights follow population.
        if (by_population && t.zone != kNoZone && std::isfinite(finest[t.zone].population) && finest[t.zone].area_m2 > 0)
            p *= finest[t.zone].population / finest[t.zone].area_m2;
        prior.push_back(p);
    }
    std::vector<std::vector<uint32_t>> ancestors(levels.size(), std::vector<uint32_t>(finest.size()));
    for (size_t l = 0; l < levels.size(); ++l)
        for (uint32_t z = 0; z < finest.size(); ++z) ancestors[l][z] = l + 1 == levels.size() ? z : model.ancestor(z, l);
    std::vector<uint32_t> offsets(model.cell_count() + 1, 0);
    std::vector<ZoneWeight> entries;
    for (uint32_t c = 0; c < model.cell_count(); ++c) {
        auto l = model.location_likelihood(c);
        entries.insert(entries.end(), l.begin(), l.end());
        offsets[c + 1] = static_cast<uint32_t>(entries.size());
    }
    return LocationPosterior(std::move(offsets), entries, std::move(tile_zone), prior, std::move(ancestors), floor);
}

uint32_t LocationPosterior::locate(std::span<const CellCount> observed) const {
    if (empty()) return kNoZone;
    // Scratch per thread: log-likelihood gain per tile (0 = untouched) and the tiles touched.
    thread_local std::vector<double> score;
    thread_local std::vector<uint32_t> touched;
    if (score.size() < tile_zone_.size()) score.resize(tile_zone_.size(), 0.0);
    touched.clear();
    // Plain pointers: through the vectors, every touched tile's push_back made
    // the loop load them again (they might have changed, for all it knew).
    double* const scores = score.data();
    const uint32_t* const tiles = tile_.data();
    const float* const gains = gain_.data();
    for (const CellCount& o : observed) {
        if (o.cell + 1 >= offsets_.size() || o.n == 0) continue;
        const double n = double(o.n);
        for (uint32_t k = offsets_[o.cell], end = offsets_[o.cell + 1]; k < end; ++k) {
            double& s = scores[tiles[k]];
            if (s == 0) touched.push_back(tiles[k]);
            s += n * double(gains[k]);
        }
    }
    double best = -INFINITY;
    for (uint32_t t : touched)
        if (tile_zone_[t] != kNoZone) best = std::max(best, score[t] + log_prior_[t]);
    // Posterior mass per finest zone (relative to the best tile), in zone
    // order and, within a zone, in the order the tiles were touched (which
    // fixes the order of the sums below): a counting sort by zone.
    thread_local std::vector<uint32_t> slot_of_zone;  // per finest zone: next place in `mass`
    thread_local std::vector<uint32_t> zones;          // the zones touched
    thread_local std::vector<ZoneWeight> mass;
    zones.clear();
    mass.clear();
    if (std::isfinite(best)) {
        size_t located = 0;
        for (uint32_t t : touched) {
            const uint32_t z = tile_zone_[t];
            if (z == kNoZone) continue;
            if (z >= slot_of_zone.size()) slot_of_zone.resize(size_t(z) + 1, 0);
            if (slot_of_zone[z]++ == 0) zones.push_back(z);
            ++located;
        }
        std::sort(zones.begin(), zones.end());
        uint32_t start = 0;
        for (uint32_t z : zones) start += std::exchange(slot_of_zone[z], start);
        mass.resize(located);
        for (uint32_t t : touched) {
            const uint32_t z = tile_zone_[t];
            if (z == kNoZone) continue;
            // exp underflows to exactly 0 below about -745.1: no call needed there.
            const double x = score[t] + log_prior_[t] - best;
            mass[slot_of_zone[z]++] = {z, x < -746.0 ? 0.0 : std::exp(x)};
        }
        for (uint32_t z : zones) slot_of_zone[z] = 0;
    }
    for (uint32_t t : touched) score[t] = 0;
    if (mass.empty()) return kNoZone;
    // Top-down: at each level the zone (within the one chosen above) holding the most mass; ties: the lower index.
    uint32_t chosen = kNoZone;
    thread_local std::vector<ZoneWeight> at_level;
    for (size_t l = 0; l < ancestors_.size(); ++l) {
        at_level.clear();
        // `mass` is grouped by finest zone: a run of one zone adds to one entry, found once.
        uint32_t run_zone = kNoZone;
        size_t run_at = 0;
        for (const ZoneWeight& m : mass) {
            if (m.zone == run_zone) {
                at_level[run_at].weight += m.weight;
                continue;
            }
            if (l > 0 && ancestors_[l - 1][m.zone] != chosen) continue;
            uint32_t z = ancestors_[l][m.zone];
            auto it = std::find_if(at_level.begin(), at_level.end(), [&](const ZoneWeight& w) { return w.zone == z; });
            if (it == at_level.end()) it = at_level.insert(at_level.end(), {z, m.weight});
            else it->weight += m.weight;
            run_zone = m.zone;
            run_at = size_t(it - at_level.begin());
        }
        uint32_t pick = kNoZone;
        double top = -1;
        for (const ZoneWeight& w : at_level)
            if (w.weight > top || (w.weight == top && w.zone < pick)) top = w.weight, pick = w.zone;
        chosen = pick;
    }
    return chosen;
}

}  // namespace mpdstat
