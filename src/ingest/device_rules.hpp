#pragma once
// Rules that need a device's whole, time-sorted event sequence (METHODS.md §3):
// duplicates, impossible jumps, and the device filters (machine-like,
// hyperactive, too few events). Each rejected row gets exactly one reason.
#include <cstdint>
#include <span>
#include <vector>

#include "common/civil_time.hpp"
#include "config/config.hpp"
#include "ingest/reject_reason.hpp"
#include "ingest/row_parser.hpp"
#include "spatial/cell_plan.hpp"

namespace mpdstat {

struct RejectedRow {
    IngestRow row;
    Reject reason;
};

struct DeviceRuleCounts {
    uint64_t suspicious_jumps = 0;     // kept, flagged
    uint64_t conflicts_kept = 0;       // kept, flagged
    uint64_t machine_devices = 0;
    uint64_t hyperactive_devices = 0;
    uint64_t too_few_devices = 0;
};

// Great-circle distance in metres (lat/lon in degrees).
double haversine_m(double lat1, double lon1, double lat2, double lon2);

// Applies the rules to one device's rows, sorted by (time, file, line).
// Accepted events are appended to `accepted` in time order.
void apply_device_rules(std::span<const IngestRow> rows, const CleaningConfig& rules, const CellPlan& cells,
                        LocalClock& clock, std::vector<Event>& accepted, std::vector<RejectedRow>& rejected,
                        DeviceRuleCounts& counts);

}  // namespace mpdstat
