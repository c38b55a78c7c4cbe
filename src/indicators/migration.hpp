#pragma once
// Internal migration (METHODS.md §6): a device's home in a previous and in a
// new period (the configured anchor rule set applied to each period's hourly
// slots and days); a device whose homes differ has migrated. Released as flows
// from → to at every level, stayers included (from = to), so each origin's
// devices with a home in both periods are the sum of its rows.
#include <map>
#include <tuple>
#include <utility>

#include "devices/anchors.hpp"
#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class Migration : public DeviceHandler {
public:
    Migration(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;

    // Devices whose finest home zone changed: device → (previous, new).
    const std::map<uint64_t, std::pair<uint32_t, uint32_t>>& migrants() const noexcept { return migrants_; }
    uint64_t with_both_homes() const noexcept { return both_; }

private:
    // Share of the days in [from, to] whose daily location lies in `zone`.
    double night_share(const DeviceView& v, uint32_t zone, Day from, Day to) const;

    const ZoneSpace& space_;
    const Config& config_;
    AnchorRules rules_;
    LocalClock clock_;
    std::map<std::tuple<size_t, uint32_t, uint32_t>, uint64_t> flows_;  // (level, from, to) → devices
    std::map<uint64_t, std::pair<uint32_t, uint32_t>> migrants_;
    uint64_t both_ = 0;
};

}  // namespace mpdstat
