#include "estimate/zone_tree.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "common/error.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

int ZoneTree::level_index(std::string_view name) const {
    for (size_t i = 0; i < levels.size(); ++i)
        if (levels[i].name == name) return static_cast<int>(i);
    return -1;
}

uint32_t ZoneTree::find(size_t level, const std::string& id) const {
    auto it = levels[level].index.find(id);
    return it == levels[level].index.end() ? kNoZoneId : it->second;
}

uint32_t ZoneTree::ancestor(size_t from, uint32_t z, size_t to) const {
    while (from > to && z != kNoZoneId) z = levels[from--].parent[z];
    return z;
}

bool ZoneTree::same_as(const ZoneTree& o) const {
    if (levels.size() != o.levels.size()) return false;
    for (size_t i = 0; i < levels.size(); ++i)
        if (levels[i].name != o.levels[i].name || levels[i].ids != o.levels[i].ids || levels[i].parent != o.levels[i].parent)
            return false;
    return true;
}

namespace {

struct RawZone {
    std::string id, name, parent;
    double lon = 0, lat = 0;
};
struct RawLevel {
    std::string name;
    fs::path file;
    std::vector<RawZone> zones;
};

RawLevel read_level(const fs::path& file) {
    if (GDALGetDriverCount() == 0) GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds || ds->GetLayerCount() < 1) throw data_error(fmt::format("{}: cannot read the zone layer", file.string()));
    OGRLayer* layer = ds->GetLayer(0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    if (defn->GetFieldIndex("zone_id") < 0)
        throw data_error(fmt::format("{}: no field 'zone_id' (a zones file written by mpdstat run)", file.string()));
    // The top level's parent_id is null everywhere, and GeoJSON readers may drop such a field.
    const int parent = defn->GetFieldIndex("parent_id");
    RawLevel level;
    level.file = file;
    level.name = file.stem().string().substr(std::string("zones_").size());
    const int lon = defn->GetFieldIndex("lon"), lat = defn->GetFieldIndex("lat"), name = defn->GetFieldIndex("name");
    const int lvl = defn->GetFieldIndex("level");
    for (auto& feat : *layer) {
        RawZone z;
        z.id = feat->GetFieldAsString("zone_id");
        if (parent >= 0) z.parent = feat->GetFieldAsString(parent);
        if (name >= 0) z.name = feat->GetFieldAsString(name);
        if (lon >= 0) z.lon = feat->GetFieldAsDouble(lon);
        if (lat >= 0) z.lat = feat->GetFieldAsDouble(lat);
        if (lvl >= 0 && level.zones.empty() && *feat->GetFieldAsString(lvl)) level.name = feat->GetFieldAsString(lvl);
        level.zones.push_back(std::move(z));
    }
    return level;
}

ZoneTree build(std::vector<RawLevel> raw) {
    ZoneTree tree;
    // The top level has no parents; each next level's parents are the previous level's ids.
    while (!raw.empty()) {
        auto is_next = [&](const RawLevel& l) {
            if (tree.levels.empty())
                return std::all_of(l.zones.begin(), l.zones.end(), [](const RawZone& z) { return z.parent.empty(); });
            const auto& prev = tree.levels.back().index;
            return !l.zones.empty() && std::all_of(l.zones.begin(), l.zones.end(), [&](const RawZone& z) { return prev.count(z.parent); });
        };
        auto it = std::find_if(raw.begin(), raw.end(), is_next);
        if (it == raw.end())
            throw data_error(fmt::format("{}: its zones' parent_id do not match the ids of {}", raw.front().file.string(),
                                         tree.levels.empty() ? std::string("any level (no top level without parents)")
                                                             : "level '" + tree.levels.back().name + "'"));
        ZoneTree::Level l;
        l.name = it->name;
        l.file = it->file;
        for (const auto& z : it->zones) {
            if (!l.index.emplace(z.id, static_cast<uint32_t>(l.ids.size())).second)
                throw data_error(fmt::format("{}: zone id '{}' appears twice", it->file.string(), z.id));
            l.ids.push_back(z.id);
            l.names.push_back(z.name);
            l.parent.push_back(tree.levels.empty() ? kNoZoneId : tree.levels.back().index.at(z.parent));
            l.lon.push_back(z.lon);
            l.lat.push_back(z.lat);
        }
        tree.levels.push_back(std::move(l));
        raw.erase(it);
    }
    return tree;
}

}  // namespace

ZoneTree ZoneTree::load(const fs::path& tier2_dir) {
    const fs::path geo = tier2_dir / "geo";
    std::vector<RawLevel> raw;
    std::error_code ec;
    if (fs::is_directory(geo, ec)) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(geo)) {
            const std::string n = e.path().filename().string();
            if (n.rfind("zones_", 0) == 0 && e.path().extension() == ".geojson") files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) raw.push_back(read_level(f));
    }
    if (raw.empty())
        throw data_error(fmt::format("{}: no zones_<level>.geojson; the zone geometries written by 'mpdstat run' must come with "
                                     "the Tier II tables",
                                     geo.string()));
    return build(std::move(raw));
}

ZoneTree ZoneTree::from_lists(const std::vector<std::string>& names,
                              const std::vector<std::vector<std::pair<std::string, std::string>>>& zones) {
    std::vector<RawLevel> raw;
    for (size_t i = 0; i < names.size(); ++i) {
        RawLevel l;
        l.name = names[i];
        l.file = names[i];
        for (const auto& [id, parent] : zones[i]) l.zones.push_back({id, id, parent, 0, 0});
        raw.push_back(std::move(l));
    }
    return build(std::move(raw));
}

}  // namespace mpdstat
