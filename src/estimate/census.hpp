#pragma once
// The reference population: a CSV of zone id and population at one zone level,
// summed up to every coarser level through the zone tree.
#include <filesystem>
#include <string>
#include <vector>

#include "config/estimate_config.hpp"
#include "estimate/zone_tree.hpp"

namespace mpdstat {

struct Census {
    size_t level = 0;                            // the census level (index in the zone tree)
    std::vector<std::vector<double>> population; // [level][zone]; empty for levels finer than the census
    std::vector<std::string> missing_zones;      // census-level zones without a row (read as 0, reported)

    bool has(size_t level_index) const { return level_index <= level; }
    double total() const;

    // Throws a config error for an unknown level, a data error naming file:line
    // for an unknown zone id, a duplicate or a value that is not a number >= 0.
    static Census load(const EstimateConfig& config, const ZoneTree& zones);
    // For tests: populations of the zones of `level`, in zone order.
    static Census from_values(const ZoneTree& zones, size_t level, const std::vector<double>& values);
};

}  // namespace mpdstat
