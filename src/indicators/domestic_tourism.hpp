#pragma once
// Domestic tourism (METHODS.md §6): residents' time outside their usual
// environment. The usual environment of a device is its home, its work place,
// the anchor rule set's usual zones and every zone it is in on average on at
// least tourism.domestic_usual_visits_per_week days a week — judged at
// tourism.domestic_level (finest by default). A run of hours outside it (hours
// of unknown whereabouts between two hours outside it are bridged) is a trip:
// overnight when it spans tourism.night_hour and lasts at least
// tourism.domestic_overnight_hours, a same-day visit when it spans no night and
// lasts at least tourism.domestic_min_hours; shorter runs (passing through) are
// not tourism. Published by destination zone, origin (the home rolled up to
// tourism.domestic_origin_level) and month: visitors, trips, nights and
// same-day visits. A trip counts in the month it starts, each night in the
// month of its evening.
#include <map>
#include <string>
#include <tuple>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

struct DomesticTotals {
    uint64_t visitors = 0, trips = 0, overnight_trips = 0, nights = 0, same_day_visits = 0;
};

class DomesticTourism : public DeviceHandler {
public:
    DomesticTourism(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;

    // National totals over the period (validation and reports).
    const DomesticTotals& totals() const noexcept { return totals_; }
    // Nights spent in each finest zone (validation against a truth).
    const std::map<uint32_t, uint64_t>& nights_by_zone() const noexcept { return nights_by_zone_; }

private:
    struct Counts {
        uint64_t visitors = 0, trips = 0, nights = 0, same_day = 0;
    };
    // (published level index, destination zone, origin zone id, month "YYYY-MM")
    using Key = std::tuple<size_t, uint32_t, std::string, std::string>;
    const ZoneSpace& space_;
    const Config& config_;
    size_t judge_level_, origin_level_;
    std::map<Key, Counts> counts_;
    std::map<uint32_t, uint64_t> nights_by_zone_;
    DomesticTotals totals_;
};

}  // namespace mpdstat
