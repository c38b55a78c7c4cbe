#include "indicators/domestic_tourism.hpp"


#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "common/archive.hpp"
#include "common/error.hpp"
#include "indicators/trip_nights.hpp"

namespace mpdstat {

namespace {

size_t level_named(const SpatialModel& model, const std::string& name, size_t fallback, const char* key) {
    if (name.empty()) return fallback;
    int l = model.level_index(name);
    if (l < 0) throw config_error(fmt::format("tourism.{} names '{}', which is not a zone level", key, name));
    return static_cast<size_t>(l);
}

}  // namespace

DomesticTourism::DomesticTourism(const ZoneSpace& space, const Config& config)
    : space_(space),
      config_(config),
      judge_level_(level_named(space.model(), config.tourism.domestic_level, space.model().levels().size() - 1,
                               "domestic_level")),
      origin_level_(level_named(space.model(), config.tourism.domestic_origin_level, 0, "domestic_origin_level")) {}

std::unique_ptr<DeviceHandler> DomesticTourism::fresh() const {
    return std::make_unique<DomesticTourism>(space_, config_);
}

void DomesticTourism::add(const DeviceView& v) {
    if (v.domain != Domain::domestic || v.anchors.home == kNoZoneIndex || v.slots.empty()) return;
    const auto judged = [&](uint32_t finest) { return space_.roll_up(finest, judge_level_); };

    // The usual environment: home, work and the zones visited often enough. A
    // visit counts on a day that begins and ends at home — the places of a
    // routine, not the days of a stay away, which would otherwise make a week
    // at the seaside "usual". Where a device spends a night is where it was
    // last seen before night_hour (within a day). Slots carry their cell's
    // dominant zone, so "at home" compares with the home as those zones see it.
    const uint32_t home = judged(v.anchors.home_seen != kNoZoneIndex ? v.anchors.home_seen : v.anchors.home);
    // A handful of zones: a flat list (membership is all that is asked of it).
    thread_local std::vector<uint32_t> usual;
    usual.assign({home, judged(v.anchors.home)});
    for (uint32_t w : {v.anchors.work, v.anchors.work_seen})
        if (w != kNoZoneIndex) usual.push_back(judged(w));
    const Day first_day = v.slots.front().day;
    const size_t days = v.slots.size() / 24;
    std::vector<bool> away(days + 1, false);  // [d]: the night ending on the morning of day d
    uint32_t last_seen = kNoZoneIndex;
    size_t seen_at = 0;
    for (size_t k = 0; k < v.slots.size(); ++k) {
        if (k % 24 == size_t(config_.tourism.night_hour) && last_seen != kNoZoneIndex && k - seen_at <= 24)
            away[k / 24] = judged(last_seen) != home;
        if (v.slots[k].zone != kNoZoneIndex) last_seen = v.slots[k].zone, seen_at = k;
    }
    // Distinct visit days per zone on days at home. Slots come day by day, so
    // a (zone, day) repeats only within its day: the zones seen today say
    // whether a day is new for a zone, without a set of days per zone.
    thread_local std::vector<std::pair<uint32_t, uint32_t>> visit_days;  // zone → days
    thread_local std::vector<uint32_t> today;                           // zones seen on the current day
    visit_days.clear();
    today.clear();
    Day current = first_day;
    for (const HourSlot& s : v.slots) {
        if (s.zone == kNoZoneIndex) continue;
        const size_t d = size_t(s.day - first_day);
        if (away[d] || away[d + 1]) continue;
        if (s.day != current) today.clear(), current = s.day;
        const uint32_t z = judged(s.zone);
        if (std::find(today.begin(), today.end(), z) != today.end()) continue;
        today.push_back(z);
        auto it = std::find_if(visit_days.begin(), visit_days.end(), [&](const auto& x) { return x.first == z; });
        if (it == visit_days.end()) visit_days.emplace_back(z, 1);
        else ++it->second;
    }
    const double weeks = double(days) / 7.0;
    const double needed = std::max(1.0, config_.tourism.domestic_usual_visits_per_week * weeks);
    for (const auto& [z, n] : visit_days)
        if (double(n) >= needed) usual.push_back(z);

    const auto outside = [&](const HourSlot& s) {
        return s.zone != kNoZoneIndex && std::find(usual.begin(), usual.end(), judged(s.zone)) == usual.end();
    };
    const std::string origin =
        space_.hierarchy().zone_ids[origin_level_][space_.roll_up(v.anchors.home, origin_level_)];
    const auto& levels = space_.levels();
    std::map<Key, uint64_t> trips, nights, same_day;
    bool travelled = false;
    const size_t n = v.slots.size();
    size_t i = 0;
    while (i < n) {
        if (!outside(v.slots[i])) {
            ++i;
            continue;
        }
        // A trip: hours outside, bridging hours of unknown whereabouts, until an hour inside.
        size_t last = i;
        size_t j = i + 1;
        for (; j < n && (v.slots[j].zone == kNoZoneIndex || outside(v.slots[j])); ++j)
            if (v.slots[j].zone != kNoZoneIndex) last = j;
        const size_t first = i;
        i = last + 1;
        // Only hours seen away count: a trip ends with its last hour seen
        // outside, so a night counts when the device is seen away on both sides
        // of night_hour (the continuity model carries a stay through a quiet
        // night). Counting the silence before the first hour back home as away
        // would turn every evening out at a rarely visited place into a night.
        const double hours = double(last - first + 1);
        // Each night_hour instant inside the trip, placed where the device was the hour before.
        std::vector<std::pair<Day, uint32_t>> trip_nights_at;  // (evening, finest zone)
        uint32_t where = kNoZoneIndex;
        for (size_t k = first; k <= last; ++k) {
            if (k > first && v.slots[k].hour == config_.tourism.night_hour && where != kNoZoneIndex)
                trip_nights_at.push_back({v.slots[k].day - 1, where});
            if (v.slots[k].zone != kNoZoneIndex) where = v.slots[k].zone;
        }
        const bool overnight = !trip_nights_at.empty() && hours >= config_.tourism.domestic_overnight_hours;
        if (!overnight && hours < config_.tourism.domestic_min_hours) continue;  // passing through
        travelled = true;
        ++totals_.trips;
        const std::string month = month_of(v.slots[first].day);
        std::set<std::pair<size_t, uint32_t>> destinations;
        for (size_t k = first; k <= last; ++k)
            if (v.slots[k].zone != kNoZoneIndex)
                for (size_t l = 0; l < levels.size(); ++l)
                    destinations.insert({l, space_.roll_up(v.slots[k].zone, levels[l])});
        for (const auto& [l, z] : destinations) {
            ++trips[{l, z, origin, month}];
            if (!overnight) ++same_day[{l, z, origin, month}];
        }
        if (!overnight) {
            ++totals_.same_day_visits;
            continue;
        }
        ++totals_.overnight_trips;
        for (const auto& [evening, zone] : trip_nights_at) {
            ++totals_.nights;
            ++nights_by_zone_[zone];
            for (size_t l = 0; l < levels.size(); ++l)
                ++nights[{l, space_.roll_up(zone, levels[l]), origin, month_of(evening)}];
        }
    }
    if (travelled) ++totals_.visitors;
    std::set<Key> any;
    for (const auto& [k, c] : trips) counts_[k].trips += c, any.insert(k);
    for (const auto& [k, c] : same_day) counts_[k].same_day += c;
    for (const auto& [k, c] : nights) counts_[k].nights += c, any.insert(k);
    for (const auto& k : any) ++counts_[k].visitors;
}

void DomesticTourism::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const DomesticTourism&>(other);
    for (const auto& [k, c] : o.counts_) {
        Counts& m = counts_[k];
        m.visitors += c.visitors;
        m.trips += c.trips;
        m.nights += c.nights;
        m.same_day += c.same_day;
    }
    for (const auto& [z, c] : o.nights_by_zone_) nights_by_zone_[z] += c;
    totals_.visitors += o.totals_.visitors;
    totals_.trips += o.totals_.trips;
    totals_.overnight_trips += o.totals_.overnight_trips;
    totals_.nights += o.totals_.nights;
    totals_.same_day_visits += o.totals_.same_day_visits;
}

AggregateTable DomesticTourism::table() const {
    AggregateTable t;
    t.name = "tourism_domestic";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"origin", "month"};
    t.value_columns = {"visitors", "trips", "nights", "same_day_visits"};
    t.additive_values = 4;
    for (const auto& [key, c] : counts_) {
        auto& [l, zone, origin, month] = key;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {zone}, {origin, month},
                          {double(c.visitors), double(c.trips), double(c.nights), double(c.same_day)}, c.visitors});
    }
    return t;
}

void DomesticTourism::save(std::string& out) const { archive_write(out, counts_, nights_by_zone_, totals_); }

void DomesticTourism::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(counts_, nights_by_zone_, totals_);
}

}  // namespace mpdstat
