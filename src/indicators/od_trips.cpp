#include "indicators/od_trips.hpp"

#include "common/archive.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace mpdstat {

OdTrips::OdTrips(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), clock_(config.input.timezone), packed_trips_(space.levels().size()),
      trips_(space.levels().size()), packed_daily_(space.levels().size()), daily_(space.levels().size()) {}

uint64_t OdTrips::pack(const Key& key) const {
    const auto& [origin, destination, day, hour] = key;
    const int64_t offset = int64_t(day) - int64_t(config_.input.period_start);
    if (origin >= (1u << 20) || destination >= (1u << 20) || offset < 0 || offset >= (1 << 19) || hour < 0 || hour >= 24)
        return 0;
    // +1: 0 stays "does not pack".
    return (uint64_t(origin) << 44 | uint64_t(destination) << 24 | uint64_t(offset) << 5 | uint64_t(hour)) + 1;
}

OdTrips::Key OdTrips::unpack(uint64_t packed) const {
    const uint64_t k = packed - 1;
    return Key{uint32_t(k >> 44), uint32_t(k >> 24) & ((1u << 20) - 1),
               Day(int64_t(config_.input.period_start) + int64_t((k >> 5) & ((1u << 19) - 1))), int(k & 31)};
}

void OdTrips::add_trips(size_t level, const Key& key, const Counts& c) {
    const uint64_t packed = pack(key);
    auto& m = packed ? packed_trips_[level][packed] : trips_[level][key];
    m.first += c.first;
    m.second += c.second;
}

std::vector<std::map<OdTrips::Key, OdTrips::Counts>> OdTrips::all_trips() const {
    std::vector<std::map<Key, Counts>> out = trips_;
    for (size_t k = 0; k < packed_trips_.size(); ++k)
        packed_trips_[k].for_each([&](uint64_t packed, const Counts& c) {
            auto& m = out[k][unpack(packed)];
            m.first += c.first;
            m.second += c.second;
        });
    return out;
}

std::vector<std::map<OdTrips::DailyKey, uint64_t>> OdTrips::all_daily() const {
    std::vector<std::map<DailyKey, uint64_t>> out = daily_;
    for (size_t k = 0; k < packed_daily_.size(); ++k)
        packed_daily_[k].for_each([&](uint64_t packed, uint64_t n) {
            const auto [from, to, day, hour] = unpack(packed);
            out[k][DailyKey{from, to, day}] += n;
        });
    return out;
}

std::unique_ptr<DeviceHandler> OdTrips::fresh() const { return std::make_unique<OdTrips>(space_, config_); }

void OdTrips::add(const DeviceView& v) {
    const auto& zone_of = space_.places().zone;
    for (size_t k = 0; k < space_.levels().size(); ++k) {
        size_t level = space_.levels()[k];
        // This device's trips, sorted so that equal keys are neighbours: one
        // (trips, devices) increment per key, without a map per device.
        std::vector<Key>& mine = scratch_;
        mine.clear();
        uint32_t prev_zone = kNoZoneIndex;
        int64_t prev_end = 0;
        // A stay shorter than od_min_stay_minutes is a stop on the way (a
        // bus change, a fuel stop, a cell seen while passing): the trip runs
        // on to the next longer stay, or ends where it began (no trip).
        const int64_t min_stay_ms = int64_t(config_.indicators.od_min_stay_minutes) * 60'000;
        for (const auto& s : v.segments) {
            if (s.kind != SegmentKind::stay || s.end_ms - s.start_ms < min_stay_ms) continue;
            uint32_t z = s.cell == kNoCell ? kNoZoneIndex : space_.roll_up(zone_of[s.cell], level);
            if (z == kNoZoneIndex) continue;
            if (prev_zone != kNoZoneIndex && z != prev_zone) {
                int64_t local = clock_.to_local_ms(prev_end);
                Day d = floor_day(local);
                if (d >= config_.input.period_start && d <= config_.input.period_end) {
                    int hour = static_cast<int>((local - int64_t(d) * kMsPerDay) / 3'600'000);
                    mine.push_back({prev_zone, z, d, hour});
                }
            }
            prev_zone = z;
            prev_end = s.end_ms;
        }
        std::sort(mine.begin(), mine.end());
        for (size_t i = 0; i < mine.size();) {
            size_t j = i + 1;
            while (j < mine.size() && mine[j] == mine[i]) ++j;
            add_trips(k, mine[i], Counts{j - i, 1});
            i = j;
        }
        // Consecutive calendar days that both have a daily location.
        for (size_t i = 1; i < v.days.size(); ++i) {
            const DeviceDay &a = v.days[i - 1], &b = v.days[i];
            if (b.day != a.day + 1 || a.daily_location == kNoCell || b.daily_location == kNoCell) continue;
            uint32_t za = space_.roll_up(zone_of[a.daily_location], level);
            uint32_t zb = space_.roll_up(zone_of[b.daily_location], level);
            if (za == kNoZoneIndex || zb == kNoZoneIndex) continue;
            if (const uint64_t packed = pack(Key{za, zb, b.day, 0})) ++packed_daily_[k][packed];
            else ++daily_[k][{za, zb, b.day}];
        }
    }
}

void OdTrips::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const OdTrips&>(other);
    for (size_t k = 0; k < trips_.size(); ++k) {
        o.packed_trips_[k].for_each([&](uint64_t packed, const Counts& c) {
            auto& mine = packed_trips_[k][packed];
            mine.first += c.first;
            mine.second += c.second;
        });
        for (const auto& [key, c] : o.trips_[k]) add_trips(k, key, c);
        o.packed_daily_[k].for_each([&](uint64_t packed, uint64_t n) { packed_daily_[k][packed] += n; });
        for (const auto& [key, n] : o.daily_[k]) daily_[k][key] += n;
    }
}

AggregateTable OdTrips::daily_locations_table() const {
    AggregateTable t;
    t.name = "od_daily_locations";
    t.zone_columns = {"origin", "destination"};
    t.key_columns = {"date"};
    t.value_columns = {"devices"};
    const auto daily = all_daily();
    for (size_t k = 0; k < daily.size(); ++k)
        for (const auto& [key, n] : daily[k]) {
            auto [o, d, day] = key;
            t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {o, d}, {format_day(day)}, {double(n)}, n});
        }
    return t;
}

AggregateTable OdTrips::table() const {
    AggregateTable t;
    t.name = "od_trips";
    t.zone_columns = {"origin", "destination"};
    t.key_columns = {"date", "departure_hour"};
    t.value_columns = {"trips", "devices"};
    t.additive_values = 2;
    const auto trips = all_trips();
    for (size_t k = 0; k < trips.size(); ++k)
        for (const auto& [key, v] : trips[k]) {
            auto [o, d, day, hour] = key;
            t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {o, d}, {format_day(day), fmt::format("{:02}", hour)},
                              {double(v.first), double(v.second)}, v.second});
        }
    return t;
}

void OdTrips::save(std::string& out) const { archive_write(out, all_trips(), all_daily()); }

void OdTrips::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(trips_, daily_);
    for (auto& m : packed_trips_) m.clear();
    for (auto& m : packed_daily_) m.clear();
}

}  // namespace mpdstat
