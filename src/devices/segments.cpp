#include "devices/segments.hpp"

#include <algorithm>
#include <map>

namespace mpdstat {

std::string_view segment_kind_name(SegmentKind k) {
    switch (k) {
        case SegmentKind::stay: return "stay";
        case SegmentKind::move: return "move";
        case SegmentKind::abroad: return "abroad";
        default: return "unknown";
    }
}

namespace {

// Consecutive events at one place: the building block of both rule sets.
struct Run {
    int64_t first = 0, last = 0;
    bool abroad = false;
    uint16_t mcc = 0;
    std::vector<std::pair<uint32_t, uint32_t>> cells;  // cell → events, in first-seen order
    uint32_t events = 0;
    uint32_t modal() const {
        uint32_t best = kNoCell, n = 0;
        for (auto [c, k] : cells)
            if (k > n) best = c, n = k;
        return best;
    }
    void add(const Event& e) {
        last = e.time_ms;
        ++events;
        for (auto& [c, k] : cells)
            if (c == e.cell) {
                ++k;
                return;
            }
        cells.emplace_back(e.cell, 1);
    }
};

void start_run(Run& r, const Event& e) {
    r.first = r.last = e.time_ms;
    r.abroad = e.cell == kNoCell;
    r.mcc = e.serving_mcc;
    r.events = 1;
    r.cells.clear();
    if (!r.abroad) r.cells.emplace_back(e.cell, 1);
}

// Runs kept from device to device (per thread) with their cell lists, so that
// a device's timeline allocates nothing once they have grown.
class Runs {
public:
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Run& operator[](size_t i) { return runs_[i]; }
    Run& back() { return runs_[size_ - 1]; }
    void clear() { size_ = 0; }
    Run& push() {
        if (size_ == runs_.size()) runs_.emplace_back();
        return runs_[size_++];
    }
    void push_back(const Run& r) { push() = r; }  // copy-assigned: reuses the cell list's memory

private:
    std::vector<Run> runs_;
    size_t size_ = 0;
};

// ESS continuity: an event joins the current run when its cell overlaps one of
// the run's cells and the gap is at most the same-stay limit; abroad events
// join while the country is unchanged and the gap is at most the abroad limit.
void continuity_runs(std::span<const Event> ev, const SegmentRules& r, const CellGeometry& geo, Runs& runs) {
    runs.clear();
    for (const Event& e : ev) {
        if (!runs.empty()) {
            Run& cur = runs.back();
            int64_t gap = e.time_ms - cur.last;
            bool abroad = e.cell == kNoCell;
            if (abroad && cur.abroad && e.serving_mcc == cur.mcc && gap <= r.abroad_max_gap_ms) {
                cur.last = e.time_ms;
                ++cur.events;
                continue;
            }
            if (!abroad && !cur.abroad && gap <= r.same_stay_max_gap_ms) {
                // A cell the run already has joins it (the usual case): counted
                // without testing overlaps; else it joins when it overlaps one.
                auto same = std::find_if(cur.cells.begin(), cur.cells.end(), [&](const auto& ck) { return ck.first == e.cell; });
                if (same != cur.cells.end()) {
                    cur.last = e.time_ms;
                    ++cur.events;
                    ++same->second;
                    continue;
                }
                bool joins = false;
                for (auto [c, k] : cur.cells)
                    if (geo.overlap(c, e.cell)) {
                        joins = true;
                        break;
                    }
                if (joins) {
                    cur.add(e);
                    continue;
                }
            }
        }
        start_run(runs.push(), e);
    }
}

// GDF speed hysteresis: runs of one cell; a change of cell is a move when the
// speed between run starts exceeds gdf_move, and neighbouring changes faster
// than gdf_join belong to the same move; runs between moves merge into stays.
void gdf_runs(std::span<const Event> ev, const SegmentRules& r, const CellGeometry& geo, Runs& runs) {
    thread_local Runs cell_runs;
    cell_runs.clear();
    for (const Event& e : ev) {
        if (!cell_runs.empty()) {
            Run& cur = cell_runs.back();
            bool abroad = e.cell == kNoCell;
            if (abroad ? (cur.abroad && cur.mcc == e.serving_mcc && e.time_ms - cur.last <= r.abroad_max_gap_ms)
                       : (!cur.abroad && cur.cells.front().first == e.cell && e.time_ms - cur.last <= r.same_stay_max_gap_ms)) {
                if (abroad) {
                    cur.last = e.time_ms;
                    ++cur.events;
                } else {
                    cur.add(e);
                }
                continue;
            }
        }
        start_run(cell_runs.push(), e);
    }
    size_t n = cell_runs.size();
    // speed[i]: between run i and i+1 (start to start).
    std::vector<double> speed(n > 0 ? n - 1 : 0, 0.0);
    for (size_t i = 0; i + 1 < n; ++i) {
        const Run &a = cell_runs[i], &b = cell_runs[i + 1];
        if (a.abroad || b.abroad) {
            speed[i] = 1e9;
            continue;
        }
        double dt = std::max<double>(1.0, double(b.first - a.first) / 1000.0);
        speed[i] = geo.distance_m(a.cells.front().first, b.cells.front().first) / dt;
    }
    std::vector<bool> moving(speed.size(), false);
    for (size_t i = 0; i < speed.size(); ++i) moving[i] = speed[i] > r.gdf_move_mps;
    // Hysteresis: extend moves over neighbouring transitions above the join speed.
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < speed.size(); ++i) {
            if (moving[i] || speed[i] <= r.gdf_join_mps) continue;
            if ((i > 0 && moving[i - 1]) || (i + 1 < speed.size() && moving[i + 1])) moving[i] = changed = true;
        }
    }
    runs.clear();
    for (size_t i = 0; i < n; ++i) {
        const Run& cr = cell_runs[i];
        bool joins = i > 0 && !moving[i - 1] && !runs.empty() && !runs.back().abroad && !cr.abroad &&
                     cr.first - runs.back().last <= r.same_stay_max_gap_ms;
        if (joins) {
            Run& cur = runs.back();
            cur.last = cr.last;
            cur.events += cr.events;
            for (auto [c, k] : cr.cells) {
                bool found = false;
                for (auto& [c2, k2] : cur.cells)
                    if (c2 == c) k2 += k, found = true;
                if (!found) cur.cells.emplace_back(c, k);
            }
        } else {
            runs.push_back(cr);
        }
    }
}

}  // namespace

