#pragma once
// Outbound tourism (METHODS.md §6): domestic subscribers served by foreign
// networks, by destination country (the serving network's MCC) and month, and
// by origin zone — the traveller's home, else the zone of its last event at
// home before leaving. Abroad events of one country no more than
// tourism.outbound_trip_gap_hours apart, with no event at home between, are one
// trip; a trip shorter than tourism.outbound_min_hours that spans no night is a
// border blip (a phone catching a foreign network near the border) and is not
// counted. Nights as for inbound tourism.
#include <map>
#include <string>
#include <tuple>

#include "devices/device_pass.hpp"
#include "indicators/inbound_tourism.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class OutboundTourism : public DeviceHandler {
public:
    OutboundTourism(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;

    // National totals per destination country (travellers, trips, nights).
    const std::map<std::string, CountryTotals>& by_country() const noexcept { return national_; }
    uint64_t blips() const noexcept { return blips_; }

private:
    struct Counts {
        uint64_t travellers = 0, trips = 0, nights = 0;
    };
    using Key = std::tuple<size_t, uint32_t, std::string, std::string>;  // level, origin zone, month, country
    const ZoneSpace& space_;
    const Config& config_;
    LocalClock clock_;
    std::map<Key, Counts> counts_;
    std::map<std::string, CountryTotals> national_;
    uint64_t blips_ = 0;
};

}  // namespace mpdstat
