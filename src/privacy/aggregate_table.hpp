#pragma once
// A Tier II table before disclosure control: rows of keys and measures, each
// row with the number of distinct devices behind it (its support). Indicator
// accumulators produce these; only privacy::release() turns one into a
// ReleasedTable, the one type that output writers accept.
//
// Zone columns carry the hierarchy, so that disclosure control can find the
// rows whose sum is another released row (a parent zone, or the total) and
// protect suppressed rows against recovery by subtraction.
#include <cstdint>
#include <string>
#include <vector>

namespace mpdstat {

// How zones nest: for each level (coarsest first), each zone's parent index in
// the previous level (empty vector for the top level). Zone ids per level.
struct ZoneHierarchyView {
    std::vector<std::string> level_names;                // coarsest first
    std::vector<std::vector<std::string>> zone_ids;      // [level][zone]
    std::vector<std::vector<uint32_t>> parent;           // [level][zone] → index in level-1; empty for level 0
};

struct AggregateRow {
    uint32_t level = 0;                 // zone level index (into ZoneHierarchyView), same for all zone columns
    std::vector<uint32_t> zones;        // one zone index per zone column, at `level`
    std::vector<std::string> keys;      // the other key columns' values, already formatted (time, date, label, …)
    std::vector<double> values;         // one per measure column; additive measures first
    uint64_t support = 0;               // distinct devices behind the row (unweighted)
};

struct AggregateTable {
    std::string name;                         // file stem, e.g. "present_population"
    std::vector<std::string> zone_columns;    // e.g. {"zone_id"} or {"origin", "destination"}
    std::vector<std::string> key_columns;     // e.g. {"time"}; written after the zone columns
    std::vector<std::string> value_columns;   // e.g. {"devices"} or {"devices", "mean", "median", "p90"}
    // How many of value_columns (from the first) add up across child zones
    // (counts). The rest (means, medians, percentiles) do not, and are only
    // released with their row.
    size_t additive_values = 1;
    // Whether the rows of a parent zone equal the sum of its children's rows
    // (true for counts of where devices are; the table then needs every level).
    bool hierarchical = true;
    std::vector<AggregateRow> rows;
};

}  // namespace mpdstat
