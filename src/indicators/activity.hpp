#pragma once
// Activity and information-society indicators (ITU): per zone and local day,
// events and active devices by event type and cell technology
// (activity.csv), per zone and day the devices active that day and using data
// (activity_devices.csv), and per zone the devices active in the 90 days
// ending on the period's last day (the ITU "active subscription";
// activity_active_90d.csv). An event belongs to the dominant zone of its cell;
// events abroad are not counted.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"
#include "spatial/cell_plan.hpp"

namespace mpdstat {

class Activity : public DeviceHandler {
public:
    static constexpr int kActiveWindowDays = 90;

    Activity(const ZoneSpace& space, const Config& config, const CellPlan& cells);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable events_table() const;
    AggregateTable devices_table() const;
    AggregateTable active_90d_table() const;

private:
    // (published level index, zone, day, event type, technology) → (events, devices)
    using Key = std::tuple<size_t, uint32_t, Day, uint8_t, std::string>;
    // (published level index, zone, day) → active, active in 90 days, using data
    using DayKey = std::tuple<size_t, uint32_t, Day>;
    struct DayCounts {
        uint64_t active = 0, active_90d = 0, data = 0;
    };
    const ZoneSpace& space_;
    const Config& config_;
    const CellPlan& cells_;
    LocalClock clock_;
    std::map<Key, std::pair<uint64_t, uint64_t>> events_;
    std::map<DayKey, DayCounts> days_;
};

}  // namespace mpdstat
