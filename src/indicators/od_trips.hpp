#pragma once
// Origin–destination (METHODS.md §6): trips between consecutive stays in
// different zones, by local date and hour of departure (the end of the origin
// stay), with the distinct devices making them. A stay's zone is the dominant
// zone of its cell.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class OdTrips : public DeviceHandler {
public:
    OdTrips(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    void merge(const DeviceHandler& other) override;
    AggregateTable table() const;

private:
    using Key = std::tuple<uint32_t, uint32_t, Day, int>;  // origin, destination, date, hour
    const ZoneSpace& space_;
    const Config& config_;
    LocalClock clock_;
    std::vector<std::map<Key, std::pair<uint64_t, uint64_t>>> trips_;  // [level] key → (trips, devices)
};

}  // namespace mpdstat
