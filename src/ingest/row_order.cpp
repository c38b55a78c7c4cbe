#include "ingest/row_order.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace mpdstat {

void sort_rows(std::vector<IngestRow>& rows) {
    if (rows.size() > std::numeric_limits<uint32_t>::max()) {
        std::sort(rows.begin(), rows.end(), row_order_less);
        return;
    }
    struct Key {
        uint64_t device;
        int64_t time_ms;
        uint32_t index;
    };
    std::vector<Key> keys(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) keys[i] = {rows[i].event.device, rows[i].event.time_ms, uint32_t(i)};
    std::sort(keys.begin(), keys.end(), [&rows](const Key& a, const Key& b) {
        if (a.device != b.device) return a.device < b.device;
        if (a.time_ms != b.time_ms) return a.time_ms < b.time_ms;
        return row_order_less(rows[a.index], rows[b.index]);  // same device and time: rare
    });
    std::vector<IngestRow> sorted(rows.size());
    for (size_t i = 0; i < keys.size(); ++i) sorted[i] = rows[keys[i].index];
    rows.swap(sorted);
}

}  // namespace mpdstat
