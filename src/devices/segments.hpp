#pragma once
// A device's day-to-day timeline (METHODS.md §5): its time-sorted events
// become segments — stay, move, abroad or unknown — that cover every instant
// from its first event (less padding) to its last (plus padding), in order and
// without overlap. Two rule sets: the ESS continuity model (default) and the
// GDF training's speed hysteresis.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "store/event.hpp"

namespace mpdstat {

enum class SegmentKind : uint8_t { stay, move, abroad, unknown };
std::string_view segment_kind_name(SegmentKind k);

struct Segment {
    int64_t start_ms = 0, end_ms = 0;  // [start, end)
    SegmentKind kind = SegmentKind::unknown;
    uint32_t cell = kNoCell;     // stay: its location; move: where it came from
    uint32_t to_cell = kNoCell;  // move: where it went (the second half of the move is there)
    uint16_t mcc = 0;            // abroad: the serving network's country
    uint32_t events = 0;
};

struct SegmentRules {
    int64_t stay_min_ms = 15 * 60'000LL;
    int64_t same_stay_max_gap_ms = 12 * 3'600'000LL;
    int64_t move_max_gap_ms = 2 * 3'600'000LL;
    int64_t padding_ms = 5 * 60'000LL;
    int64_t abroad_max_gap_ms = 72 * 3'600'000LL;
    bool gdf = false;  // speed hysteresis instead of the continuity model
    double gdf_move_mps = 10.0 / 3.6;
    double gdf_join_mps = 3.0 / 3.6;
};

// Where cells are: whether two cells overlap (same place for the continuity
// model) and the distance between them in metres.
struct CellGeometry {
    std::function<double(uint32_t, uint32_t)> distance_m;
    // Projected cell positions (metres) and the overlap distance squared: two
    // cells overlap when they are within that distance (tested per event by the
    // continuity model, hence inline and without a square root).
    const double* x = nullptr;
    const double* y = nullptr;
    double overlap_m2 = 0;
    bool overlap(uint32_t a, uint32_t b) const {
        const double dx = x[a] - x[b], dy = y[a] - y[b];
        return dx * dx + dy * dy <= overlap_m2;
    }
};

std::vector<Segment> build_segments(std::span<const Event> events, const SegmentRules& rules, const CellGeometry& geo);
// The same into `out` (replaced), reusing its memory.
void build_segments(std::span<const Event> events, const SegmentRules& rules, const CellGeometry& geo,
                    std::vector<Segment>& out);

// The cell where the device is at instant t: the stay covering t, the half of
// the move covering t; else the cell of the nearest event within ± window_ms;
// kNoCell when abroad or unknown.
uint32_t cell_at(const std::vector<Segment>& segments, std::span<const Event> events, int64_t t, int64_t window_ms);

// cell_at() for a rising sequence of instants (hourly slots, time points):
// walks the timeline once instead of searching it for every instant.
class TimelineCursor {
public:
    TimelineCursor(const std::vector<Segment>& segments, std::span<const Event> events, int64_t window_ms)
        : segs_(segments), ev_(events), window_(window_ms) {}
    // t must not decrease between calls. The segment walk is inline (the
    // cursor is asked at every time point of every device); only instants
    // no segment covers search the events.
    uint32_t at(int64_t t) {
        while (seg_ < segs_.size() && segs_[seg_].end_ms <= t) ++seg_;
        if (seg_ < segs_.size() && segs_[seg_].start_ms <= t) {
            const Segment& s = segs_[seg_];
            switch (s.kind) {
                case SegmentKind::stay: return s.cell;
                case SegmentKind::move: return t < s.start_ms + (s.end_ms - s.start_ms) / 2 ? s.cell : s.to_cell;
                case SegmentKind::abroad: return kNoCell;
                case SegmentKind::unknown: break;
            }
        }
        return nearest_event(t);
    }

private:
    uint32_t nearest_event(int64_t t);  // the nearest located event within the window
    const std::vector<Segment>& segs_;
    std::span<const Event> ev_;
    int64_t window_;
    size_t seg_ = 0, next_event_ = 0;
};

}  // namespace mpdstat
