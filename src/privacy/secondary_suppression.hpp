#pragma once
// Secondary suppression: no suppressed row may be recoverable by subtraction
// from the released rows of a hierarchical table.
//
// A row's parent is the row with the same non-zone keys and every zone column
// mapped one level up (origin and destination together for OD tables). A
// parent and its children form a group: parent = sum of children. Top-level
// rows with the same keys form a group whose parent is their total, taken as
// known (it is published elsewhere or can be). A group in which exactly one
// member is suppressed gives that member away, so one more member is
// suppressed: the released child with the smallest support (ties: canonical
// row order), or — when the group has a single child — the parent. Groups are
// revisited until none has exactly one suppressed member (a fixpoint across
// levels). Because groups nest as a tree, no group having exactly one unknown
// means no suppressed value is determined by the released ones (see
// docs/disclosure_control.md). A parent row missing from the table is treated
// as known, which can only suppress more.
#include <cstdint>
#include <vector>

#include "privacy/aggregate_table.hpp"

namespace mpdstat {

enum class Suppression : uint8_t { none, primary, secondary };

// `state` has one entry per row of `table`, primary suppressions already set;
// secondary ones are added. Returns how many were added. Deterministic for a
// table in canonical order (privacy/row_order.hpp).
uint64_t suppress_secondary(const AggregateTable& table, const ZoneHierarchyView& zones, std::vector<Suppression>& state);

}  // namespace mpdstat
