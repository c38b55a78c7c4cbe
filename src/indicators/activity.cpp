#include "indicators/activity.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/archive.hpp"

namespace mpdstat {

Activity::Activity(const ZoneSpace& space, const Config& config, const CellPlan& cells)
    : Activity(space, config, cells, technologies_of(cells)) {}

Activity::Activity(const ZoneSpace& space, const Config& config, const CellPlan& cells,
                   std::shared_ptr<const Technologies> technologies)
    : space_(space), config_(config), cells_(cells), technologies_(std::move(technologies)), clock_(config.input.timezone) {}

std::shared_ptr<const Activity::Technologies> Activity::technologies_of(const CellPlan& cells) {
    auto t = std::make_shared<Technologies>();
    for (uint32_t c = 0; c < cells.size(); ++c) t->names.push_back(cells[c].technology);
    std::sort(t->names.begin(), t->names.end());
    t->names.erase(std::unique(t->names.begin(), t->names.end()), t->names.end());
    for (uint32_t c = 0; c < cells.size(); ++c)
        t->of_cell.push_back(static_cast<uint32_t>(std::lower_bound(t->names.begin(), t->names.end(), cells[c].technology) -
                                                   t->names.begin()));
    return t;
}

std::unique_ptr<DeviceHandler> Activity::fresh() const {
    return std::unique_ptr<DeviceHandler>(new Activity(space_, config_, cells_, technologies_));
}

size_t Activity::KeyHash::operator()(const Key& k) const noexcept {
    uint64_t h = std::get<0>(k);
    for (uint64_t part : {uint64_t(std::get<1>(k)), uint64_t(uint32_t(std::get<2>(k))),
                          uint64_t(std::get<3>(k)) << 32 | std::get<4>(k)}) {
        h = (h ^ part) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    return static_cast<size_t>(h);
}

void Activity::add(const DeviceView& v) {
    // A (zone, day) has one counter per event type and technology.
    static_assert(static_cast<size_t>(EventType::other) + 1 == kEventTypes);
    const auto& zone_of = space_.places().zone;
    const auto& technology_of = technologies_->of_cell;
    const auto& levels = space_.levels();
    const size_t technologies = technologies_->names.size();
    // Each event's local day; days rise with time except where a DST change
    // at midnight turns the clock back: then the events are taken day by day.
    const size_t n = v.events.size();
    event_days_.resize(n);
    bool rising = true;
    for (size_t k = 0; k < n; ++k) {
        event_days_[k] = floor_day(clock_.to_local_ms(v.events[k].time_ms));
        rising = rising && (k == 0 || event_days_[k] >= event_days_[k - 1]);
    }
    if (!rising) {
        day_order_.resize(n);
        for (size_t k = 0; k < n; ++k) day_order_[k] = static_cast<uint32_t>(k);
        std::stable_sort(day_order_.begin(), day_order_.end(),
                         [&](uint32_t a, uint32_t b) { return event_days_[a] < event_days_[b]; });
    }
    // Counters per (level, zone) for the current day, closed when the day
    // changes: no map or set touched per event.
    for (size_t m = 0; m < n; ++m) {
        const size_t k = rising ? m : day_order_[m];
        const Event& e = v.events[k];
        if (e.cell == kNoCell || zone_of[e.cell] == kNoZoneIndex) continue;
        const size_t counter = static_cast<size_t>(e.type) * technologies + technology_of[e.cell];
        for (size_t l = 0; l < levels.size(); ++l) {
            ZoneDays& z = zone_days(static_cast<uint32_t>(l), space_.roll_up(zone_of[e.cell], levels[l]));
            if (!z.counting || z.day != event_days_[k]) {
                close_day(z);
                z.day = event_days_[k];
                z.counting = true;
            }
            ++z.events[counter];
        }
    }
    for (size_t i = 0; i < used_; ++i) {
        ZoneDays& z = zones_[i];
        close_day(z);
        add_days(z);
        if (z.zone < slot_[z.level].size()) slot_[z.level][z.zone] = kNoSlot;
    }
    used_ = 0;
}

Activity::ZoneDays& Activity::zone_days(uint32_t level, uint32_t zone) {
    if (slot_.empty())
        for (size_t l : space_.levels()) slot_.emplace_back(space_.zone_count(l), kNoSlot);
    uint32_t* slot = zone < slot_[level].size() ? &slot_[level][zone] : nullptr;
    if (slot && *slot != kNoSlot) return zones_[*slot];
    if (!slot)  // a zone outside the level (a broken parent chain): looked up among the device's
        for (size_t i = 0; i < used_; ++i)
            if (zones_[i].level == level && zones_[i].zone == zone) return zones_[i];
    if (used_ == zones_.size()) zones_.emplace_back();
    ZoneDays& z = zones_[used_];
    if (slot) *slot = static_cast<uint32_t>(used_);
    ++used_;
    z.level = level;
    z.zone = zone;
    z.counting = false;
    z.events.assign(kEventTypes * technologies_->names.size(), 0);
    z.active.clear();
    z.with_data.clear();
    return z;
}

void Activity::close_day(ZoneDays& z) {
    if (!z.counting) return;
    z.counting = false;
    const size_t technologies = technologies_->names.size();
    bool data = false;
    for (size_t i = 0; i < z.events.size(); ++i) {
        if (z.events[i] == 0) continue;
        const size_t type = i / technologies;
        auto& c = events_[Key{z.level, z.zone, z.day, static_cast<uint8_t>(type), static_cast<uint32_t>(i % technologies)}];
        c.first += z.events[i];
        c.second += 1;
        data = data || type == static_cast<size_t>(EventType::data);
        z.events[i] = 0;
    }
    z.active.push_back(z.day);
    if (data) z.with_data.push_back(z.day);
}

void Activity::add_days(const ZoneDays& z) {
    const Day first = config_.input.period_start, last = config_.input.period_end;
    const auto &active = z.active, &with_data = z.with_data;
    size_t a = 0, w = 0;  // past the active / data days up to d
    // Days of one zone are neighbours in days_: each insertion hints the next.
    auto at = days_.lower_bound(DayKey{z.level, z.zone, first});
    for (Day d = first; d <= last; ++d) {
        while (a < active.size() && active[a] <= d) ++a;
        while (w < with_data.size() && with_data[w] <= d) ++w;
        // Active in the 90 days ending on d: an active day in [d - 89, d].
        if (a == 0 || active[a - 1] <= d - kActiveWindowDays) continue;
        at = days_.try_emplace(at, DayKey{z.level, z.zone, d});
        DayCounts& c = at->second;
        ++c.active_90d;
        if (active[a - 1] == d) ++c.active;
        if (w > 0 && with_data[w - 1] == d) ++c.data;
        ++at;
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
    std::vector<const decltype(events_)::value_type*> rows;
    for (const auto& row : events_) rows.push_back(&row);
    std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->first < b->first; });
    for (const auto* row : rows) {
        const auto& [key, c] = *row;
        auto& [l, zone, day, type, technology] = key;
        const std::string& tech = technologies_->names.at(technology);
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

void Activity::save(std::string& out) const {
    const std::map<Key, std::pair<uint64_t, uint64_t>> events(events_.begin(), events_.end());
    archive_write(out, events, days_);
}

void Activity::load(std::string_view in) {
    ArchiveReader r(in);
    std::map<Key, std::pair<uint64_t, uint64_t>> events;
    r.read(events, days_);
    events_.clear();
    events_.insert(events.begin(), events.end());
}

}  // namespace mpdstat
