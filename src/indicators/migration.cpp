#include "indicators/migration.hpp"

namespace mpdstat {

Migration::Migration(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), rules_(AnchorRules::from_config(config)), clock_(config.input.timezone) {}

std::unique_ptr<DeviceHandler> Migration::fresh() const { return std::make_unique<Migration>(space_, config_); }

void Migration::add(const DeviceView& v) {
    const auto& m = config_.migration;
    auto home_in = [&](Day from, Day to) {
        DeviceView part;
        part.device = v.device;
        part.domain = v.domain;
        // Events of the period (for the gdf rules) — the events are time-sorted.
        size_t a = 0, b = v.events.size();
        while (a < b && floor_day(clock_.to_local_ms(v.events[a].time_ms)) < from) ++a;
        size_t e = a;
        while (e < b && floor_day(clock_.to_local_ms(v.events[e].time_ms)) <= to) ++e;
        part.events = v.events.subspan(a, e - a);
        for (const auto& s : v.slots)
            if (s.day >= from && s.day <= to) part.slots.push_back(s);
        for (const auto& d : v.days)
            if (d.day >= from && d.day <= to) part.days.push_back(d);
        AnchorRules r = rules_;
        r.period_end = to;
        return compute_anchors(part, r, space_.places().zone, clock_).home;
    };
    if (v.domain == Domain::inbound) return;
    uint32_t prev = home_in(m.previous_start, m.previous_end);
    if (prev == kNoZoneIndex) return;
    uint32_t next = home_in(m.new_start, m.new_end);
    if (next == kNoZoneIndex) return;
    ++both_;
    if (prev != next) migrants_[v.device] = {prev, next};
    for (size_t l = 0; l < space_.levels().size(); ++l) {
        size_t level = space_.levels()[l];
        ++flows_[{l, space_.roll_up(prev, level), space_.roll_up(next, level)}];
    }
}

void Migration::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const Migration&>(other);
    for (const auto& [k, n] : o.flows_) flows_[k] += n;
    migrants_.insert(o.migrants_.begin(), o.migrants_.end());
    both_ += o.both_;
}

AggregateTable Migration::table() const {
    AggregateTable t;
    t.name = "migration";
    t.zone_columns = {"from_zone", "to_zone"};
    t.key_columns = {"period_prev_start", "period_prev_end", "period_new_start", "period_new_end"};
    t.value_columns = {"devices"};
    const auto& m = config_.migration;
    std::vector<std::string> keys{format_day(m.previous_start), format_day(m.previous_end), format_day(m.new_start),
                                  format_day(m.new_end)};
    for (const auto& [k, n] : flows_) {
        auto [l, from, to] = k;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {from, to}, keys, {double(n)}, n});
    }
    return t;
}

}  // namespace mpdstat
