#include "indicators/od_trips.hpp"

#include "common/archive.hpp"

#include <algorithm>
#include <array>
#include <cmath>

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

namespace {

// The hashed entries (unpacked) and the ordered map of the keys that do not
// pack, as one list in key order: packing keeps the order of the key's
// fields, and a key is either packed or not, so no key appears twice.
template <class K, class V, class Unpack>
std::vector<std::pair<K, V>> in_key_order(const U64CountMap<V>& packed, const std::map<K, V>& unpacked, Unpack unpack) {
    std::vector<std::pair<K, V>> hashed;
    hashed.reserve(packed.size());
    for (const auto& [key, v] : packed.sorted()) hashed.emplace_back(unpack(key), v);
    std::vector<std::pair<K, V>> out;
    out.reserve(hashed.size() + unpacked.size());
    std::merge(hashed.begin(), hashed.end(), unpacked.begin(), unpacked.end(), std::back_inserter(out),
               [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

}  // namespace

std::vector<std::vector<std::pair<OdTrips::Key, OdTrips::Counts>>> OdTrips::all_trips() const {
    std::vector<std::vector<std::pair<Key, Counts>>> out;
    for (size_t k = 0; k < packed_trips_.size(); ++k)
        out.push_back(in_key_order(packed_trips_[k], trips_[k], [&](uint64_t p) { return unpack(p); }));
    return out;
}

std::vector<std::vector<std::pair<OdTrips::DailyKey, uint64_t>>> OdTrips::all_daily() const {
    std::vector<std::vector<std::pair<DailyKey, uint64_t>>> out;
    for (size_t k = 0; k < packed_daily_.size(); ++k)
        out.push_back(in_key_order(packed_daily_[k], daily_[k], [&](uint64_t p) {
            const auto [from, to, day, hour] = unpack(p);
            return DailyKey{from, to, day};
        }));
    return out;
}

std::unique_ptr<DeviceHandler> OdTrips::fresh() const { return std::make_unique<OdTrips>(space_, config_); }

namespace {

// Trips are kept in millionths of a trip: a trip between two stops whose zones
// are uncertain is shared between zone pairs, and integer sums do not depend on
// the order in which devices and threads are merged.
constexpr double kTripScale = 1'000'000;

// Adds n events on cell to the (cell, events) list cells[begin, end), in
// first-seen order.
void add_cell(std::vector<std::pair<uint32_t, uint32_t>>& cells, size_t begin, uint32_t cell, uint32_t n) {
    for (size_t k = cells.size(); k-- > begin;)
        if (cells[k].first == cell) {
            cells[k].second += n;
            return;
        }
    cells.emplace_back(cell, n);
}

// Folds repeated cells of cells[begin, end) into their first occurrence.
void merge_repeated_cells(std::vector<std::pair<uint32_t, uint32_t>>& cells, size_t begin) {
    size_t kept = begin;
    for (size_t i = begin; i < cells.size(); ++i) {
        size_t k = begin;
        while (k < kept && cells[k].first != cells[i].first) ++k;
        if (k < kept) cells[k].second += cells[i].second;
        else cells[kept++] = cells[i];
    }
    cells.resize(kept);
}

}  // namespace

bool OdTrips::stop_has_place(size_t stop, uint32_t cell) const {
    const size_t end = stop + 1 < stops_.size() ? stops_[stop + 1].places_begin : places_.size();
    return std::find(places_.begin() + stops_[stop].places_begin, places_.begin() + end, cell) != places_.begin() + end;
}

void OdTrips::build_stops(const DeviceView& v) {
    // Every run of events of the timeline (stays and the short runs of moves)
    // is a candidate stop; a device back on a cell of a stop it left at most
    // od_oscillation_minutes ago never left it (ping-pong between the cells
    // serving one place): that stop absorbs everything since, and the cells
    // seen meanwhile join its cells. Abroad breaks the chain. A merge always
    // takes the last stops, so each stop's cells and places are a slice of
    // one flat list (no allocation per stop).
    std::vector<Stop>& stops = stops_;
    stops.clear();
    cells_.clear();
    places_.clear();
    const int64_t window_ms = int64_t(config_.indicators.od_oscillation_minutes) * 60'000;
    const int64_t same_stay_ms = int64_t(config_.devices.same_stay_max_gap_hours * 3'600'000.0);
    size_t next_event = 0;
    bool broken = false;
    for (const auto& s : v.segments) {
        if (s.events == 0) continue;
        const size_t first = next_event;
        next_event = std::min(v.events.size(), next_event + s.events);
        if (s.kind == SegmentKind::abroad) {
            broken = true;
            continue;
        }
        if (s.kind != SegmentKind::stay && s.kind != SegmentKind::move) continue;
        const size_t run_cells = cells_.size();
        for (size_t i = first; i < next_event; ++i)
            if (v.events[i].cell != kNoCell) add_cell(cells_, run_cells, v.events[i].cell, 1);
        const bool after_break = broken;
        broken = false;
        if (cells_.size() == run_cells) continue;
        // The cell the run is located at (the segment's modal cell).
        const uint32_t cell = s.cell;
        size_t into = stops.size();
        if (!after_break && !stops.empty()) {
            if (stop_has_place(stops.size() - 1, cell) && s.start_ms - stops.back().end_ms <= same_stay_ms) {
                into = stops.size() - 1;
            } else if (window_ms > 0) {
                for (size_t j = stops.size() - 1; j-- > 0;) {
                    if (stops[j + 1].after_break || s.start_ms - stops[j].end_ms > window_ms) break;
                    if (stop_has_place(j, cell)) {
                        into = j;
                        break;
                    }
                }
            }
        }
        if (into == stops.size()) {
            stops.push_back({s.start_ms, s.end_ms, after_break, run_cells, places_.size()});
            places_.push_back(cell);
            continue;
        }
        Stop& to = stops[into];
        for (size_t j = into + 1; j < stops.size(); ++j) to.end_ms = std::max(to.end_ms, stops[j].end_ms);
        to.end_ms = std::max(to.end_ms, s.end_ms);
        stops.resize(into + 1);
        merge_repeated_cells(cells_, to.cells_begin);
        if (!stop_has_place(into, cell)) places_.push_back(cell);
    }
}

void OdTrips::add(const DeviceView& v) {
    const auto& zone_of = space_.places().zone;
    build_stops(v);
    // A stop shorter than od_min_stay_minutes is a stop on the way (a bus
    // change, a fuel stop, a cell seen while passing): the trip runs on to the
    // next longer stop, or ends where it began (no trip).
    const int64_t min_stay_ms = int64_t(config_.indicators.od_min_stay_minutes) * 60'000;
    for (size_t k = 0; k < space_.levels().size(); ++k) {
        size_t level = space_.levels()[k];
        // This device's trips, sorted so that equal keys are neighbours: one
        // (trips, devices) increment per key, without a map per device.
        auto& mine = scratch_;
        mine.clear();
        // A stop's zone: the share of each zone in its events' cells' weights.
        // A trip between two stops counts in (o, d) with the probability that
        // the first stop lies in o and the second in d, for o != d.
        auto& prev = prev_zones_;
        auto& cur = cur_zones_;
        prev.clear();
        int64_t prev_end = 0;
        bool broken = false;
        for (size_t si = 0; si < stops_.size(); ++si) {
            const Stop& st = stops_[si];
            broken = broken || st.after_break;
            if (st.end_ms - st.start_ms < min_stay_ms) continue;
            if (broken) prev.clear();
            broken = false;
            cur.clear();
            double total = 0;
            const size_t cells_end = si + 1 < stops_.size() ? stops_[si + 1].cells_begin : cells_.size();
            for (size_t c = st.cells_begin; c < cells_end; ++c)
                for (const auto& w : space_.weights(cells_[c].first, level)) {
                    const double n = cells_[c].second;
                    auto it = std::find_if(cur.begin(), cur.end(), [&](const auto& zw) { return zw.first == w.zone; });
                    if (it == cur.end()) cur.emplace_back(w.zone, w.weight * n);
                    else it->second += w.weight * n;
                    total += w.weight * n;
                }
            if (total <= 0) continue;
            for (auto& zw : cur) zw.second /= total;
            std::sort(cur.begin(), cur.end());
            if (!prev.empty()) {
                int64_t local = clock_.to_local_ms(prev_end);
                Day d = floor_day(local);
                if (d >= config_.input.period_start && d <= config_.input.period_end) {
                    int hour = static_cast<int>((local - int64_t(d) * kMsPerDay) / 3'600'000);
                    for (const auto& [o, po] : prev)
                        for (const auto& [z, pz] : cur)
                            if (o != z)
                                if (const auto n = static_cast<uint64_t>(std::llround(po * pz * kTripScale)))
                                    mine.push_back({Key{o, z, d, hour}, n});
                }
            }
            std::swap(prev, cur);
            prev_end = st.end_ms;
        }
        std::sort(mine.begin(), mine.end());
        for (size_t i = 0; i < mine.size();) {
            size_t j = i;
            uint64_t n = 0;
            for (; j < mine.size() && mine[j].first == mine[i].first; ++j) n += mine[j].second;
            add_trips(k, mine[i].first, Counts{n, 1});
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
    size_t total = 0;
    for (const auto& level : daily) total += level.size();
    t.rows.reserve(total);
    DayTexts dates;
    for (size_t k = 0; k < daily.size(); ++k)
        for (const auto& [key, n] : daily[k]) {
            auto [o, d, day] = key;
            t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {o, d}, {dates(day)}, {double(n)}, n});
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
    size_t total = 0;
    for (const auto& level : trips) total += level.size();
    t.rows.reserve(total);
    // Hundreds of thousands of rows share a few dates and 24 hours: each text is formatted once.
    DayTexts dates;
    std::array<std::string, 24> hours;
    for (int h = 0; h < 24; ++h) hours[size_t(h)] = fmt::format("{:02}", h);
    for (size_t k = 0; k < trips.size(); ++k)
        for (const auto& [key, v] : trips[k]) {
            auto [o, d, day, hour] = key;
            t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {o, d},
                              {dates(day), hour >= 0 && hour < 24 ? hours[size_t(hour)] : fmt::format("{:02}", hour)},
                              {double(v.first) / kTripScale, double(v.second)}, v.second});
        }
    return t;
}


void OdTrips::save(std::string& out) const {
    std::vector<std::vector<std::pair<uint64_t, Counts>>> packed_trips;
    std::vector<std::vector<std::pair<uint64_t, uint64_t>>> packed_daily;
    for (const auto& m : packed_trips_) packed_trips.push_back(m.sorted());
    for (const auto& m : packed_daily_) packed_daily.push_back(m.sorted());
    archive_write(out, packed_trips, trips_, packed_daily, daily_);
}

void OdTrips::load(std::string_view in) {
    ArchiveReader r(in);
    std::vector<std::vector<std::pair<uint64_t, Counts>>> packed_trips;
    std::vector<std::vector<std::pair<uint64_t, uint64_t>>> packed_daily;
    r.read(packed_trips, trips_, packed_daily, daily_);
    const size_t levels = packed_trips_.size();
    if (packed_trips.size() != levels || trips_.size() != levels || packed_daily.size() != levels || daily_.size() != levels)
        throw runtime_error("archive: OD state of another zone hierarchy");
    for (size_t k = 0; k < levels; ++k) {
        packed_trips_[k].clear();
        packed_daily_[k].clear();
        for (const auto& [key, c] : packed_trips[k]) packed_trips_[k][key] = c;
        for (const auto& [key, n] : packed_daily[k]) packed_daily_[k][key] = n;
    }
}

}  // namespace mpdstat
