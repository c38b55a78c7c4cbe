#pragma once
// Writes a released table as Parquet with the columns of its CSV
// (privacy/released_csv.hpp), typed:
//   zone_level, zone columns, key columns, status   STRING (dictionary-encoded)
//   value columns                                   DOUBLE, null when suppressed
//   support                                         INT64, null when suppressed
// Values are the numbers the CSV shows (format_value), so both files publish
// the same figures. Written atomically, ZSTD-compressed, with statistics.
#include <filesystem>
#include <string>

#include "privacy/aggregate_table.hpp"
#include "privacy/released_table.hpp"

namespace mpdstat {

void write_released_parquet(const ReleasedTable& table, const ZoneHierarchyView& zones, const std::filesystem::path& path);

}  // namespace mpdstat
