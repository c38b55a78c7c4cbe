#pragma once
// Outbound tourism (METHODS.md §6): domestic subscribers served by foreign
// networks, by destination country (the serving network's MCC) and month, and
// by origin zone — the traveller's home, else the zone of its last event at
// home before leaving. Abroad events of one country no more than
// tourism.outbound_trip_gap_hours apart, with no event at home between, are one
// trip; a trip shorter than tourism.outbound_min_hours that spans no night is a
// border blip (a phone catching a foreign network near the border) and is not
// counted. Nights as for inbound tourism.
//
// Sparse data miss travellers who made no call abroad. travellers_estimated adds
// them back, per destination country, by Chao's estimator of the unseen: with
// the abroad events of a trip Poisson in its length, the travellers seen once
// (f1) and twice (f2) give those seen never, f0 = f1^2 / (2 f2) (docs/tourism.md).
#include <map>
#include <string>
#include <tuple>

#include "devices/device_pass.hpp"
#include "indicators/inbound_tourism.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

// Travellers to one country by how often they were seen abroad there: all of
// them (at least once), exactly once, exactly twice.
struct Sightings {
    uint64_t seen = 0, once = 0, twice = 0;
};

// Chao1: the travellers never seen, from those seen once (f1) and twice (f2):
// f1^2 / (2 f2), or f1 (f1 - 1) / 2 when none was seen twice (the bias-corrected
// form, Chao 1987 / 2005).
double chao1_unseen(uint64_t once, uint64_t twice);

// Per country, the factor (seen + unseen) / seen that turns travellers seen into
// travellers: each country's own when at least min_seen of its travellers were
// seen, else the factor of all countries pooled (the pooled detection rate).
std::map<std::string, double> completeness_factors(const std::map<std::string, Sightings>& by_country, uint64_t min_seen);

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
    // Travellers per destination country by their number of abroad events there.
    const std::map<std::string, Sightings>& sightings() const noexcept { return sightings_; }
    // (seen + unseen) / seen per destination country (completeness_factors with the config's minimum).
    std::map<std::string, double> completeness() const;

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
    std::map<std::string, Sightings> sightings_;
    uint64_t blips_ = 0;
};

}  // namespace mpdstat
