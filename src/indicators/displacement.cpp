#include "indicators/displacement.hpp"

#include "common/archive.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/civil_time.hpp"
#include "common/error.hpp"

namespace mpdstat {

Displacement::Displacement(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), rules_(AnchorRules::from_config(config)), clock_(config.input.timezone) {
    rules_.location = space.places().location.get();
    const auto& levels = space.model().levels();
    const size_t finest = levels.size() - 1;
    affected_.assign(levels[finest].zones.size(), 0);
    for (const auto& id : config.displacement.affected_zones) {
        bool found = false;
        for (size_t l = 0; l < levels.size(); ++l) {
            uint32_t z = levels[l].find(id);
            if (z == kNoZone) continue;
            found = true;
            for (uint32_t f = 0; f < affected_.size(); ++f)
                if (space.roll_up(f, l) == z) affected_[f] = 1;
        }
        if (!found && config.displacement.event_date)
            throw config_error(fmt::format("displacement.affected_zones names '{}', which is in no zone level", id));
    }
}

std::unique_ptr<DeviceHandler> Displacement::fresh() const { return std::make_unique<Displacement>(space_, config_); }

std::map<Day, uint32_t> Displacement::night_zones(const DeviceView& v) {
    // Where it sleeps: the 02:30 slot of the next day; else the zone of the located event
    // nearest 02:30 among the evening's last (the day's last event) and the morning's first
    // (the next day's first). The day's last event alone lags a move made that day: a
    // resident who goes home (or leaves) after it sleeps elsewhere than it says.
    std::map<Day, uint32_t> night_zone;
    for (const auto& s : v.slots)
        if (s.hour == 2 && s.zone != kNoZoneIndex) night_zone[s.day - 1] = s.zone;
    const auto& zone_of = space_.places().zone;
    constexpr int64_t kNightMs = 9'000'000;  // 02:30
    // Each day's first and last located event, by the local days the device model
    // computed (a view built without them, as in unit tests, computes them here).
    const bool given = v.event_days.size() == v.events.size();
    std::map<Day, std::pair<size_t, size_t>> by_day;
    for (size_t k = 0; k < v.events.size(); ++k) {
        const uint32_t cell = v.events[k].cell;
        if (cell == kNoCell || zone_of[cell] == kNoZoneIndex) continue;
        const Day d = given ? v.event_days[k] : floor_day(clock_.to_local_ms(v.events[k].time_ms));
        auto [it, fresh] = by_day.try_emplace(d, k, k);
        if (!fresh) it->second.second = k;
    }
    const auto local_ms = [&](size_t k) { return clock_.to_local_ms(v.events[k].time_ms); };
    for (auto it = by_day.begin(); it != by_day.end(); ++it) {
        const Day d = it->first;
        if (night_zone.count(d)) continue;
        const size_t evening = it->second.second;
        const int64_t night = (int64_t(d) + 1) * kMsPerDay + kNightMs;
        auto next = std::next(it);
        const bool morning = next != by_day.end() && next->first == d + 1 &&
                             local_ms(next->second.first) - night < night - local_ms(evening);
        night_zone[d] = zone_of[v.events[morning ? next->second.first : evening].cell];
    }
    // A sparse device is unseen on many nights. Unseen nights bracketed by two nights in
    // the same zone, no more than displacement.fill_nights of them, were spent there too.
    std::vector<std::pair<Day, uint32_t>> filled;
    for (auto it = night_zone.begin(); it != night_zone.end(); ++it) {
        auto next = std::next(it);
        if (next == night_zone.end() || next->second != it->second) continue;
        const Day unseen = next->first - it->first - 1;
        if (unseen < 1 || unseen > config_.displacement.fill_nights) continue;
        for (Day d = it->first + 1; d < next->first; ++d) filled.push_back({d, it->second});
    }
    night_zone.insert(filled.begin(), filled.end());
    return night_zone;
}

void Displacement::add(const DeviceView& v) {
    if (!config_.displacement.event_date || v.domain == Domain::inbound) return;
    const Day event = *config_.displacement.event_date;
    const Day from = std::max(config_.input.period_start, event - config_.displacement.baseline_days);
    // Nights inside the period: from the evening of its first day to the morning of its last
    // (as tourism counts them); the night after the last day has no morning in the data.
    const std::map<Day, uint32_t> night_zone = night_zones(v);
    for (const auto& [night, zone] : night_zone)
        if (night >= from && night < config_.input.period_end) ++nights_[{zone, night}];
    // Baseline home: the anchor rules on the days before the event only.
    const Anchors baseline = anchors_between(v, from, event - 1, rules_, space_.places().zone, clock_);
    const uint32_t home = baseline.home;
    if (home == kNoZoneIndex || !affected_[home]) return;
    ++residents_;
    for (const auto& [night, zone] : night_zone) {
        if (night < event - 1 || night >= config_.input.period_end) continue;
        // Night zones are the cells' dominant zones: a night there in the home
        // as they see it is a night at home, even when the located home is next door.
        ++located_[night];
        if (!affected_[zone] && zone != baseline.home_seen) ++displaced_[night];
        for (size_t l = 0; l < space_.levels().size(); ++l) {
            size_t level = space_.levels()[l];
            ++counts_[{l, space_.roll_up(home, level), space_.roll_up(zone, level), night}];
        }
    }
}

void Displacement::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const Displacement&>(other);
    for (const auto& [k, n] : o.counts_) counts_[k] += n;
    for (const auto& [d, n] : o.displaced_) displaced_[d] += n;
    for (const auto& [d, n] : o.located_) located_[d] += n;
    for (const auto& [k, n] : o.nights_) nights_[k] += n;
    residents_ += o.residents_;
}

