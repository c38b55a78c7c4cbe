#pragma once
// The per-device pass (ARCHITECTURE.md, idea 1): each bucket of the event
// store is read once; every device's events become a DeviceView that is handed
// to every enabled accumulator. Buckets run in parallel, each with fresh
// accumulators that are merged in bucket order, so results are identical
// whatever the thread count.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "devices/device_model.hpp"
#include "devices/device_view.hpp"
#include "devices/pass_cache.hpp"
#include "spatial/cell_plan.hpp"
#include "store/event_store.hpp"

namespace mpdstat {

class DeviceHandler {
public:
    virtual ~DeviceHandler() = default;
    // An empty accumulator of the same kind and settings.
    virtual std::unique_ptr<DeviceHandler> fresh() const = 0;
    virtual void add(const DeviceView& device) = 0;
    // Adds another accumulator of the same kind into this one.
    virtual void merge(const DeviceHandler& other) = 0;
    // The accumulator's state as bytes (common/archive.hpp), and back: how
    // partial aggregates travel between MPI ranks (dist/) before the merge.
    // load() replaces the state of an accumulator made by fresh().
    virtual void save(std::string& out) const;
    virtual void load(std::string_view in);
    // Whether add() reads the events' duration_s. When no handler does, the
    // pass leaves that column of the store undecoded (durations read as 0).
    virtual bool reads_durations() const { return true; }
};

// A share of the store's buckets: [first, last). The default is all of them.
struct BucketRange {
    int first = 0;
    int last = -1;  // -1 = up to the store's bucket count
};

struct DevicePassStats {
    uint64_t devices = 0, events = 0;
    double seconds = 0;
};

// Runs the pass over days [config.input.period_start, period_end] and the
// buckets of `range`, merging them in bucket order. When micro_dir is set,
// Tier I micro data (anchors and daily summaries per device) is written there,
// one file per bucket, with micro_dir/checksums.json. With a cache, every
// computed bucket's partial aggregates are stored in it, and a bucket the
// cache holds for the same settings and partitions is loaded instead of run.
DevicePassStats run_device_pass(const EventStore& store, const CellPlan& cells, const CellPlaces& places,
                                const Config& config, const std::vector<DeviceHandler*>& handlers,
                                const std::filesystem::path& micro_dir = {}, BucketRange range = {},
                                PassCache* cache = nullptr);

}  // namespace mpdstat
