#include "indicators/activity.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "common/archive.hpp"

namespace mpdstat {

Activity::Activity(const ZoneSpace& space, const Config& config, const CellPlan& cells)
    : space_(space), config_(config), cells_(cells), clock_(config.input.timezone) {}

std::unique_ptr<DeviceHandler> Activity::fresh() const { return std::make_unique<Activity>(space_, config_, cells_); }

void Activity::add(const DeviceView& v) {
    const auto& zone_of = space_.places().zone;
    std::map<Key, uint64_t> mine;
    std::map<std::pair<size_t, uint32_t>, std::set<Day>> active;       // zone → days active
    std::map<std::pair<size_t, uint32_t>, std::set<Day>> data_days;    // zone → days with data
    for (const Event& e : v.events) {
        if (e.cell == kNoCell || zone_of[e.cell] == kNoZoneIndex) continue;
        Day d = floor_day(clock_.to_local_ms(e.time_ms));
        for (size_t l = 0; l < space_.levels().size(); ++l) {
            uint32_t z = space_.roll_up(zone_of[e.cell], space_.levels()[l]);
            ++mine[{l, z, d, static_cast<uint8_t>(e.type), cells_[e.cell].technology}];
            active[{l, z}].insert(d);
            if (e.type == EventType::data) data_days[{l, z}].insert(d);
        }
    }
    for (const auto& [key, n] : mine) {
        auto& c = events_[key];
        c.first += n;
        c.second += 1;
    }
    for (const auto& [lz, days] : active) {
        const auto& with_data = data_days[lz];
        for (Day d = config_.input.period_start; d <= config_.input.period_end; ++d) {
            // Active in the 90 days ending on d: an active day in [d - 89, d].
            auto it = days.upper_bound(d);
            bool recent = it != days.begin() && *std::prev(it) > d - kActiveWindowDays;
            if (!recent) continue;
            DayCounts& c = days_[{lz.first, lz.second, d}];
            ++c.active_90d;
            if (days.count(d)) ++c.active;
            if (with_data.count(d)) ++c.data;
        }
    }
}

void Activity::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const Activity&>(other);
    for (const auto& [k, c] : o.events_) {
        auto& m = events_[k];
        m.first += c.first;
        m.second += c.second;
    }
    for (const auto& [k, c] : o.days_) {
        auto& m = days_[k];
        m.active += c.active;
        m.active_90d += c.active_90d;
        m.data += c.data;
    }
}

AggregateTable Activity::events_table() const {
    AggregateTable t;
    t.name = "activity";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"date", "event_type", "technology"};
    t.value_columns = {"events", "devices", "events_per_device"};
    t.additive_values = 2;
    for (const auto& [key, c] : events_) {
        auto& [l, zone, day, type, tech] = key;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone},
                          {format_day(day), std::string(event_type_name(static_cast<EventType>(type))), tech.empty() ? "unknown" : tech},
                          {double(c.first), double(c.second), double(c.first) / double(c.second)}, c.second});
    }
    return t;
}

AggregateTable Activity::devices_table() const {
    AggregateTable t;
    t.name = "activity_devices";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"date"};
    t.value_columns = {"active_devices", "data_devices", "data_share"};
    t.additive_values = 2;
    for (const auto& [key, c] : days_) {
        auto& [l, zone, day] = key;
        if (c.active == 0) continue;
        double share = double(c.data) / double(c.active);
        // Both counts are devices: the row rests on the smaller one that is not
        // zero, so neither is released on fewer than min_devices devices.
        uint64_t support = c.data > 0 ? std::min(c.data, c.active) : c.active;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone}, {format_day(day)},
                          {double(c.active), double(c.data), share}, support});
    }
    return t;
}

AggregateTable Activity::active_90d_table() const {
    // One window per release, ending on the last day of the period: windows
    // ending on consecutive days overlap, and their difference would count the
    // few devices seen only in one of them (docs/disclosure_control.md).
    AggregateTable t;
    t.name = "activity_active_90d";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"date"};
    t.value_columns = {"active_devices_90d"};
    t.additive_values = 1;
    // A device active in two zones counts in both, so a parent is about, not
    // exactly, the sum of its children: secondary suppression still guards the
    // approximate subtraction.
    for (const auto& [key, c] : days_) {
        auto& [l, zone, day] = key;
        if (day != config_.input.period_end || c.active_90d == 0) continue;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone}, {format_day(day)},
                          {double(c.active_90d)}, c.active_90d});
    }
    return t;
}

void Activity::save(std::string& out) const { archive_write(out, events_, days_); }

void Activity::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(events_, days_);
}

}  // namespace mpdstat
