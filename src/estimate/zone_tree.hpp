#pragma once
// The zone hierarchy of a Tier II folder, read from the geo/zones_<level>.geojson
// files that `run` writes next to tier2/ (zone_id, name, parent_id, level, lon,
// lat): levels coarsest first, each zone's parent, and centroids for flow maps.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace mpdstat {

inline constexpr uint32_t kNoZoneId = std::numeric_limits<uint32_t>::max();

struct ZoneTree {
    struct Level {
        std::string name;
        std::filesystem::path file;  // the GeoJSON the level came from
        std::vector<std::string> ids, names;
        std::vector<uint32_t> parent;  // index in the previous level; kNoZoneId on the top level
        std::vector<double> lon, lat;  // representative point
        std::unordered_map<std::string, uint32_t> index;
    };
    std::vector<Level> levels;  // coarsest first

    // Index of a level by name, or -1.
    int level_index(std::string_view name) const;
    // Zone index of `id` at `level`, or kNoZoneId.
    uint32_t find(size_t level, const std::string& id) const;
    // The ancestor of zone `z` of level `from` at the coarser level `to` (z itself when to == from).
    uint32_t ancestor(size_t from, uint32_t z, size_t to) const;
    // Same levels and zone ids (in the same order) as `other`.
    bool same_as(const ZoneTree& other) const;

    // Reads every geo/zones_*.geojson of a Tier II folder and orders the levels
    // by their parent links. Throws a data error naming the file on a broken
    // hierarchy (unknown parent, two top levels, a missing level).
    static ZoneTree load(const std::filesystem::path& tier2_dir);
    // For tests: levels given directly, parents as ids of the previous level.
    static ZoneTree from_lists(const std::vector<std::string>& level_names,
                               const std::vector<std::vector<std::pair<std::string, std::string>>>& zones_with_parent);
};

}  // namespace mpdstat
