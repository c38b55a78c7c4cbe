#include "devices/device_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace mpdstat {

DeviceModel::DeviceModel(const Config& config, const CellPlaces& places)
    : config_(config), places_(places), anchor_rules_(AnchorRules::from_config(config)), clock_(config.input.timezone),
      window_ms_(int64_t(config.devices.presence_window_minutes) * 60'000) {
    anchor_rules_.location = places.location.get();
    const auto& d = config.devices;
    rules_.stay_min_ms = int64_t(d.stay_min_minutes) * 60'000;
    rules_.same_stay_max_gap_ms = int64_t(d.same_stay_max_gap_hours) * 3'600'000;
    rules_.move_max_gap_ms = int64_t(d.move_max_gap_minutes) * 60'000;
    rules_.padding_ms = int64_t(d.padding_minutes) * 60'000;
    rules_.abroad_max_gap_ms = int64_t(d.abroad_max_gap_hours) * 3'600'000;
    rules_.gdf = d.segmentation == "gdf";
    rules_.gdf_move_mps = d.gdf_move_kmh / 3.6;
    rules_.gdf_join_mps = d.gdf_join_kmh / 3.6;
    geometry_.distance_m = [&places](uint32_t a, uint32_t b) {
        return std::hypot(places.x[a] - places.x[b], places.y[a] - places.y[b]);
    };
    geometry_.x = places.x.data();
    geometry_.y = places.y.data();
    geometry_.overlap_m2 = d.overlap_m * d.overlap_m;
}

void DeviceModel::build(uint64_t device, std::span<const Event> events, DeviceView& v) {
    v.device = device;
    v.events = events;
    size_t by_domain[3] = {0, 0, 0};
    for (const Event& e : events) ++by_domain[static_cast<size_t>(e.domain)];
    v.domain = Domain::domestic;
    if (by_domain[1] > by_domain[0] && by_domain[1] >= by_domain[2]) v.domain = Domain::inbound;
    else if (by_domain[2] > by_domain[0] && by_domain[2] > by_domain[1]) v.domain = Domain::outbound;
    build_segments(events, rules_, geometry_, v.segments);
    hour_slots(v);
    daily_summaries(v);
    v.anchors = compute_anchors(v, anchor_rules_, places_.zone, clock_);
}

void DeviceModel::hour_slots(DeviceView& v) {
    v.slots.clear();
    if (v.events.empty()) return;
    Day first = floor_day(clock_.to_local_ms(v.events.front().time_ms));
    Day last = floor_day(clock_.to_local_ms(v.events.back().time_ms));
    TimelineCursor cursor(v.segments, v.events, window_ms_);
    int64_t previous = INT64_MIN;
    for (Day d = first; d <= last; ++d)
        for (int h = 0; h < 24; ++h) {
            int64_t local_mid = int64_t(d) * kMsPerDay + int64_t(h) * 3'600'000 + 1'800'000;
            // Around a DST change two wall times may map to one instant: keep time rising.
            int64_t utc = std::max(previous, clock_.to_utc_ms(local_mid));
            previous = utc;
            uint32_t cell = cursor.at(utc);
            HourSlot s;
            s.day = d;
            s.hour = static_cast<uint8_t>(h);
            s.cell = cell;
            s.zone = cell == kNoCell ? kNoZoneIndex : places_.zone[cell];
            v.slots.push_back(s);
        }
}

void DeviceModel::daily_summaries(DeviceView& v) {
    v.days.clear();
    const std::string& rule = config_.devices.daily_location;
    const bool count_cells = rule == "most_frequent";  // only that rule reads the day's cell counts
    // Each event's local day, computed once (and kept in the view for the accumulators).
    auto& local_days = v.event_days;
    local_days.resize(v.events.size());
    for (size_t k = 0; k < v.events.size(); ++k) local_days[k] = floor_day(clock_.to_local_ms(v.events[k].time_ms));
    size_t i = 0;
    while (i < v.events.size()) {
        Day d = local_days[i];
        size_t j = i;
        while (j < v.events.size() && local_days[j] == d) ++j;
        DeviceDay day;
        day.day = d;
        day.events = static_cast<uint32_t>(j - i);
        // cell → (events, last position); a device sees few cells a day, so a flat list.
        auto& counts = day_cells_;
        auto& zones = day_zones_;
        counts.clear();
        zones.clear();
        double sx = 0, sy = 0;
        uint32_t previous = kNoCell;  // the cell of the last located event: its zone is already listed
        for (size_t k = i; k < j; ++k) {
            const Event& e = v.events[k];
            if (e.cell == kNoCell) {
                day.abroad |= e.domain == Domain::outbound;
                continue;
            }
            ++day.located_events;
            day.last_cell = e.cell;
            if (count_cells) {
                auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& x) { return x.first == e.cell; });
                if (it == counts.end()) {
                    counts.push_back({e.cell, {0, 0}});
                    it = counts.end() - 1;
                }
                ++it->second.first;
                it->second.second = k;
            }
            sx += places_.x[e.cell];
            sy += places_.y[e.cell];
            if (e.cell == previous) continue;
            previous = e.cell;
            uint32_t z = places_.zone[e.cell];
            if (z != kNoZoneIndex && std::find(zones.begin(), zones.end(), z) == zones.end()) zones.push_back(z);
        }
        day.distinct_zones = static_cast<uint32_t>(zones.size());
        if (day.located_events > 0) {
            double cx = sx / day.located_events, cy = sy / day.located_events, ss = 0;
            for (size_t k = i; k < j; ++k) {
                const Event& e = v.events[k];
                if (e.cell == kNoCell) continue;
                ss += (places_.x[e.cell] - cx) * (places_.x[e.cell] - cx) + (places_.y[e.cell] - cy) * (places_.y[e.cell] - cy);
            }
            day.gyration_m = std::sqrt(ss / day.located_events);
        }
        if (rule == "last") {
            day.daily_location = day.last_cell;
        } else if (rule == "most_frequent") {
            // Most events; ties go to the cell seen latest in the day.
            std::pair<uint32_t, size_t> best{0, 0};
            for (const auto& [cell, c] : counts)
                if (c.first > best.first || (c.first == best.first && c.second > best.second)) {
                    best = c;
                    day.daily_location = cell;
                }
        }
        v.days.push_back(day);
        i = j;
    }
    // Majority: the cell holding more than half of the day's located hours.
    if (rule == "majority") {
        for (auto& day : v.days) {
            std::map<uint32_t, int> hours;
            int known = 0;
            for (const auto& s : v.slots)
                if (s.day == day.day && s.cell != kNoCell) ++hours[s.cell], ++known;
            for (const auto& [cell, n] : hours)
                if (2 * n > known) day.daily_location = cell;
        }
    }
    // Distance: between consecutive stays, counted on the day the second begins.
    uint32_t prev = kNoCell;
    size_t di = 0;
    for (const auto& s : v.segments) {
        if (s.kind != SegmentKind::stay) continue;
        if (prev != kNoCell && prev != s.cell) {
            Day d = floor_day(clock_.to_local_ms(s.start_ms));
            while (di < v.days.size() && v.days[di].day < d) ++di;
            if (di < v.days.size() && v.days[di].day == d)
                v.days[di].distance_m += std::hypot(places_.x[prev] - places_.x[s.cell], places_.y[prev] - places_.y[s.cell]);
        }
        prev = s.cell;
    }
}

}  // namespace mpdstat
