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
    // The device model's days when it computed them; else computed here.
    const bool given = v.event_days.size() == n;
    if (!given) {
        event_days_.resize(n);
        for (size_t k = 0; k < n; ++k) event_days_[k] = floor_day(clock_.to_local_ms(v.events[k].time_ms));
    }
    const std::vector<Day>& day_of = given ? v.event_days : event_days_;
    bool rising = true;
    for (size_t k = 1; k < n && rising; ++k) rising = day_of[k] >= day_of[k - 1];
    if (!rising) {
        day_order_.resize(n);
        for (size_t k = 0; k < n; ++k) day_order_[k] = static_cast<uint32_t>(k);
        std::stable_sort(day_order_.begin(), day_order_.end(),
                         [&](uint32_t a, uint32_t b) { return day_of[a] < day_of[b]; });
    }
    // Counters per (level, zone) for the current day, closed when the day
    // changes: no map or set touched per event. A day's events are first
    // counted per (cell, counter) — a device uses few cells a day — and
    // rolled up to every level's zone when the day ends.
    const size_t per_cell = counters();
    if (cell_slot_.size() < zone_of.size()) cell_slot_.resize(zone_of.size(), kNoSlot);
    Day current = 0;
    auto end_day = [&] {
        for (size_t s = 0; s < day_cells_.size(); ++s) {
            const uint32_t cell = day_cells_[s];
            uint32_t* counts = &day_events_[s * per_cell];
            for (size_t l = 0; l < levels.size(); ++l) {
                ZoneDays& z = zone_days(static_cast<uint32_t>(l), space_.roll_up(zone_of[cell], levels[l]));
                if (!z.counting || z.day != current) {
                    close_day(z);
                    z.day = current;
                    z.counting = true;
                }
                for (size_t i = 0; i < per_cell; ++i) z.events[i] += counts[i];
            }
            std::fill(counts, counts + per_cell, 0u);
            cell_slot_[cell] = kNoSlot;
        }
        day_cells_.clear();
    };
    for (size_t m = 0; m < n; ++m) {
        const size_t k = rising ? m : day_order_[m];
        const Event& e = v.events[k];
        if (e.cell == kNoCell || zone_of[e.cell] == kNoZoneIndex) continue;
        if (!day_cells_.empty() && day_of[k] != current) end_day();
        current = day_of[k];
        uint32_t& slot = cell_slot_[e.cell];
        if (slot == kNoSlot) {
            slot = static_cast<uint32_t>(day_cells_.size());
            day_cells_.push_back(e.cell);
            if (day_events_.size() < day_cells_.size() * per_cell) day_events_.resize(day_cells_.size() * per_cell, 0);
        }
        ++day_events_[size_t(slot) * per_cell + static_cast<size_t>(e.type) * technologies + technology_of[e.cell]];
    }
    end_day();
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

size_t Activity::period_days() const {
    const Day first = config_.input.period_start, last = config_.input.period_end;
    return last >= first ? static_cast<size_t>(last - first) + 1 : 0;
}

Activity::ZoneTotals* Activity::totals(uint32_t level, uint32_t zone) {
    if (totals_of_.empty())
        for (size_t l : space_.levels()) totals_of_.emplace_back(space_.zone_count(l), kNoSlot);
    if (zone >= totals_of_[level].size()) return nullptr;
    uint32_t& index = totals_of_[level][zone];
    if (index == kNoSlot) {
        index = static_cast<uint32_t>(totals_.size());
        ZoneTotals& t = totals_.emplace_back();
        t.level = level;
        t.zone = zone;
        t.event_block.assign(period_days(), kNoSlot);
        t.days.resize(period_days());
    }
    return &totals_[index];
}

Activity::EventCounts* Activity::event_counts(uint32_t level, uint32_t zone, Day day) {
    const Day first = config_.input.period_start;
    ZoneTotals* t = day >= first && static_cast<size_t>(day - first) < period_days() ? totals(level, zone) : nullptr;
    if (!t) return nullptr;
    uint32_t& block = t->event_block[size_t(day - first)];
    if (block == kNoSlot) {
        block = static_cast<uint32_t>(event_counts_.size());
        event_counts_.resize(event_counts_.size() + counters());
    }
    return &event_counts_[block];
}