std::vector<Segment> build_segments(std::span<const Event> ev, const SegmentRules& r, const CellGeometry& geo) {
    std::vector<Segment> out;
    build_segments(ev, r, geo, out);
    return out;
}

void build_segments(std::span<const Event> ev, const SegmentRules& r, const CellGeometry& geo, std::vector<Segment>& out) {
    out.clear();
    if (ev.empty()) return;
    thread_local Runs runs;
    if (r.gdf) gdf_runs(ev, r, geo, runs);
    else continuity_runs(ev, r, geo, runs);

    auto run_segment = [&](const Run& run) {
        Segment s;
        s.start_ms = run.first;
        s.end_ms = run.last;
        s.events = run.events;
        if (run.abroad) {
            s.kind = SegmentKind::abroad;
            s.mcc = run.mcc;
        } else {
            s.cell = run.modal();
            // A run shorter than the stay minimum is a place passed through.
            s.kind = run.last - run.first >= r.stay_min_ms ? SegmentKind::stay : SegmentKind::move;
            s.to_cell = s.cell;
        }
        return s;
    };

    out.push_back(run_segment(runs[0]));
    out.back().start_ms -= r.padding_ms;
    for (size_t i = 1; i < runs.size(); ++i) {
        Segment next = run_segment(runs[i]);
        Segment& prev = out.back();
        int64_t gap = next.start_ms - prev.end_ms;
        bool both_located = prev.kind != SegmentKind::abroad && next.kind != SegmentKind::abroad;
        if (gap <= r.move_max_gap_ms && both_located) {
            // A move between two places; its halves belong to each end.
            Segment m;
            m.kind = SegmentKind::move;
            m.start_ms = prev.end_ms;
            m.end_ms = next.start_ms;
            m.cell = prev.cell;
            m.to_cell = next.cell;
            if (m.end_ms > m.start_ms) out.push_back(m);
        } else if (gap <= 2 * r.padding_ms) {
            // Too short to pad both sides fully: meet in the middle.
            int64_t mid = prev.end_ms + gap / 2;
            prev.end_ms = mid;
            next.start_ms = mid;
        } else {
            prev.end_ms += r.padding_ms;
            Segment u;
            u.kind = SegmentKind::unknown;
            u.start_ms = prev.end_ms;
            u.end_ms = next.start_ms - r.padding_ms;
            next.start_ms = u.end_ms;
            out.push_back(u);
        }
        out.push_back(next);
    }
    out.back().end_ms += r.padding_ms;
    // Zero-length segments (a single event with no padding) keep one instant.
    for (auto& s : out)
        if (s.end_ms <= s.start_ms) s.end_ms = s.start_ms + 1;
}

uint32_t cell_at(const std::vector<Segment>& segs, std::span<const Event> ev, int64_t t, int64_t window_ms) {
    auto it = std::upper_bound(segs.begin(), segs.end(), t, [](int64_t x, const Segment& s) { return x < s.start_ms; });
    if (it != segs.begin()) {
        const Segment& s = *(it - 1);
        if (t < s.end_ms) {
            switch (s.kind) {
                case SegmentKind::stay: return s.cell;
                case SegmentKind::move: return t < s.start_ms + (s.end_ms - s.start_ms) / 2 ? s.cell : s.to_cell;
                case SegmentKind::abroad: return kNoCell;
                case SegmentKind::unknown: break;
            }
        }
    }
    // Not covered: the nearest located event within the window.
    auto e = std::lower_bound(ev.begin(), ev.end(), t, [](const Event& x, int64_t v) { return x.time_ms < v; });
    uint32_t best = kNoCell;
    int64_t best_d = window_ms + 1;
    for (auto k = e; k != ev.end() && k->time_ms - t <= window_ms; ++k)
        if (k->cell != kNoCell) {
            best = k->cell, best_d = k->time_ms - t;
            break;
        }
    for (auto k = e; k != ev.begin();) {
        --k;
        if (t - k->time_ms > window_ms) break;
        if (k->cell != kNoCell) {
            if (t - k->time_ms < best_d) best = k->cell;
            break;
        }
    }
    return best;
}

uint32_t TimelineCursor::nearest_event(int64_t t) {
    while (next_event_ < ev_.size() && ev_[next_event_].time_ms < t) ++next_event_;
    uint32_t best = kNoCell;
    int64_t best_d = window_ + 1;
    for (size_t k = next_event_; k < ev_.size() && ev_[k].time_ms - t <= window_; ++k)
        if (ev_[k].cell != kNoCell) {
            best = ev_[k].cell, best_d = ev_[k].time_ms - t;
            break;
        }
    for (size_t k = next_event_; k > 0;) {
        --k;
        if (t - ev_[k].time_ms > window_) break;
        if (ev_[k].cell != kNoCell) {
            if (t - ev_[k].time_ms < best_d) best = ev_[k].cell;
            break;
        }
    }
    return best;
}

}  // namespace mpdstat
