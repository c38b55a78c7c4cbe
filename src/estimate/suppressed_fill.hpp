#pragma once
// Suppressed Tier II rows, handled explicitly: either kept suppressed, or
// estimated from the parent level — the parent's value minus its released
// children, shared among the suppressed children in proportion to their census
// population (equally below the census level). Such rows are flagged
// `estimated`; docs/estimate.md explains why they disclose nothing Tier II
// does not, and why their values are released only rounded.
#include <cstdint>
#include <vector>

#include "config/estimate_config.hpp"
#include "estimate/census.hpp"
#include "estimate/tier2_table.hpp"
#include "estimate/zone_tree.hpp"

namespace mpdstat {

enum class RowKind : uint8_t { released, estimated, suppressed };

// A row's measure in the operator's units (devices, trips …) and its variance.
struct FilledValue {
    RowKind kind = RowKind::suppressed;
    double value = 0;     // NaN when suppressed
    double variance = 0;  // sampling variance of `value`
};

struct FillStats {
    uint64_t estimated = 0;       // suppressed rows given a value from their parent
    uint64_t left_suppressed = 0; // no usable parent (top level, or the parent suppressed too)
    uint64_t incoherent_groups = 0;  // released children adding up to more than their released parent
};

// One entry per row of `table`. Released rows: their value, variance
// value² / support (a total over `support` devices). With `keep`, suppressed
// rows stay suppressed; with `parent`, levels are filled top-down so that an
// estimated parent can serve its own children. The top level has no parent in
// Tier II and stays suppressed.
std::vector<FilledValue> fill_suppressed(const Tier2Table& table, const ZoneTree& zones, const Census& census,
                                         SuppressedHandling mode, FillStats* stats = nullptr);

}  // namespace mpdstat