void Activity::close_day(ZoneDays& z) {
    if (!z.counting) return;
    z.counting = false;
    const size_t technologies = technologies_->names.size();
    EventCounts* dense = event_counts(z.level, z.zone, z.day);
    bool data = false;
    for (size_t i = 0; i < z.events.size(); ++i) {
        if (z.events[i] == 0) continue;
        const size_t type = i / technologies;
        auto& c = dense ? dense[i]
                        : events_outside_[Key{z.level, z.zone, z.day, static_cast<uint8_t>(type),
                                              static_cast<uint32_t>(i % technologies)}];
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
    if (active.empty() || active.front() > last) return;
    ZoneTotals* dense = totals(z.level, z.zone);
    size_t a = 0, w = 0;  // past the active / data days up to d
    for (Day d = first; d <= last; ++d) {
        while (a < active.size() && active[a] <= d) ++a;
        while (w < with_data.size() && with_data[w] <= d) ++w;
        // Active in the 90 days ending on d: an active day in [d - 89, d].
        if (a == 0 || active[a - 1] <= d - kActiveWindowDays) continue;
        DayCounts& c = dense ? dense->days[size_t(d - first)] : days_outside_[DayKey{z.level, z.zone, d}];
        ++c.active_90d;
        if (active[a - 1] == d) ++c.active;
        if (w > 0 && with_data[w - 1] == d) ++c.data;
    }
}

void Activity::add_events(const Key& key, const EventCounts& c) {
    auto& [l, zone, day, type, technology] = key;
    EventCounts* dense = event_counts(static_cast<uint32_t>(l), zone, day);
    auto& m = dense ? dense[size_t(type) * technologies_->names.size() + technology] : events_outside_[key];
    m.first += c.first;
    m.second += c.second;
}

void Activity::add_day(const DayKey& key, const DayCounts& c) {
    auto& [l, zone, day] = key;
    const Day first = config_.input.period_start;
    ZoneTotals* dense =
        day >= first && static_cast<size_t>(day - first) < period_days() ? totals(static_cast<uint32_t>(l), zone) : nullptr;
    DayCounts& m = dense ? dense->days[size_t(day - first)] : days_outside_[key];
    m.active += c.active;
    m.active_90d += c.active_90d;
    m.data += c.data;
}

std::map<Activity::Key, Activity::EventCounts> Activity::all_events() const {
    std::map<Key, EventCounts> out(events_outside_);
    const size_t technologies = technologies_->names.size();
    for (const ZoneTotals& t : totals_)
        for (size_t d = 0; d < t.event_block.size(); ++d) {
            if (t.event_block[d] == kNoSlot) continue;
            const EventCounts* c = &event_counts_[t.event_block[d]];
            for (size_t i = 0; i < counters(); ++i)
                if (c[i].second > 0)
                    out.emplace_hint(out.end(), Key{t.level, t.zone, config_.input.period_start + Day(d),
                                                    static_cast<uint8_t>(i / technologies),
                                                    static_cast<uint32_t>(i % technologies)},
                                     c[i]);
        }
    return out;
}

std::map<Activity::DayKey, Activity::DayCounts> Activity::all_days() const {
    std::map<DayKey, DayCounts> out(days_outside_);
    for (const ZoneTotals& t : totals_)
        for (size_t d = 0; d < t.days.size(); ++d) {
            const DayCounts& c = t.days[d];
            if (c.active_90d > 0 || c.active > 0 || c.data > 0)
                out.emplace_hint(out.end(), DayKey{t.level, t.zone, config_.input.period_start + Day(d)}, c);
        }
    return out;
}

void Activity::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const Activity&>(other);
    // Array by array: no ordered copy of the other's totals (sums are the same in any order).
    const Day first = config_.input.period_start;
    for (const ZoneTotals& t : o.totals_)
        for (size_t d = 0; d < t.days.size(); ++d) {
            if (t.event_block[d] != kNoSlot) {
                const EventCounts* from = &o.event_counts_[t.event_block[d]];
                EventCounts* to = event_counts(t.level, t.zone, first + Day(d));
                for (size_t i = 0; i < counters(); ++i) {
                    if (from[i].second == 0) continue;
                    if (!to) {
                        add_events(Key{t.level, t.zone, first + Day(d), static_cast<uint8_t>(i / technologies_->names.size()),
                                       static_cast<uint32_t>(i % technologies_->names.size())},
                                   from[i]);
                        continue;
                    }
                    to[i].first += from[i].first;
                    to[i].second += from[i].second;
                }
            }
            const DayCounts& c = t.days[d];
            if (c.active_90d > 0 || c.active > 0 || c.data > 0) add_day(DayKey{t.level, t.zone, first + Day(d)}, c);
        }
    for (const auto& [k, c] : o.events_outside_) add_events(k, c);
    for (const auto& [k, c] : o.days_outside_) add_day(k, c);
}

AggregateTable Activity::events_table() const {
    AggregateTable t;
    t.name = "activity";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"date", "event_type", "technology"};
    t.value_columns = {"events", "devices", "events_per_device"};
    t.additive_values = 2;
    for (const auto& [key, c] : all_events()) {
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
    for (const auto& [key, c] : all_days()) {
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
    for (const auto& [key, c] : all_days()) {
        auto& [l, zone, day] = key;
        if (day != config_.input.period_end || c.active_90d == 0) continue;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone}, {format_day(day)},
                          {double(c.active_90d)}, c.active_90d});
    }
    return t;
}

void Activity::save(std::string& out) const { archive_write(out, all_events(), all_days()); }

void Activity::load(std::string_view in) {
    ArchiveReader r(in);
    std::map<Key, EventCounts> events;
    std::map<DayKey, DayCounts> days;
    r.read(events, days);
    totals_of_.clear();
    totals_.clear();
    event_counts_.clear();
    events_outside_.clear();
    days_outside_.clear();
    for (const auto& [k, c] : events) add_events(k, c);
    for (const auto& [k, c] : days) add_day(k, c);
}

}  // namespace mpdstat
