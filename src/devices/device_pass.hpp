#pragma once
// The per-device pass (ARCHITECTURE.md, idea 1): each bucket of the event
// store is read once; every device's events become a DeviceView that is handed
// to every enabled accumulator. Buckets run in parallel, each with fresh
// accumulators that are merged in bucket order, so results are identical
// whatever the thread count.
#include <filesystem>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "devices/device_model.hpp"
#include "devices/device_view.hpp"
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
};

struct DevicePassStats {
    uint64_t devices = 0, events = 0;
    double seconds = 0;
};

// Runs the pass over days [config.input.period_start, period_end]. When
// micro_dir is set, Tier I micro data (anchors and daily summaries per device)
// is written there, one file per bucket, with micro_dir/checksums.json.
DevicePassStats run_device_pass(const EventStore& store, const CellPlan& cells, const CellPlaces& places,
                                const Config& config, const std::vector<DeviceHandler*>& handlers,
                                const std::filesystem::path& micro_dir = {});

}  // namespace mpdstat
