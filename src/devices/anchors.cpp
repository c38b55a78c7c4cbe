#include "devices/anchors.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace mpdstat {

AnchorRules AnchorRules::from_config(const Config& config) {
    AnchorRules r;
    r.c = config.anchors;
    r.holidays.insert(config.anchors.holidays.begin(), config.anchors.holidays.end());
    r.period_end = config.input.period_end;
    return r;
}

namespace {

bool in_window(int hour, int start, int end) {  // [start, end), wrapping past midnight
    return start <= end ? (hour >= start && hour < end) : (hour >= start || hour < end);
}

// Slots come in time order, so distinct days, nights and workdays are counted
// by remembering the last one seen rather than keeping sets.
struct DistinctDays {
    Day last = std::numeric_limits<Day>::min();
    size_t n = 0;
    void add(Day d) {
        if (d != last) last = d, ++n;
    }
    size_t size() const { return n; }
    bool empty() const { return n == 0; }
};

struct ZoneScore {
    uint32_t zone = kNoZoneIndex;
    int64_t all = 0, night = 0, work = 0;
    DistinctDays days, nights, workdays;
};

}  // namespace

// ESS: permanence (slots present) and frequency (days present) per zone.
Anchors anchors_ess(const DeviceView& v, const AnchorRules& r) {
    Anchors a;
    const auto& c = r.c;
    int observed = 0;
    for (const auto& d : v.days) observed += d.located_events > 0;
    if (observed < c.ess_min_days || observed == 0) return a;
    a.observed_enough = true;

    std::vector<ZoneScore> zone_scores;  // a device uses few zones: a flat list, sorted by zone below
    DistinctDays all_nights, all_workdays;
    for (const auto& s : v.slots) {
        if (s.zone == kNoZoneIndex) continue;
        auto it = std::find_if(zone_scores.begin(), zone_scores.end(), [&](const ZoneScore& z) { return z.zone == s.zone; });
        if (it == zone_scores.end()) {
            zone_scores.emplace_back();
            it = zone_scores.end() - 1;
            it->zone = s.zone;
        }
        ZoneScore& z = *it;
        ++z.all;
        // The functional day starts at day_start_hour: early hours belong to the day before.
        Day fday = s.hour < c.day_start_hour ? s.day - 1 : s.day;
        z.days.add(fday);
        if (in_window(s.hour, c.night_start_hour, c.night_end_hour)) {
            ++z.night;
            Day night_of = s.hour < c.night_end_hour ? s.day - 1 : s.day;
            z.nights.add(night_of);
            all_nights.add(night_of);
        }
        if (in_window(s.hour, c.work_start_hour, c.work_end_hour) && !r.is_rest_day(s.day)) {  // the cheap test first
            ++z.work;
            z.workdays.add(s.day);
            all_workdays.add(s.day);
        }
    }
    if (zone_scores.empty()) return a;
    std::sort(zone_scores.begin(), zone_scores.end(), [](const ZoneScore& x, const ZoneScore& y) { return x.zone < y.zone; });
    std::vector<const ZoneScore*> zs;
    int64_t total = 0, total_night = 0, total_work = 0;
    for (const auto& z : zone_scores) {
        zs.push_back(&z);
        total += z.all;
        total_night += z.night;
        total_work += z.work;
    }
    // Usual environment: the top zones by permanence until they hold ue_share
    // of it, none below gap_cut of the top zone. Ties: the lower zone index.
    std::stable_sort(zs.begin(), zs.end(), [](const ZoneScore* x, const ZoneScore* y) { return x->all > y->all; });
    int64_t cum = 0;
    for (const ZoneScore* z : zs) {
        if (double(z->all) < c.ess_gap_cut * double(zs.front()->all)) break;
        a.usual.push_back(z->zone);
        cum += z->all;
        if (double(cum) >= c.ess_ue_share * double(total)) break;
    }
    // Home: the zone with the most night presence, if it holds home_share of
    // the night score; else (per device) of the nights observed. Ties: more
    // nights, then the lower zone index.
    std::vector<const ZoneScore*> by_zone;
    for (const auto& z : zone_scores) by_zone.push_back(&z);
    auto best_of = [&](auto key1, auto key2, uint32_t exclude) {
        const ZoneScore* best = nullptr;
        for (const ZoneScore* z : by_zone) {
            if (z->zone == exclude) continue;
            if (!best || key1(*z) > key1(*best) || (key1(*z) == key1(*best) && key2(*z) > key2(*best))) best = z;
        }
        return best;
    };
    auto night_score = [](const ZoneScore& z) { return int64_t(z.night); };
    auto night_days = [](const ZoneScore& z) { return int64_t(z.nights.size()); };
    if (const ZoneScore* h = best_of(night_score, night_days, kNoZoneIndex); h && h->night > 0) {
        if (double(h->night) >= c.ess_home_share * double(total_night)) a.home = h->zone;
    }
    if (a.home == kNoZoneIndex) {
        const ZoneScore* h = best_of(night_days, night_score, kNoZoneIndex);
        if (h && !all_nights.empty() && double(h->nights.size()) >= c.ess_home_share * double(all_nights.size()))
            a.home = h->zone;
    }
    // Work: the zone other than home with the most working-hour presence on
    // workdays, if it holds work_share of that score or of the workdays observed.
    auto work_score = [](const ZoneScore& z) { return int64_t(z.work); };
    auto work_days = [](const ZoneScore& z) { return int64_t(z.workdays.size()); };
    if (const ZoneScore* w = best_of(work_score, work_days, a.home); w && w->work > 0) {
        bool by_score = total_work > 0 && double(w->work) >= c.ess_work_share * double(total_work);
        bool by_days = !all_workdays.empty() && double(w->workdays.size()) >= c.ess_work_share * double(all_workdays.size());
        if (by_score || by_days) a.work = w->zone;
    }
    // Home and work belong to the usual environment.
    for (uint32_t z : {a.home, a.work})
        if (z != kNoZoneIndex && std::find(a.usual.begin(), a.usual.end(), z) == a.usual.end()) a.usual.push_back(z);
    std::sort(a.usual.begin(), a.usual.end());
    return a;
}

