#include "indicators/zone_space.hpp"

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

ZoneSpace::ZoneSpace(const SpatialModel& model, const Config& config) : model_(model) {
    const auto& lv = model.levels();
    if (config.indicators.levels.empty()) {
        for (size_t l = 0; l < lv.size(); ++l) levels_.push_back(l);
    } else {
        for (const auto& name : config.indicators.levels) {
            int l = model.level_index(name);
            if (l < 0) throw config_error(fmt::format("indicators.levels names '{}', which is not a zone level", name));
            levels_.push_back(static_cast<size_t>(l));
        }
        std::sort(levels_.begin(), levels_.end());
    }
    presence_levels_ = levels_;
    has_grid_ = !model.grid().empty();
    if (has_grid_) presence_levels_.push_back(lv.size());
    const size_t n = model.cell_count();
    places_.x.resize(n);
    places_.y.resize(n);
    places_.lat.resize(n);
    places_.lon.resize(n);
    places_.zone.assign(n, kNoZoneIndex);
    for (uint32_t c = 0; c < n; ++c) {
        places_.x[c] = model.cell_x(c);
        places_.y[c] = model.cell_y(c);
        // Top-down dominance: the region holding most of the cell, then within
        // it the district holding most, and so on. A cell split 35 / 33 / 32 %
        // between a commune of district A and two of district B belongs to B,
        // which is what the coarser (more often published) levels need.
        uint32_t parent = kNoZone;
        for (size_t l = 0; l < lv.size(); ++l) {
            double best = 0;
            uint32_t pick = kNoZone;
            for (const auto& zw : model.weights(c, l)) {
                if (l > 0 && lv[l].zones[zw.zone].parent != parent) continue;
                if (zw.weight > best) best = zw.weight, pick = zw.zone;  // ties: lowest zone index
            }
            parent = pick;
            if (pick == kNoZone) break;
        }
        places_.zone[c] = parent == kNoZone ? kNoZoneIndex : parent;
    }
    for (const auto& z : lv.back().zones) places_.zone_ids.push_back(z.id);
    if (!model.location_grid().empty())
        places_.location = std::make_shared<const LocationPosterior>(LocationPosterior::from_model(model, config.anchors.location_floor));
    for (size_t l = 0; l < lv.size(); ++l) {
        hierarchy_.level_names.push_back(lv[l].name);
        std::vector<std::string> ids;
        std::vector<uint32_t> parents;
        for (const auto& z : lv[l].zones) {
            ids.push_back(z.id);
            if (l > 0) parents.push_back(z.parent);
        }
        hierarchy_.zone_ids.push_back(std::move(ids));
        hierarchy_.parent.push_back(std::move(parents));
    }
    if (has_grid_) {
        const Grid& g = model.grid();
        hierarchy_.level_names.push_back("grid");
        std::vector<std::string> ids;
        std::vector<uint32_t> parents;
        for (uint32_t t = 0; t < g.tiles.size(); ++t) {
            ids.push_back(g.tile_id(t));
            parents.push_back(g.tiles[t].zone == kNoZone ? 0 : g.tiles[t].zone);
        }
        hierarchy_.zone_ids.push_back(std::move(ids));
        hierarchy_.parent.push_back(std::move(parents));
    }
}

}  // namespace mpdstat