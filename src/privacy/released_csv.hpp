#pragma once
// Writes a released table as long-format CSV:
//   zone_level,<zone columns>,<key columns>,<value columns>,status,support
// zone levels and ids from the hierarchy, rows in canonical order, suppressed
// rows with empty values and empty support. Written atomically.
#include <filesystem>
#include <string>

#include "privacy/aggregate_table.hpp"
#include "privacy/released_table.hpp"

namespace mpdstat {

void write_released_csv(const ReleasedTable& table, const ZoneHierarchyView& zones, const std::filesystem::path& path);

// A value as written: integers without decimals ("12"), others with at most 6
// decimals and no trailing zeros ("0.333333", "2.5"), never "-0", no locale;
// NaN and infinities as "" (no value).
std::string format_value(double v);

}  // namespace mpdstat