// GDF: per zone, distinct days, weekend days, night days and work-hour days.
Anchors anchors_gdf(const DeviceView& v, const AnchorRules& r, std::span<const uint32_t> zone_of_cell, LocalClock& clock) {
    Anchors a;
    const auto& c = r.c;
    struct Count {
        uint32_t zone;
        std::set<Day> days, weekend, night, work;
    };
    std::map<uint32_t, Count> per;
    for (const Event& e : v.events) {
        if (e.cell == kNoCell || zone_of_cell[e.cell] == kNoZoneIndex) continue;
        uint32_t zone = zone_of_cell[e.cell];
        int64_t local = clock.to_local_ms(e.time_ms);
        Day d = floor_day(local);
        int hour = static_cast<int>((local - int64_t(d) * kMsPerDay) / 3'600'000);
        Count& k = per[zone];
        k.zone = zone;
        k.days.insert(d);
        if (r.is_rest_day(d)) k.weekend.insert(d);
        if (in_window(hour, c.gdf_night_start_hour, c.gdf_night_end_hour))
            k.night.insert(hour < c.gdf_night_end_hour ? d - 1 : d);
        else if (!r.is_rest_day(d))
            k.work.insert(d);
    }
    std::vector<const Count*> top;
    for (const auto& [z, k] : per)
        if (static_cast<int>(k.days.size()) >= c.gdf_min_days) top.push_back(&k);
    a.observed_enough = !top.empty();
    std::stable_sort(top.begin(), top.end(), [](const Count* x, const Count* y) { return x->days.size() > y->days.size(); });
    if (static_cast<int>(top.size()) > c.gdf_top_locations) top.resize(size_t(c.gdf_top_locations));
    const Count* home = nullptr;
    for (const Count* k : top) {
        if (static_cast<int>(k->night.size()) < c.gdf_home_night_days || static_cast<int>(k->weekend.size()) < c.gdf_home_weekend_days)
            continue;
        if (!home || k->night.size() > home->night.size() ||
            (k->night.size() == home->night.size() && k->weekend.size() > home->weekend.size()))
            home = k;
    }
    const Count* work = nullptr;
    for (const Count* k : top) {
        if (k == home || static_cast<int>(k->work.size()) < c.gdf_work_days ||
            static_cast<int>(k->weekend.size()) > c.gdf_work_max_weekend_days)
            continue;
        if (!work || k->work.size() > work->work.size()) work = k;
    }
    if (home) a.home = home->zone;
    if (work) a.work = work->zone;
    for (const Count* k : top) a.usual.push_back(k->zone);
    std::sort(a.usual.begin(), a.usual.end());
    return a;
}

// Flowminder: home = modal zone of the daily last-event location over the last
// modal_window_days of the period; ties go to the most recent.
Anchors anchors_modal_last(const DeviceView& v, const AnchorRules& r, std::span<const uint32_t> zone_of_cell) {
    Anchors a;
    Day from = r.period_end - r.c.modal_window_days + 1;
    std::map<uint32_t, std::pair<int, Day>> votes;  // zone → (days, most recent day)
    for (const auto& d : v.days) {
        if (d.day < from || d.last_cell == kNoCell) continue;
        uint32_t z = zone_of_cell[d.last_cell];
        if (z == kNoZoneIndex) continue;
        auto& [n, last] = votes[z];
        ++n;
        last = std::max(last, d.day);
    }
    const std::pair<const uint32_t, std::pair<int, Day>>* best = nullptr;
    for (const auto& kv : votes)
        if (!best || kv.second.first > best->second.first ||
            (kv.second.first == best->second.first && kv.second.second > best->second.second))
            best = &kv;
    if (best) {
        a.observed_enough = true;
        a.home = best->first;
        a.usual = {best->first};
    }
    return a;
}

