#include "indicators/outbound_tourism.hpp"

#include "common/archive.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "indicators/mcc_table.hpp"
#include "indicators/trip_nights.hpp"

namespace mpdstat {

double chao1_unseen(uint64_t once, uint64_t twice) {
    const double f1 = double(once), f2 = double(twice);
    return twice > 0 ? f1 * f1 / (2 * f2) : f1 * (f1 - 1) / 2;
}

std::map<std::string, double> completeness_factors(const std::map<std::string, Sightings>& by_country, uint64_t min_seen) {
    Sightings all;
    for (const auto& [country, s] : by_country) {
        all.seen += s.seen;
        all.once += s.once;
        all.twice += s.twice;
    }
    auto factor = [](const Sightings& s) { return s.seen ? (double(s.seen) + chao1_unseen(s.once, s.twice)) / double(s.seen) : 1.0; };
    const double pooled = factor(all);
    std::map<std::string, double> out;
    for (const auto& [country, s] : by_country) out[country] = s.seen >= min_seen ? factor(s) : pooled;
    return out;
}

OutboundTourism::OutboundTourism(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), clock_(config.input.timezone) {}

std::unique_ptr<DeviceHandler> OutboundTourism::fresh() const { return std::make_unique<OutboundTourism>(space_, config_); }

void OutboundTourism::add(const DeviceView& v) {
    if (v.domain == Domain::inbound) return;  // roamers are inbound visitors, not outbound travellers
    const auto& zone_of = space_.places().zone;
    const int64_t gap = int64_t(config_.tourism.outbound_trip_gap_hours) * 3'600'000;
    const int64_t min_ms = static_cast<int64_t>(config_.tourism.outbound_min_hours * 3'600'000.0);
    std::set<Key> travelled;
    std::map<std::string, uint64_t> countries;  // destination → abroad events in its trips
    std::map<Key, uint64_t> trips, nights;
    uint32_t last_home_zone = kNoZoneIndex;  // zone of the last located event at home
    size_t i = 0;
    const auto& ev = v.events;
    while (i < ev.size()) {
        if (ev[i].domain != Domain::outbound) {
            if (ev[i].cell != kNoCell && zone_of[ev[i].cell] != kNoZoneIndex) last_home_zone = zone_of[ev[i].cell];
            ++i;
            continue;
        }
        // A trip: abroad events of one country, close together, with nothing at home between.
        size_t j = i + 1;
        while (j < ev.size() && ev[j].domain == Domain::outbound && ev[j].serving_mcc == ev[i].serving_mcc &&
               ev[j].time_ms - ev[j - 1].time_ms <= gap)
            ++j;
        const int64_t first = ev[i].time_ms, last = ev[j - 1].time_ms;
        const Day first_day = floor_day(clock_.to_local_ms(first));
        // Sparse devices leave before their first abroad event and return after the last:
        // the time abroad runs from the midpoint with the event before to the midpoint with
        // the event after (ESS continuity), each extension capped at half the trip gap.
        const int64_t left = i > 0 ? std::max(first - (first - ev[i - 1].time_ms) / 2, first - gap / 2) : first;
        const int64_t back = j < ev.size() ? std::min(last + (ev[j].time_ms - last) / 2, last + gap / 2) : last;
        const std::vector<TripNight> night_days = trip_nights(left, back, config_.tourism.night_hour, clock_,
                                                                    config_.input.period_start, config_.input.period_end);
        std::string country(mcc_country(ev[i].serving_mcc));
        if (country.empty()) country = "unknown";
        const uint64_t abroad_events = j - i;
        i = j;
        if (back - left < min_ms && night_days.empty()) {
            ++blips_;
            continue;
        }
        uint32_t origin = v.anchors.home != kNoZoneIndex ? v.anchors.home : last_home_zone;
        CountryTotals& nat = national_[country];
        ++nat.trips;
        nat.nights += night_days.size();
        countries[country] += abroad_events;
        if (origin == kNoZoneIndex) continue;
        const std::string month = month_of(first_day);
        for (size_t l = 0; l < space_.levels().size(); ++l) {
            uint32_t z = space_.roll_up(origin, space_.levels()[l]);
            travelled.insert({l, z, month, country});
            ++trips[{l, z, month, country}];
            for (const TripNight& n : night_days) ++nights[{l, z, month_of(n.evening), country}];
        }
    }
    for (const auto& [c, n] : countries) {
        ++national_[c].visitors;  // travellers
        Sightings& s = sightings_[c];
        ++s.seen;
        s.once += n == 1;
        s.twice += n == 2;
    }
    std::set<Key> any(travelled);
    for (const auto& [k, n] : nights) any.insert(k);
    for (const auto& k : any) ++counts_[k].travellers;
    for (const auto& [k, n] : trips) counts_[k].trips += n;
    for (const auto& [k, n] : nights) counts_[k].nights += n;
}

void OutboundTourism::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const OutboundTourism&>(other);
    for (const auto& [k, c] : o.counts_) {
        Counts& m = counts_[k];
        m.travellers += c.travellers;
        m.trips += c.trips;
        m.nights += c.nights;
    }
    for (const auto& [country, c] : o.national_) {
        CountryTotals& m = national_[country];
        m.visitors += c.visitors;
        m.trips += c.trips;
        m.nights += c.nights;
    }
    for (const auto& [country, s] : o.sightings_) {
        Sightings& m = sightings_[country];
        m.seen += s.seen;
        m.once += s.once;
        m.twice += s.twice;
    }
    blips_ += o.blips_;
}

std::map<std::string, double> OutboundTourism::completeness() const {
    return completeness_factors(sightings_, static_cast<uint64_t>(config_.tourism.outbound_estimate_min_travellers));
}

AggregateTable OutboundTourism::table() const {
    AggregateTable t;
    t.name = "tourism_outbound";
    t.zone_columns = {"origin_zone"};
    t.key_columns = {"month", "country"};
    // travellers_estimated adds up over zones as travellers do (one factor per country) and is
    // noised with the counts when noise is on.
    t.value_columns = {"travellers", "trips", "nights", "travellers_estimated"};
    t.additive_values = 4;
    const std::map<std::string, double> factor = completeness();
    for (const auto& [key, c] : counts_) {
        auto& [l, zone, month, country] = key;
        const auto f = factor.find(country);
        const double estimated = std::round(double(c.travellers) * (f != factor.end() ? f->second : 1.0) * 10) / 10;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone}, {month, country},
                          {double(c.travellers), double(c.trips), double(c.nights), estimated}, c.travellers});
    }
    return t;
}

void OutboundTourism::save(std::string& out) const { archive_write(out, counts_, national_, sightings_, blips_); }

void OutboundTourism::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(counts_, national_, sightings_, blips_);
}

}  // namespace mpdstat
