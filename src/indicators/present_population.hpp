#pragma once
// Present population (METHODS.md §6): devices per zone at each time point
// (every indicators.present_interval_minutes of local time). A device's
// location at t is its segment covering t, else its nearest event within
// ± indicators.present_window_minutes; it counts with its cell's zone weights.
// Also the day / night population: the mean over working hours of workdays
// and over night hours.
#include <string>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class PresentPopulation : public DeviceHandler {
public:
    PresentPopulation(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;

    AggregateTable present_table() const;
    AggregateTable day_night_table() const;

    // Weights are summed in millionths so that sums are exact integers and
    // merge in any order to the same result.
    static constexpr double kScale = 1e6;

private:
    const ZoneSpace& space_;
    const Config& config_;
    std::vector<int64_t> times_;            // UTC instants of the time points
    std::vector<std::string> labels_;       // the same in local ISO time with offset
    std::vector<uint8_t> is_day_, is_night_;
    int64_t window_ms_;
    // Each cell's weights over every presence level, scaled once:
    // entries [cell_begin_[c], cell_begin_[c + 1]) of cell_weights_.
    struct ScaledWeight {
        uint32_t level;  // index into presence_levels()
        uint32_t zone;
        int64_t scaled;  // llround(weight * kScale)
    };
    std::vector<uint32_t> cell_begin_;
    std::vector<ScaledWeight> cell_weights_;
    std::vector<std::vector<int64_t>> sum_;     // [published level][zone * T + t]
    std::vector<std::vector<uint32_t>> count_;  // distinct devices, same layout
};

}  // namespace mpdstat
