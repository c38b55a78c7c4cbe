#pragma once
// Inbound tourism (METHODS.md §6): roaming devices (subscription MCC of
// another country) by country of origin and destination zone, per month:
// visitors, trips (a new trip after tourism.inbound_trip_gap_hours without an
// event) and nights (a trip spanning tourism.night_hour local time; the night
// counts where the device was last seen before that hour). Foreign SIMs that
// live in the country (seen across the whole period, or over a stay of
// inbound_resident_stay_days or more, on inbound_resident_share of the days a SIM
// of its pace would be seen on) are residents, not tourists. A trip counts in the month it
// starts and each night in the month of its evening, so trips across a month
// boundary are neither cut nor lost.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

struct CountryTotals {
    uint64_t visitors = 0, trips = 0, nights = 0;
};

class InboundTourism : public DeviceHandler {
public:
    InboundTourism(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;

    // National totals per country over the period (for validation and reports).
    const std::map<std::string, CountryTotals>& by_country() const noexcept { return national_; }
    uint64_t foreign_residents() const noexcept { return foreign_residents_; }

private:
    struct Counts {
        uint64_t visitors = 0, trips = 0, nights = 0;
        uint64_t devices = 0;  // distinct devices behind any of the three (the row's support)
    };
    // (published level index, zone, month "YYYY-MM", country)
    using Key = std::tuple<size_t, uint32_t, std::string, std::string>;
    const ZoneSpace& space_;
    const Config& config_;
    LocalClock clock_;
    std::map<Key, Counts> counts_;
    std::map<std::string, CountryTotals> national_;
    bool lives_here(const DeviceView& v) const;
    uint64_t foreign_residents_ = 0;
};

}  // namespace mpdstat
