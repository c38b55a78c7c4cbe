#include "audit/zone_tree.hpp"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat::audit {

namespace fs = std::filesystem;

ZoneTree ZoneTree::load(const fs::path& out_dir) {
    // Each level file names its zones' parents; the top level has none, and
    // each next level's parents are the zones of the one before.
    std::map<std::string, std::map<std::string, std::string>> by_level;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out_dir / "geo", ec)) {
        std::string n = e.path().filename().string();
        if (n.rfind("zones_", 0) != 0 || e.path().extension() != ".geojson") continue;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(read_file(e.path()));
            for (const auto& feature : j.at("features")) {
                const auto& p = feature.at("properties");
                std::string level = p.at("level").get<std::string>();
                std::string parent = p.contains("parent_id") && p.at("parent_id").is_string() ? p.at("parent_id").get<std::string>() : "";
                by_level[level][p.at("zone_id").get<std::string>()] = parent;
            }
        } catch (const nlohmann::json::exception& x) {
            throw data_error(fmt::format("{}: not a zone file of mpdstat ({})", e.path().string(), x.what()));
        }
    }
    ZoneTree t;
    std::set<std::string> placed_zones;
    while (t.levels_.size() < by_level.size()) {
        bool found = false;
        for (const auto& [level, zones] : by_level) {
            if (t.level_index(level)) continue;
            bool fits = true;
            for (const auto& [zone, parent] : zones)
                fits = fits && (t.levels_.empty() ? parent.empty() : parent.size() && t.parent_.back().count(parent));
            if (!fits) continue;
            t.add_level(level);
            for (const auto& [zone, parent] : zones) t.add_zone(t.levels_.size() - 1, zone, parent);
            found = true;
            break;
        }
        if (!found) break;  // levels that do not nest (e.g. a grid) are left out
    }
    return t;
}

void ZoneTree::add_level(const std::string& name) {
    levels_.push_back(name);
    parent_.emplace_back();
    children_.emplace_back();
}

void ZoneTree::add_zone(size_t level, const std::string& zone, const std::string& parent) {
    parent_[level][zone] = parent;
    if (level > 0 && !parent.empty()) ++children_[level - 1][parent];
}

std::optional<size_t> ZoneTree::level_index(const std::string& level) const {
    for (size_t i = 0; i < levels_.size(); ++i)
        if (levels_[i] == level) return i;
    return std::nullopt;
}

const std::string& ZoneTree::parent(size_t level, const std::string& zone) const {
    static const std::string none;
    if (level >= parent_.size()) return none;
    auto it = parent_[level].find(zone);
    return it == parent_[level].end() ? none : it->second;
}

std::string ZoneTree::ancestor(size_t from, const std::string& zone, size_t to) const {
    std::string z = zone;
    for (size_t l = from; l > to && !z.empty(); --l) z = parent(l, z);
    return z;
}

size_t ZoneTree::child_count(size_t level, const std::string& zone) const {
    if (level >= children_.size()) return 0;
    auto it = children_[level].find(zone);
    return it == children_[level].end() ? 0 : it->second;
}

std::optional<size_t> ZoneTree::level_of(const std::string& zone) const {
    for (size_t l = levels_.size(); l-- > 0;)
        if (parent_[l].count(zone)) return l;
    return std::nullopt;
}

}  // namespace mpdstat::audit
