#include "indicators/displacement.hpp"

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

Displacement::Displacement(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), rules_(AnchorRules::from_config(config)), clock_(config.input.timezone) {
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

void Displacement::add(const DeviceView& v) {
    if (!config_.displacement.event_date || v.domain == Domain::inbound) return;
    const Day event = *config_.displacement.event_date;
    const Day from = std::max(config_.input.period_start, event - config_.displacement.baseline_days);
    // Baseline home: the anchor rules on the days before the event only.
    uint32_t home = anchors_between(v, from, event - 1, rules_, space_.places().zone, clock_).home;
    if (home == kNoZoneIndex || !affected_[home]) return;
    ++residents_;
    // Where it sleeps: the 02:30 slot of the next day, else the day's daily location.
    std::map<Day, uint32_t> night_zone;
    for (const auto& s : v.slots)
        if (s.hour == 2 && s.zone != kNoZoneIndex) night_zone[s.day - 1] = s.zone;
    for (const auto& d : v.days)
        if (!night_zone.count(d.day) && d.daily_location != kNoCell &&
            space_.places().zone[d.daily_location] != kNoZoneIndex)
            night_zone[d.day] = space_.places().zone[d.daily_location];
    for (const auto& [night, zone] : night_zone) {
        if (night < event - 1 || night > config_.input.period_end) continue;
        if (!affected_[zone]) ++displaced_[night];
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

}  // namespace mpdstat
