#pragma once
// What indicators need of the spatial model: the published zone levels, the
// zones of each, how a finest zone rolls up, and each cell's weights. Built
// once, shared read-only by every accumulator.
#include <cstdint>
#include <span>
#include <vector>

#include "devices/device_model.hpp"
#include "privacy/aggregate_table.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat {

class ZoneSpace {
public:
    ZoneSpace(const SpatialModel& model, const Config& config);

    const std::vector<size_t>& levels() const noexcept { return levels_; }  // published, coarsest first
    // The published levels plus the grid (when configured) as the last level:
    // what presence-based indicators, which need only cell weights, publish.
    const std::vector<size_t>& presence_levels() const noexcept { return presence_levels_; }
    bool is_grid(size_t level) const noexcept { return has_grid_ && level == model_.levels().size(); }
    size_t zone_count(size_t level) const {
        return is_grid(level) ? model_.grid().tiles.size() : model_.levels()[level].zones.size();
    }
    // The zone at `level` holding a finest zone.
    uint32_t roll_up(uint32_t finest, size_t level) const {
        return finest == kNoZoneIndex ? kNoZoneIndex : model_.ancestor(finest, level);
    }
    std::span<const ZoneWeight> weights(uint32_t cell, size_t level) const {
        return is_grid(level) ? model_.grid_weights(cell) : model_.weights(cell, level);
    }
    const SpatialModel& model() const noexcept { return model_; }
    // Cell positions and dominant finest zones for the device model.
    const CellPlaces& places() const noexcept { return places_; }
    // Every level of the model (disclosure control needs the full hierarchy),
    // and the grid last, each tile under the finest zone holding its centre.
    const ZoneHierarchyView& hierarchy() const noexcept { return hierarchy_; }

private:
    const SpatialModel& model_;
    std::vector<size_t> levels_, presence_levels_;
    bool has_grid_ = false;
    CellPlaces places_;
    ZoneHierarchyView hierarchy_;
};

}  // namespace mpdstat
