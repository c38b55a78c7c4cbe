#pragma once
// Statistical disclosure control (METHODS.md §7). release() is the only way to
// obtain a ReleasedTable, and the Tier II writer accepts nothing else, so no
// code path can write an unprotected table.
//
// Primary suppression: a row is released only if its support (distinct
// devices, unweighted) is at least min_devices — the one comparison, here.
// Secondary suppression: in a hierarchical table, the children of a released
// parent row (same keys, zones one level up; for two zone columns, both mapped
// up) and the top-level rows (children of the total anyone can add up) must
// not hold exactly one suppressed row, or it could be recovered by
// subtraction: the released child with the smallest support is suppressed too,
// until no group has a lone suppressed row.
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

enum class RowStatus : uint8_t { ok, primary, secondary };

struct SdcSummary {
    std::string table;
    uint64_t rows = 0, released = 0, primary = 0, secondary = 0, dropped = 0;
    uint64_t min_devices = 0;
};

class ReleasedTable {
public:
    const AggregateTable& table() const noexcept { return table_; }
    const std::vector<RowStatus>& status() const noexcept { return status_; }
    const SdcSummary& summary() const noexcept { return summary_; }
    bool drop_suppressed() const noexcept { return drop_; }

private:
    friend ReleasedTable release(AggregateTable table, const ZoneHierarchyView& zones, const SdcConfig& config);
    ReleasedTable() = default;
    AggregateTable table_;
    std::vector<RowStatus> status_;
    SdcSummary summary_;
    bool drop_ = false;
};

ReleasedTable release(AggregateTable table, const ZoneHierarchyView& zones, const SdcConfig& config);

// Writes the long-format CSV: zone_level, <zone columns>, <key columns>,
// <value columns>, status, support. Suppressed rows keep their keys with
// empty values and support (or are left out with sdc.suppressed = "drop").
void write_released_csv(const ReleasedTable& released, const ZoneHierarchyView& zones, const std::filesystem::path& path);

// Numbers as written: integers without decimals, others with up to 6 decimals, no locale.
std::string format_value(double v);

}  // namespace mpdstat
