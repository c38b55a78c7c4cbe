#include "indicators/od_trips.hpp"

#include <fmt/format.h>

namespace mpdstat {

OdTrips::OdTrips(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), clock_(config.input.timezone), trips_(space.levels().size()) {}

std::unique_ptr<DeviceHandler> OdTrips::fresh() const { return std::make_unique<OdTrips>(space_, config_); }

void OdTrips::add(const DeviceView& v) {
    const auto& zone_of = space_.places().zone;
    for (size_t k = 0; k < space_.levels().size(); ++k) {
        size_t level = space_.levels()[k];
        std::map<Key, uint64_t> mine;
        uint32_t prev_zone = kNoZoneIndex;
        int64_t prev_end = 0;
        for (const auto& s : v.segments) {
            if (s.kind != SegmentKind::stay) continue;
            uint32_t z = s.cell == kNoCell ? kNoZoneIndex : space_.roll_up(zone_of[s.cell], level);
            if (z == kNoZoneIndex) continue;
            if (prev_zone != kNoZoneIndex && z != prev_zone) {
                int64_t local = clock_.to_local_ms(prev_end);
                Day d = floor_day(local);
                if (d >= config_.input.period_start && d <= config_.input.period_end) {
                    int hour = static_cast<int>((local - int64_t(d) * kMsPerDay) / 3'600'000);
                    ++mine[{prev_zone, z, d, hour}];
                }
            }
            prev_zone = z;
            prev_end = s.end_ms;
        }
        for (const auto& [key, n] : mine) {
            auto& cell = trips_[k][key];
            cell.first += n;
            cell.second += 1;
        }
    }
}

void OdTrips::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const OdTrips&>(other);
    for (size_t k = 0; k < trips_.size(); ++k)
        for (const auto& [key, v] : o.trips_[k]) {
            auto& mine = trips_[k][key];
            mine.first += v.first;
            mine.second += v.second;
        }
}

AggregateTable OdTrips::table() const {
    AggregateTable t;
    t.name = "od_trips";
    t.zone_columns = {"origin", "destination"};
    t.key_columns = {"date", "departure_hour"};
    t.value_columns = {"trips", "devices"};
    t.additive_values = 2;
    for (size_t k = 0; k < trips_.size(); ++k)
        for (const auto& [key, v] : trips_[k]) {
            auto [o, d, day, hour] = key;
            t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {o, d}, {format_day(day), fmt::format("{:02}", hour)},
                              {double(v.first), double(v.second)}, v.second});
        }
    return t;
}

}  // namespace mpdstat
