#pragma once
// Mobility distributions by home zone (METHODS.md §6): for each device with a
// home, its mean daily distance travelled (km), radius of gyration (km) and
// distinct zones per day over its active days; released per home zone as the
// number of devices, mean, median and 90th percentile.
#include <array>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class Mobility : public DeviceHandler {
public:
    Mobility(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;

    static constexpr std::array<const char*, 3> kMetrics{"daily_distance_km", "radius_of_gyration_km", "distinct_zones"};

private:
    const ZoneSpace& space_;
    const Config& config_;
    // [published level][metric][home zone] → per-device values
    std::vector<std::array<std::vector<std::vector<double>>, 3>> values_;
};

// Percentile by the nearest-rank method on sorted values (p in (0, 1]).
double nearest_rank(const std::vector<double>& sorted, double p);

}  // namespace mpdstat
