#pragma once
// Origin–destination (METHODS.md §6): trips between consecutive stops in
// different zones, by local date and hour of departure (the end of the origin
// stop), with the distinct devices making them. A stop is a run of events
// (ping-pong between the cells of one place absorbed) lasting at least
// indicators.od_min_stay_minutes; its zone is uncertain, given by its events'
// cell weights, and a trip is shared between the zone pairs accordingly.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/u64_count_map.hpp"
#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

class OdTrips : public DeviceHandler {
public:
    OdTrips(const ZoneSpace& space, const Config& config);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable table() const;
    // Flowminder's consecutive daily locations: devices by (zone of their daily
    // location on one day, zone on the next day), stayers included.
    AggregateTable daily_locations_table() const;

private:
    using Key = std::tuple<uint32_t, uint32_t, Day, int>;  // origin, destination, date, hour
    using Counts = std::pair<uint64_t, uint64_t>;          // trips, devices
    // A key in 64 bits for the hashed totals (origin and destination below
    // 2^20, a day of the period, an hour); 0 when it does not fit.
    uint64_t pack(const Key& key) const;
    Key unpack(uint64_t packed) const;
    void add_trips(size_t level, const Key& key, const Counts& c);
    std::vector<std::vector<std::pair<Key, Counts>>> all_trips() const;  // [level], in key order
    const ZoneSpace& space_;
    const Config& config_;
    LocalClock clock_;
    // [level] key → (trips, devices): hashed by packed key while devices are
    // added (a tree look-up per trip cost more than making the trip), the
    // rare keys that do not pack in a map; ordered only for tables and save().
    std::vector<U64CountMap<Counts>> packed_trips_;
    std::vector<std::map<Key, Counts>> trips_;
    // [level] (from, to, second day) → devices: packed as (from, to, day, hour 0)
    // while devices are added, the keys that do not pack in daily_.
    using DailyKey = std::tuple<uint32_t, uint32_t, Day>;
    std::vector<U64CountMap<uint64_t>> packed_daily_;
    std::vector<std::map<DailyKey, uint64_t>> daily_;
    std::vector<std::vector<std::pair<DailyKey, uint64_t>>> all_daily() const;  // [level], in key order
    // One device's stops: runs of events at one place, after the ping-pong filter.
    struct Stop {
        int64_t start_ms = 0, end_ms = 0;
        bool after_break = false;  // abroad since the previous stop: no trip from it
        size_t cells_begin = 0;    // its (cell, events) in cells_, up to the next stop's
        size_t places_begin = 0;   // the cells its runs are located at, in places_
    };
    void build_stops(const DeviceView& v);
    bool stop_has_place(size_t stop, uint32_t cell) const;
    std::vector<Stop> stops_;
    std::vector<std::pair<uint32_t, uint32_t>> cells_;
    std::vector<uint32_t> places_;
    std::vector<std::pair<Key, uint64_t>> scratch_;  // one device's trips (millionths) at one level
    std::vector<std::pair<uint32_t, double>> prev_zones_, cur_zones_;  // zone → probability
};

}  // namespace mpdstat