Anchors anchors_between(const DeviceView& v, Day from, Day to, const AnchorRules& rules,
                        std::span<const uint32_t> zone_of_cell, LocalClock& clock) {
    DeviceView part;
    part.device = v.device;
    part.domain = v.domain;
    // Events are time-sorted: the period's events are one contiguous run.
    size_t a = 0, e = 0;
    while (a < v.events.size() && floor_day(clock.to_local_ms(v.events[a].time_ms)) < from) ++a;
    for (e = a; e < v.events.size() && floor_day(clock.to_local_ms(v.events[e].time_ms)) <= to;) ++e;
    part.events = v.events.subspan(a, e - a);
    for (const auto& s : v.slots)
        if (s.day >= from && s.day <= to) part.slots.push_back(s);
    for (const auto& d : v.days)
        if (d.day >= from && d.day <= to) part.days.push_back(d);
    AnchorRules r = rules;
    r.period_end = to;
    r.with_work = false;
    return compute_anchors(part, r, zone_of_cell, clock);
}

namespace {

// The cells of the observations behind a rule set's home and work, counted per cell.
struct AnchorObservations {
    std::vector<CellCount> home, work;
};

void count_cell(std::vector<CellCount>& counts, uint32_t cell) {
    auto it = std::lower_bound(counts.begin(), counts.end(), cell, [](const CellCount& c, uint32_t x) { return c.cell < x; });
    if (it != counts.end() && it->cell == cell) ++it->n;
    else counts.insert(it, {cell, 1});
}

AnchorObservations anchor_observations(const DeviceView& v, const AnchorRules& r, LocalClock& clock) {
    AnchorObservations o;
    const auto& c = r.c;
    if (c.rules == "gdf") {  // night events; working-hour events on workdays
        for (const Event& e : v.events) {
            if (e.cell == kNoCell) continue;
            int64_t local = clock.to_local_ms(e.time_ms);
            Day d = floor_day(local);
            int hour = static_cast<int>((local - int64_t(d) * kMsPerDay) / 3'600'000);
            if (in_window(hour, c.gdf_night_start_hour, c.gdf_night_end_hour)) count_cell(o.home, e.cell);
            // Not every non-night hour: evenings at home would pull the work place home.
            else if (r.with_work && in_window(hour, c.work_start_hour, c.work_end_hour) && !r.is_rest_day(d))
                count_cell(o.work, e.cell);
        }
    } else if (c.rules == "modal_last") {  // the daily last cells of the window
        for (const auto& d : v.days)
            if (d.day > r.period_end - c.modal_window_days && d.last_cell != kNoCell) count_cell(o.home, d.last_cell);
    } else {  // ess: night slots; working-hour slots on workdays
        for (const auto& s : v.slots) {
            if (s.cell == kNoCell || s.zone == kNoZoneIndex) continue;
            if (in_window(s.hour, c.night_start_hour, c.night_end_hour)) count_cell(o.home, s.cell);
            if (r.with_work && in_window(s.hour, c.work_start_hour, c.work_end_hour) && !r.is_rest_day(s.day))
                count_cell(o.work, s.cell);
        }
    }
    return o;
}

// The rule set decides whether a device has a home (work); the posterior over
// the cells of those observations says where. A work place found in the home
// zone is no work place (work is a zone other than home).
void locate_anchors(Anchors& a, const DeviceView& v, const AnchorRules& r, LocalClock& clock) {
    if (a.home == kNoZoneIndex && a.work == kNoZoneIndex) return;
    AnchorObservations o = anchor_observations(v, r, clock);
    auto relocate = [&](uint32_t& anchor, const std::vector<CellCount>& cells) {
        if (anchor == kNoZoneIndex) return;
        uint32_t z = r.location->locate(cells);
        if (z == kNoZone || z == anchor) return;
        std::replace(a.usual.begin(), a.usual.end(), anchor, z);
        anchor = z;
    };
    relocate(a.home, o.home);
    relocate(a.work, o.work);
    if (a.work == a.home) a.work = kNoZoneIndex;
    std::sort(a.usual.begin(), a.usual.end());
    a.usual.erase(std::unique(a.usual.begin(), a.usual.end()), a.usual.end());
}

}  // namespace

Anchors compute_anchors(const DeviceView& v, const AnchorRules& r, std::span<const uint32_t> zone_of_cell, LocalClock& clock) {
    Anchors a = r.c.rules == "gdf"          ? anchors_gdf(v, r, zone_of_cell, clock)
                : r.c.rules == "modal_last" ? anchors_modal_last(v, r, zone_of_cell)
                                            : anchors_ess(v, r);
    a.home_seen = a.home;
    a.work_seen = a.work;
    if (!r.with_work) a.work = a.work_seen = kNoZoneIndex;
    if (r.location && !r.location->empty()) locate_anchors(a, v, r, clock);
    return a;
}

}  // namespace mpdstat
