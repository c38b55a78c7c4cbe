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
    size_t zone_count(size_t level) const { return model_.levels()[level].zones.size(); }
    // The zone at `level` holding a finest zone.
    uint32_t roll_up(uint32_t finest, size_t level) const {
        return finest == kNoZoneIndex ? kNoZoneIndex : model_.ancestor(finest, level);
    }
    std::span<const ZoneWeight> weights(uint32_t cell, size_t level) const { return model_.weights(cell, level); }
    const SpatialModel& model() const noexcept { return model_; }
    // Cell positions and dominant finest zones for the device model.
    const CellPlaces& places() const noexcept { return places_; }
    // Every level of the model (disclosure control needs the full hierarchy).
    const ZoneHierarchyView& hierarchy() const noexcept { return hierarchy_; }

private:
    const SpatialModel& model_;
    std::vector<size_t> levels_;
    CellPlaces places_;
    ZoneHierarchyView hierarchy_;
};

}  // namespace mpdstat
