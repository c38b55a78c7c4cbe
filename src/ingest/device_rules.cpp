#include "ingest/device_rules.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace mpdstat {

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
    constexpr double r = 6'371'008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
               std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * r * std::asin(std::min(1.0, std::sqrt(a)));
}

namespace {

struct Position {
    double lat = NAN, lon = NAN;
    bool known() const { return !std::isnan(lat); }
};

Position position(const Event& e, const CellPlan& cells) {
    if (!std::isnan(e.lat)) return {e.lat, e.lon};
    if (e.cell != kNoCell) return {cells[e.cell].lat, cells[e.cell].lon};
    return {};
}

bool same_location(const Event& a, const Event& b) {
    if (a.cell != b.cell) return false;
    bool pa = !std::isnan(a.lat), pb = !std::isnan(b.lat);
    if (pa != pb) return false;
    return !pa || (a.lat == b.lat && a.lon == b.lon);
}

}  // namespace

void apply_device_rules(std::span<const IngestRow> rows, const CleaningConfig& rules, const CellPlan& cells,
                        LocalClock& clock, std::vector<Event>& accepted, std::vector<RejectedRow>& rejected,
                        DeviceRuleCounts& counts) {
    // The working vectors of this thread, reused from device to device: allocating
    // and growing them afresh for each device cost more than the rules themselves.
    struct Scratch {
        std::vector<const IngestRow*> kept;
        std::vector<Event> events;
        std::vector<size_t> located, survivors, located2;
        std::vector<Position> pos, pos2;
        std::vector<uint8_t> drop;
    };
    thread_local Scratch scratch;
    // A rare huge device (a machine with millions of events) does not keep its
    // vectors' size pinned to the thread: they are let go after it.
    struct Trim {
        Scratch& s;
        ~Trim() {
            if (s.events.capacity() > (size_t(1) << 16)) s = Scratch{};
        }
    } trim{scratch};
    // 1. Duplicates: the first row (in file order) of each timestamp is kept.
    std::vector<const IngestRow*>& kept = scratch.kept;
    kept.clear();
    std::vector<Event>& events = scratch.events;
    events.clear();
    for (size_t i = 0; i < rows.size(); ++i) {
        if (!kept.empty() && kept.back()->event.time_ms == rows[i].event.time_ms) {
            bool same = false;
            // Compare with every kept row of this timestamp's group (usually one).
            const Event& first = kept.back()->event;
            same = same_location(first, rows[i].event);
            if (same) {
                rejected.push_back({rows[i], Reject::duplicate});
            } else {
                if (!(events.back().flags & event_flags::duplicate_conflict)) ++counts.conflicts_kept;
                events.back().flags |= event_flags::duplicate_conflict;
                rejected.push_back({rows[i], Reject::duplicate_conflict});
            }
            continue;
        }
        kept.push_back(&rows[i]);
        events.push_back(rows[i].event);
    }

    // 2. Impossible jumps, judged on the located events against their located neighbours.
    const double dmax = rules.jump_distance_km * 1000.0, vmax = rules.jump_speed_mps;
    std::vector<size_t>& located = scratch.located;
    std::vector<Position>& pos = scratch.pos;
    located.clear();
    pos.clear();
    for (size_t i = 0; i < events.size(); ++i) {
        Position p = position(events[i], cells);
        if (p.known()) {
            located.push_back(i);
            pos.push_back(p);
        }
    }
    auto jump = [&](size_t a, size_t b) {  // indices into `located`
        if (pos[a].lat == pos[b].lat && pos[a].lon == pos[b].lon) return false;
        double dt = std::abs(double(events[located[b]].time_ms - events[located[a]].time_ms)) / 1000.0;
        // A cheap upper bound first: the great-circle distance is at most the
        // path along a meridian then a parallel, r (|dlat| + |dlon|). When even
        // that (with a margin for rounding) is within reach, the move is possible
        // and the trigonometry is skipped; otherwise the exact test decides.
        constexpr double r_per_degree = 6'371'008.8 * M_PI / 180.0;
        double bound = r_per_degree * (std::abs(pos[b].lat - pos[a].lat) + std::abs(pos[b].lon - pos[a].lon)) * (1 + 1e-6);
        if (bound <= dmax || (dt > 0 && bound <= vmax * dt * (1 - 1e-6))) return false;
        double d = haversine_m(pos[a].lat, pos[a].lon, pos[b].lat, pos[b].lon);
        if (d <= dmax) return false;
        return dt <= 0 || d / dt > vmax;
    };
    std::vector<uint8_t>& drop = scratch.drop;
    drop.assign(events.size(), 0);
    for (size_t k = 0; k < located.size(); ++k)
        if (k > 0 && k + 1 < located.size() && jump(k - 1, k) && jump(k, k + 1)) drop[located[k]] = 1;
    std::vector<size_t>& survivors = scratch.survivors;
    survivors.clear();
    for (size_t i = 0; i < events.size(); ++i) {
        if (drop[i]) rejected.push_back({*kept[i], Reject::impossible_jump});
        else survivors.push_back(i);
    }
    // Among the survivors, a jump on one side only is kept but flagged.
    {
        std::vector<size_t>& loc2 = scratch.located2;
        std::vector<Position>& pos2 = scratch.pos2;
        loc2.clear();
        pos2.clear();
        for (size_t k = 0; k < located.size(); ++k)
            if (!drop[located[k]]) {
                loc2.push_back(located[k]);
                pos2.push_back(pos[k]);
            }
        located.swap(loc2);
        pos.swap(pos2);
        for (size_t k = 0; k < located.size(); ++k) {
            bool before = k > 0 && jump(k - 1, k);
            bool after = k + 1 < located.size() && jump(k, k + 1);
            if (before || after) {
                events[located[k]].flags |= event_flags::suspicious_jump;
                ++counts.suspicious_jumps;
            }
        }
    }

    // 3. Device filters on what survived.
    auto reject_all = [&](Reject why) {
        for (size_t i : survivors) {
            IngestRow r = *kept[i];
            r.event.flags = events[i].flags;
            rejected.push_back({r, why});
        }
    };
    if (survivors.empty()) return;
    if (static_cast<int>(survivors.size()) < rules.min_events_per_device) {
        ++counts.too_few_devices;
        reject_all(Reject::device_too_few_events);
        return;
    }
    if (static_cast<int>(survivors.size()) >= rules.machine_min_events) {
        bool one_cell = true;
        uint32_t cell = events[survivors[0]].cell;
        for (size_t i : survivors) one_cell &= events[i].cell == cell;
        if (one_cell && cell != kNoCell) {
            std::map<int64_t, size_t> gaps;  // rounded gap → count
            const int64_t round_ms = int64_t(rules.machine_gap_round_s) * 1000;
            for (size_t k = 1; k < survivors.size(); ++k) {
                int64_t g = events[survivors[k]].time_ms - events[survivors[k - 1]].time_ms;
                ++gaps[(g + round_ms / 2) / round_ms];
            }
            size_t modal = 0;
            for (const auto& [g, n] : gaps) modal = std::max(modal, n);
            if (double(modal) >= rules.machine_modal_share * double(survivors.size() - 1)) {
                ++counts.machine_devices;
                reject_all(Reject::device_machine);
                return;
            }
        }
    }
    if (rules.max_events_per_day > 0) {
        Day day = 0;
        int n = 0;
        for (size_t i : survivors) {
            Day d = floor_day(clock.to_local_ms(events[i].time_ms));
            n = d == day ? n + 1 : 1;
            day = d;
            if (n > rules.max_events_per_day) {
                ++counts.hyperactive_devices;
                reject_all(Reject::device_hyperactive);
                return;
            }
        }
    }
    for (size_t i : survivors) accepted.push_back(events[i]);
}

}  // namespace mpdstat
