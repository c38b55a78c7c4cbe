#pragma once
// The only form in which a Tier II table can leave the engine: output writers
// accept a ReleasedTable, and only release() can make one — so no code path can
// write a table that has not been through disclosure control.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "privacy/aggregate_table.hpp"
#include "privacy/sdc_config.hpp"
#include "privacy/sdc_summary.hpp"

namespace mpdstat {

enum class RowStatus : uint8_t { ok, suppressed };
std::string_view to_string(RowStatus s) noexcept;

class ReleasedTable;

// Applies the [sdc] rules to one table (docs/disclosure_control.md):
//  1. primary suppression: rows whose unweighted support fails the threshold
//     (privacy/threshold.hpp) — every value of the row, means and
//     percentiles included;
//  2. secondary suppression, for hierarchical tables when sdc.secondary
//     (privacy/secondary_suppression.hpp);
//  3. noise on the additive values and the support of released rows, when
//     sdc.noise is not "none" (privacy/noise.hpp);
//  4. suppressed rows lose their values (NaN) and support (0), or are
//     omitted when sdc.suppressed is "drop".
// Rows come out in canonical order (privacy/row_order.hpp). Throws a runtime
// error when the table does not match its columns or the hierarchy, or has
// two rows for the same cell.
// `withhold`, when given, names further rows to suppress as primary ones
// (counted as linked_suppressed): rows computed from cells of another table
// that were suppressed there, e.g. a mean over suppressed time points.
using RowFilter = std::function<bool(const AggregateRow&)>;
ReleasedTable release(AggregateTable table, const ZoneHierarchyView& zones, const SdcConfig& sdc,
                      const RowFilter& withhold = {});

class ReleasedTable {
public:
    ReleasedTable(const ReleasedTable&) = default;
    ReleasedTable(ReleasedTable&&) noexcept = default;
    ReleasedTable& operator=(const ReleasedTable&) = default;
    ReleasedTable& operator=(ReleasedTable&&) noexcept = default;

    // Columns and rows as released: suppressed rows carry NaN values and support 0.
    const AggregateTable& table() const noexcept { return table_; }
    const std::vector<RowStatus>& status() const noexcept { return status_; }
    size_t size() const noexcept { return table_.rows.size(); }
    const SdcSummary& summary() const noexcept { return summary_; }

private:
    ReleasedTable(AggregateTable table, std::vector<RowStatus> status, SdcSummary summary)
        : table_(std::move(table)), status_(std::move(status)), summary_(std::move(summary)) {}
    friend ReleasedTable release(AggregateTable table, const ZoneHierarchyView& zones, const SdcConfig& sdc,
                                 const RowFilter& withhold);

    AggregateTable table_;
    std::vector<RowStatus> status_;
    SdcSummary summary_;
};

}  // namespace mpdstat
