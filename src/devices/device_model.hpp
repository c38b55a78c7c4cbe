#pragma once
// Builds a DeviceView from one device's events: segments, hourly slots, daily
// summaries and anchors (METHODS.md §5). Needs where cells are and which
// finest zone dominates each cell.
#include <memory>
#include <span>
#include <vector>

#include "common/civil_time.hpp"
#include "config/config.hpp"
#include "devices/anchors.hpp"
#include "devices/device_view.hpp"

namespace mpdstat {

struct CellPlaces {
    std::vector<double> lat, lon;       // per cell version (site position)
    std::vector<double> x, y;           // projected, metres (for overlap and distances)
    std::vector<uint32_t> zone;         // finest zone with the largest weight; kNoZoneIndex when unmapped
    std::vector<std::string> zone_ids;  // id of each finest zone (for Tier I micro files)
    std::shared_ptr<const LocationPosterior> location;  // anchors.location = "posterior"; null otherwise
};

class DeviceModel {
public:
    DeviceModel(const Config& config, const CellPlaces& places);
    // Fills `view` (reusing its buffers) for one device's time-sorted events.
    void build(uint64_t device, std::span<const Event> events, DeviceView& view);
    LocalClock& clock() noexcept { return clock_; }

private:
    void hour_slots(DeviceView& v);
    void daily_summaries(DeviceView& v);

    const Config& config_;
    const CellPlaces& places_;
    SegmentRules rules_;
    CellGeometry geometry_;
    AnchorRules anchor_rules_;
    LocalClock clock_;
    int64_t window_ms_;
    // Scratch of daily_summaries(): one day's cells → (events, last position), and its zones.
    std::vector<std::pair<uint32_t, std::pair<uint32_t, size_t>>> day_cells_;
    std::vector<uint32_t> day_zones_;
};

}  // namespace mpdstat
