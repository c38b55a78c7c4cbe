#pragma once
// The zone hierarchy of a run, read back from its published zone files
// (out_dir/geo/zones_<level>.geojson: zone_id, parent_id, level), so that the
// audit can find the rows that add up to another row.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mpdstat::audit {

class ZoneTree {
public:
    // Empty when out_dir/geo has no zone files.
    static ZoneTree load(const std::filesystem::path& out_dir);

    bool empty() const noexcept { return levels_.empty(); }
    const std::vector<std::string>& levels() const noexcept { return levels_; }  // coarsest first
    // Index of a level name; nullopt for a level outside the tree (e.g. grid).
    std::optional<size_t> level_index(const std::string& level) const;
    // The zone's parent id (one level up); empty at the top or when unknown.
    const std::string& parent(size_t level, const std::string& zone) const;
    // The zone's ancestor at `level` (the zone itself at its own level).
    std::string ancestor(size_t from_level, const std::string& zone, size_t to_level) const;
    // Number of children of a zone (zones one level down naming it as parent).
    size_t child_count(size_t level, const std::string& zone) const;
    // Level of a zone id, searching finest first; nullopt when unknown.
    std::optional<size_t> level_of(const std::string& zone) const;

    // For tests: level names coarsest first, then (level, zone, parent) triples.
    void add_level(const std::string& name);
    void add_zone(size_t level, const std::string& zone, const std::string& parent);

private:
    std::vector<std::string> levels_;
    std::vector<std::map<std::string, std::string>> parent_;    // [level] zone → parent
    std::vector<std::map<std::string, size_t>> children_;       // [level] zone → child count
};

}  // namespace mpdstat::audit
