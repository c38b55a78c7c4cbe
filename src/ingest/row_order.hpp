#pragma once
// The order of a bucket's rows before the device rules: by (device, time),
// ties by (file, line) so the first row in file order comes first.
#include <cstdint>
#include <vector>

#include "ingest/row_parser.hpp"

namespace mpdstat {

inline bool row_order_less(const IngestRow& a, const IngestRow& b) noexcept {
    if (a.event.device != b.event.device) return a.event.device < b.event.device;
    if (a.event.time_ms != b.event.time_ms) return a.event.time_ms < b.event.time_ms;
    if (a.file != b.file) return a.file < b.file;
    return a.line < b.line;
}

// What sort_rows works in. A caller sorting many buckets passes the same one
// each time: its capacity is kept (fresh pages cost more than the sort).
struct RowSortScratch {
    struct Key {
        uint64_t device;
        int64_t time_ms;
        uint32_t index;  // of the row in the unsorted rows
    };
    std::vector<Key> keys;
    std::vector<IngestRow> rows;  // the sorted rows, swapped into the caller's vector
};

// Sorts rows by row_order_less. Only 24-byte keys are dealt into bins (by the
// device's top bits) and sorted; each 64-byte row is then moved once, to its
// place. `rows` is swapped with scratch.rows, so each keeps its capacity.
void sort_rows(std::vector<IngestRow>& rows, RowSortScratch& scratch);
inline void sort_rows(std::vector<IngestRow>& rows) {
    RowSortScratch scratch;
    sort_rows(rows, scratch);
}

}  // namespace mpdstat