AggregateTable Displacement::table() const {
    AggregateTable t;
    t.name = "displacement";
    t.zone_columns = {"home_zone", "present_zone"};
    t.key_columns = {"date"};
    t.value_columns = {"devices"};
    for (const auto& [k, n] : counts_) {
        auto [l, home, present, night] = k;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {home, present}, {format_day(night)}, {double(n)}, n});
    }
    return t;
}

AggregateTable Displacement::change_table() const {
    AggregateTable t;
    t.name = "displacement_change";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"date"};
    t.value_columns = {"devices", "baseline_median", "change_pct"};
    if (!config_.displacement.event_date) return t;
    const Day event = *config_.displacement.event_date;
    const Day from = std::max(config_.input.period_start, event - config_.displacement.baseline_days);
    const Day to = config_.input.period_end - 1;  // the last night whose morning is in the period
    if (to < from) return t;
    const size_t nights = size_t(to - from + 1);
    for (size_t l = 0; l < space_.levels().size(); ++l) {
        const size_t level = space_.levels()[l];
        // Devices per zone and night at this level (every device sleeps in one zone).
        std::map<uint32_t, std::vector<uint64_t>> per_zone;
        for (const auto& [k, n] : nights_) {
            auto& series = per_zone[space_.roll_up(k.first, level)];
            series.resize(nights, 0);
            series[size_t(k.second - from)] += n;
        }
        for (const auto& [zone, series] : per_zone) {
            // The baseline: the median night before the event (nights without a device count as 0).
            std::vector<uint64_t> base(series.begin(), series.begin() + std::min<ptrdiff_t>(event - from, ptrdiff_t(nights)));
            double median = 0;
            if (!base.empty()) {
                std::sort(base.begin(), base.end());
                const size_t m = base.size() / 2;
                median = base.size() % 2 ? double(base[m]) : (double(base[m - 1]) + double(base[m])) / 2;
            }
            for (size_t d = 0; d < nights; ++d) {
                const double n = double(series[d]);
                const double change = median > 0 ? 100.0 * (n - median) / median : 0.0;
                // Both the night and the baseline rest on devices: the smaller is the row's support,
                // so a small baseline is never shown beside a large night.
                const uint64_t support = std::min<uint64_t>(series[d], static_cast<uint64_t>(median));
                t.rows.push_back({static_cast<uint32_t>(level), {zone}, {format_day(from + Day(d))},
                                  {n, median, std::round(change * 10) / 10}, support});
            }
        }
    }
    return t;
}

void Displacement::save(std::string& out) const { archive_write(out, counts_, displaced_, located_, nights_, residents_); }

void Displacement::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(counts_, displaced_, located_, nights_, residents_);
}

}  // namespace mpdstat
