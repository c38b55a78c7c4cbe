#include "ingest/row_order.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace mpdstat {

void sort_rows(std::vector<IngestRow>& rows, RowSortScratch& scratch) {
    const size_t n = rows.size();
    if (n > std::numeric_limits<uint32_t>::max()) {
        std::sort(rows.begin(), rows.end(), row_order_less);
        return;
    }
    // Device pseudonyms are uniform hashes: the keys are first dealt into bins
    // by the top bits of the device (one pass, bins in device order), then each
    // bin — a few devices, small enough for the cache — is sorted.
    int bits = 0;
    while (bits < 16 && (n >> bits) > 32) ++bits;
    const size_t bins = size_t(1) << bits;
    auto bin_of = [bits](uint64_t device) { return bits == 0 ? size_t(0) : static_cast<size_t>(device >> (64 - bits)); };
    std::vector<uint32_t> start(bins + 1, 0);
    for (const IngestRow& r : rows) ++start[bin_of(r.event.device) + 1];
    for (size_t b = 0; b < bins; ++b) start[b + 1] += start[b];
    using Key = RowSortScratch::Key;
    std::vector<Key>& keys = scratch.keys;
    keys.resize(n);
    {
        std::vector<uint32_t> at(start.begin(), start.end() - 1);
        for (size_t i = 0; i < n; ++i) {
            const Event& e = rows[i].event;
            keys[at[bin_of(e.device)]++] = {e.device, e.time_ms, static_cast<uint32_t>(i)};
        }
    }
    auto less = [&rows](const Key& a, const Key& c) {
        if (a.device != c.device) return a.device < c.device;
        if (a.time_ms != c.time_ms) return a.time_ms < c.time_ms;
        // Same device and time (rare): file and line, then the rows' order, so that
        // even equal rows come in the order of a stable sort.
        if (row_order_less(rows[a.index], rows[c.index])) return true;
        if (row_order_less(rows[c.index], rows[a.index])) return false;
        return a.index < c.index;
    };
    for (size_t b = 0; b < bins; ++b) {
        // Files usually list a device's events in time order, so a bin holding
        // one device is often in order already: checking costs one pass.
        auto first = keys.begin() + start[b], last = keys.begin() + start[b + 1];
        if (!std::is_sorted(first, last, less)) std::sort(first, last, less);
    }
    // Each row read once, from anywhere in the bucket: asked for ahead of its turn.
    std::vector<IngestRow>& sorted = scratch.rows;
    sorted.resize(n);
    constexpr size_t kAhead = 16;
    for (size_t k = 0; k < n; ++k) {
        if (k + kAhead < n) __builtin_prefetch(&rows[keys[k + kAhead].index]);
        sorted[k] = rows[keys[k].index];
    }
    rows.swap(sorted);
}

}  // namespace mpdstat
