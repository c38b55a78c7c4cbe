#pragma once
// Displacement after a disaster (METHODS.md §6): residents of the affected
// zones — their home over displacement.baseline_days before the event, with the
// configured anchor rules — by where they spend each night from the day before
// the event to the last night of the period (the location at 02:30, else the
// nearest located event of that evening or the next morning); and,
// for every zone, the devices spending each night there against the median
// night of the baseline: the change (%) shows where people left and went.
#include <map>
#include <tuple>
#include <vector>

#include "devices/anchors.hpp"
#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class Displacement : public DeviceHandler {
public:
    Displacement(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;          // displacement.csv
    AggregateTable change_table() const;   // displacement_change.csv

    // Affected residents away from the affected zones, per night (for validation).
    const std::map<Day, uint64_t>& displaced_by_day() const noexcept { return displaced_; }
    // Affected residents whose night is known, per night: the base of the share away.
    const std::map<Day, uint64_t>& located_by_day() const noexcept { return located_; }
    uint64_t affected_residents() const noexcept { return residents_; }

private:
    // The finest zone where the device spends each night (its evening's date).
    std::map<Day, uint32_t> night_zones(const DeviceView& v);

    const ZoneSpace& space_;
    const Config& config_;
    AnchorRules rules_;
    LocalClock clock_;
    std::vector<uint8_t> affected_;  // per finest zone
    std::map<std::tuple<size_t, uint32_t, uint32_t, Day>, uint64_t> counts_;  // level, home, present, night
    std::map<Day, uint64_t> displaced_, located_;
    std::map<std::pair<uint32_t, Day>, uint64_t> nights_;  // finest zone, night → devices (all residents)
    uint64_t residents_ = 0;
};

}  // namespace mpdstat
