#pragma once
// Usual environment, home and work (METHODS.md §6): devices labelled `ue`,
// `home` or `work` per zone over the period (residents are the `home` rows),
// and commuting: devices per (home zone, work zone). A device counts once per
// zone at each level, by the finest zones its anchors name.
#include <map>
#include <tuple>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class UsualEnvironment : public DeviceHandler {
public:
    UsualEnvironment(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;

    AggregateTable usual_environment_table() const;
    AggregateTable commuting_table() const;

    // Devices the rule set could judge and those with a home / work (for reports).
    uint64_t judged() const noexcept { return judged_; }
    uint64_t with_home() const noexcept { return with_home_; }
    uint64_t with_work() const noexcept { return with_work_; }

private:
    const ZoneSpace& space_;
    const Config& config_;
    // [published level][label 0=ue 1=home 2=work][zone]
    std::vector<std::array<std::vector<uint64_t>, 3>> counts_;
    std::vector<std::map<std::pair<uint32_t, uint32_t>, uint64_t>> commuting_;
    uint64_t judged_ = 0, with_home_ = 0, with_work_ = 0;
};

}  // namespace mpdstat
