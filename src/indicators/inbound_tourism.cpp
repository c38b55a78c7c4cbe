#include "indicators/inbound_tourism.hpp"

#include "common/archive.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "indicators/mcc_table.hpp"
#include "indicators/trip_nights.hpp"

namespace mpdstat {

InboundTourism::InboundTourism(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), clock_(config.input.timezone) {}

std::unique_ptr<DeviceHandler> InboundTourism::fresh() const { return std::make_unique<InboundTourism>(space_, config_); }

// A foreign SIM lives in the country when it is seen here on enough days for its
// pace and either
// - across the whole period: neither the days before its first day nor those after
//   its last are a longer absence than any gap between its own days (nor longer than
//   a day) — for a SIM with few events a day, which leaves gaps everywhere, judged
//   against its own gaps; or
// - for a long stay: its first and last days seen are at least
//   tourism.inbound_resident_stay_days apart (inclusive), longer than a visit: a
//   resident who travels abroad at the start or the end of the period has a visible
//   arrival or departure, and a sparse SIM can go quiet for a fortnight and more.
// Enough days: a share of the days a SIM of its pace (events spread at random over
// the days judged) would be seen on — nearly all days for a busy SIM, fewer for a
// sparse one — so that two short visits far apart are not one long stay.
bool InboundTourism::lives_here(const DeviceView& v) const {
    const Day first = config_.input.period_start, last = config_.input.period_end;
    if (v.days.empty()) return false;
    const auto enough_days = [&](double days) {
        const double expected = days * (1 - std::exp(-double(v.events.size()) / days));
        return double(v.days.size()) >= config_.tourism.inbound_resident_share * expected;
    };
    const Day stay = v.days.back().day - v.days.front().day + 1;
    const int long_stay = config_.tourism.inbound_resident_stay_days;
    if (long_stay > 0 && stay >= long_stay && enough_days(double(stay))) return true;
    Day longest_gap = 1;
    for (size_t i = 1; i < v.days.size(); ++i) longest_gap = std::max<Day>(longest_gap, v.days[i].day - v.days[i - 1].day - 1);
    const bool arrives = v.days.front().day - first > longest_gap, departs = last - v.days.back().day > longest_gap;
    return !arrives && !departs && enough_days(double(last - first + 1));
}

void InboundTourism::add(const DeviceView& v) {
    if (v.domain != Domain::inbound || v.events.empty()) return;
    if (lives_here(v)) {
        ++foreign_residents_;
        return;
    }
    uint16_t mcc = 0;
    for (const Event& e : v.events)
        if (e.domain == Domain::inbound) {
            mcc = e.mcc;
            break;
        }
    std::string country(mcc_country(mcc));
    if (country.empty()) country = "unknown";
    const auto& zone_of = space_.places().zone;
    // A sparse SIM is silent for long stretches while still here: a silence ends a trip
    // only when it is also far longer than its own pace explains, by its events and by
    // its days (factor = tourism.inbound_gap_pace_factor, ln 100: a silence that long
    // comes 1 % of the time).
    // - Events: factor times its mean gap between events (at random times, e^(-factor)
    //   of the gaps are that long).
    // - Days: phones are quiet at night and busier on some days than others, so a SIM
    //   with a handful of events a day misses whole days while here. With a share q of
    //   quiet days (no event) in its span, k quiet days in a row come with probability
    //   q^k, e^(-factor) for k = factor / ln(1/q) days. q is judged on the SIM's other
    //   days — a silence is no evidence of its own likelihood (a roamer gone for three of
    //   its ten days would otherwise excuse its own absence) — with Laplace's rule of
    //   succession, (quiet + 1) / (days + 2), so that a SIM seen every day still leaves
    //   room for a quiet one.
    const int64_t min_gap = int64_t(config_.tourism.inbound_trip_gap_hours) * 3'600'000;
    const double factor = config_.tourism.inbound_gap_pace_factor;
    const int64_t mean_gap = v.events.size() > 1 ? (v.events.back().time_ms - v.events.front().time_ms) / int64_t(v.events.size() - 1) : 0;
    const int64_t gap = std::max(min_gap, int64_t(factor * double(mean_gap)));
    const auto local_day = [&](const Event& e) { return floor_day(clock_.to_local_ms(e.time_ms)); };
    // The view's days are the local days with an event: the rest of its span is quiet.
    const Day span = v.days.empty() ? 0 : v.days.back().day - v.days.front().day + 1;
    const Day quiet = span - Day(v.days.size());
    const auto ends_trip = [&](size_t j) {
        const int64_t silence = v.events[j].time_ms - v.events[j - 1].time_ms;
        if (silence <= gap) return false;
        if (factor <= 0) return true;
        const Day inside = local_day(v.events[j]) - local_day(v.events[j - 1]) - 1;  // quiet days of this silence
        const double q = double(quiet - inside + 1) / double(span - inside + 2);
        return double(silence) > factor / std::log(1 / q) * double(kMsPerDay);
    };

    std::set<Key> visited, tripped;  // distinct per device
    std::map<Key, uint64_t> nights;
    CountryTotals& nat = national_[country];
    ++nat.visitors;
    size_t i = 0;
    while (i < v.events.size()) {
        size_t j = i + 1;
        while (j < v.events.size() && !ends_trip(j)) ++j;
        // Events [i, j) are one trip.
        ++nat.trips;
        const Day first_day = floor_day(clock_.to_local_ms(v.events[i].time_ms));
        const std::string trip_month = month_of(first_day);
        for (size_t k = i; k < j; ++k) {
            const Event& e = v.events[k];
            if (e.cell == kNoCell || zone_of[e.cell] == kNoZoneIndex) continue;
            std::string month = month_of(floor_day(clock_.to_local_ms(e.time_ms)));
            for (size_t l = 0; l < space_.levels().size(); ++l) {
                uint32_t z = space_.roll_up(zone_of[e.cell], space_.levels()[l]);
                visited.insert({l, z, month, country});
                tripped.insert({l, z, trip_month, country});
            }
        }
        // Nights: each night_hour instant of the stay, where the device was last seen (before
        // its first located event: where it was first seen). The stay reaches beyond the
        // first and last events by the time a device this sparse goes unseen.
        const int64_t first = v.events[i].time_ms, last = v.events[j - 1].time_ms;
        // A trip of a single event has no gap to go by: it is taken to reach half the fixed
        // trip gap either side — the midpoint between its event and the silence that would
        // end it (as outbound trips end midway between the events either side), one night.
        const int64_t unseen = j - i == 1 ? min_gap / 2 : unseen_edge_ms(last - first, j - i, min_gap / 2);
        size_t k = i;
        uint32_t last_zone = kNoZoneIndex;
        for (size_t f = i; f < j && last_zone == kNoZoneIndex; ++f)
            if (v.events[f].cell != kNoCell) last_zone = zone_of[v.events[f].cell];
        for (const TripNight& night : trip_nights(first - unseen, last + unseen, config_.tourism.night_hour, clock_,
                                                  config_.input.period_start, config_.input.period_end)) {
            for (; k < j && v.events[k].time_ms <= night.instant_ms; ++k)
                if (v.events[k].cell != kNoCell && zone_of[v.events[k].cell] != kNoZoneIndex) last_zone = zone_of[v.events[k].cell];
            ++nat.nights;
            if (last_zone == kNoZoneIndex) continue;
            std::string month = month_of(night.evening);
            for (size_t l = 0; l < space_.levels().size(); ++l)
                ++nights[{l, space_.roll_up(last_zone, space_.levels()[l]), month, country}];
        }
        i = j;
    }
    std::set<Key> any(visited);
    any.insert(tripped.begin(), tripped.end());
    for (const auto& key : visited) ++counts_[key].visitors;
    for (const auto& key : tripped) ++counts_[key].trips;
    for (const auto& [key, n] : nights) {
        counts_[key].nights += n;
        any.insert(key);
    }
    for (const auto& key : any) ++counts_[key].devices;
}

void InboundTourism::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const InboundTourism&>(other);
    for (const auto& [key, c] : o.counts_) {
        Counts& m = counts_[key];
        m.visitors += c.visitors;
        m.trips += c.trips;
        m.nights += c.nights;
        m.devices += c.devices;
    }
    for (const auto& [country, c] : o.national_) {
        CountryTotals& m = national_[country];
        m.visitors += c.visitors;
        m.trips += c.trips;
        m.nights += c.nights;
    }
    foreign_residents_ += o.foreign_residents_;
}

AggregateTable InboundTourism::table() const {
    AggregateTable t;
    t.name = "tourism_inbound";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"month", "country"};
    t.value_columns = {"visitors", "trips", "nights"};
    t.additive_values = 3;
    for (const auto& [key, c] : counts_) {
        auto& [l, zone, month, country] = key;
        // The support is the smaller device count that is not zero: a row resting on 15 devices
        // of which 14 visited would publish a group of 14 and single out the 15th.
        const uint64_t support = c.visitors > 0 ? c.visitors : c.devices;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone}, {month, country},
                          {double(c.visitors), double(c.trips), double(c.nights)}, support});
    }
    return t;
}

void InboundTourism::save(std::string& out) const { archive_write(out, counts_, national_, foreign_residents_); }

void InboundTourism::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(counts_, national_, foreign_residents_);
}

}  // namespace mpdstat
