#pragma once
// The order of a bucket's rows before the device rules: by (device, time),
// ties by (file, line) so the first row in file order comes first.
#include <vector>

#include "ingest/row_parser.hpp"

namespace mpdstat {

inline bool row_order_less(const IngestRow& a, const IngestRow& b) noexcept {
    if (a.event.device != b.event.device) return a.event.device < b.event.device;
    if (a.event.time_ms != b.event.time_ms) return a.event.time_ms < b.event.time_ms;
    if (a.file != b.file) return a.file < b.file;
    return a.line < b.line;
}

// Sorts rows by row_order_less: the rows are dealt into bins by the device's
// top bits, then each bin is sorted by 24-byte keys and its rows placed once.
// `scratch` holds the dealt rows; a caller sorting many buckets passes the same
// one each time (its capacity kept: fresh pages cost more than the sort).
void sort_rows(std::vector<IngestRow>& rows, std::vector<IngestRow>& scratch);
inline void sort_rows(std::vector<IngestRow>& rows) {
    std::vector<IngestRow> scratch;
    sort_rows(rows, scratch);
}

}  // namespace mpdstat
