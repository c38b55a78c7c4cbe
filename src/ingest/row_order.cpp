#include "ingest/row_order.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace mpdstat {

void sort_rows(std::vector<IngestRow>& rows, std::vector<IngestRow>& dealt) {
    const size_t n = rows.size();
    if (n > std::numeric_limits<uint32_t>::max()) {
        std::sort(rows.begin(), rows.end(), row_order_less);
        return;
    }
    // Device pseudonyms are uniform hashes: the rows are first dealt into bins
    // by the top bits of the device (one pass, bins in device order), then each
    // bin — a few devices, small enough for the cache — is sorted by 24-byte keys.
    int bits = 0;
    while (bits < 12 && (n >> bits) > 256) ++bits;
    const size_t bins = size_t(1) << bits;
    auto bin_of = [bits](uint64_t device) { return bits == 0 ? size_t(0) : static_cast<size_t>(device >> (64 - bits)); };
    std::vector<uint32_t> start(bins + 1, 0);
    for (const IngestRow& r : rows) ++start[bin_of(r.event.device) + 1];
    for (size_t b = 0; b < bins; ++b) start[b + 1] += start[b];
    dealt.resize(n);
    {
        std::vector<uint32_t> at(start.begin(), start.end() - 1);
        for (const IngestRow& r : rows) dealt[at[bin_of(r.event.device)]++] = r;
    }
    struct Key {
        uint64_t device;
        int64_t time_ms;
        uint32_t index;
    };
    std::vector<Key> keys;
    for (size_t b = 0; b < bins; ++b) {
        const uint32_t first = start[b], last = start[b + 1];
        keys.clear();
        for (uint32_t i = first; i < last; ++i) keys.push_back({dealt[i].event.device, dealt[i].event.time_ms, i});
        auto less = [&dealt](const Key& a, const Key& c) {
            if (a.device != c.device) return a.device < c.device;
            if (a.time_ms != c.time_ms) return a.time_ms < c.time_ms;
            return row_order_less(dealt[a.index], dealt[c.index]);  // same device and time: rare
        };
        // Files usually list a device's events in time order, so a bin holding
        // one device is often in order already: checking costs one pass.
        if (!std::is_sorted(keys.begin(), keys.end(), less)) std::sort(keys.begin(), keys.end(), less);
        for (size_t k = 0; k < keys.size(); ++k) rows[first + k] = dealt[keys[k].index];
    }
}

}  // namespace mpdstat
