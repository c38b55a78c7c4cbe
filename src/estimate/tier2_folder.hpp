#pragma once
// One operator's Tier II folder (its out_dir) as `estimate` sees it: the
// refusal check for Tier I data, the zone tree, the estimable tables found in
// tier2/, and the QA reports (qa/ingest.json, qa/spatial.json, qa/sdc.json)
// that feed the integrity checks.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimate/tier2_table.hpp"
#include "estimate/zone_tree.hpp"

namespace mpdstat {

struct Tier2Folder {
    std::filesystem::path dir;
    ZoneTree zones;
    std::map<std::string, Tier2Table> tables;   // by name; only estimable tables present in tier2/
    nlohmann::json ingest_qa, spatial_qa, sdc_qa;  // null when the file is absent

    const Tier2Table* table(const std::string& name) const {
        auto it = tables.find(name);
        return it == tables.end() ? nullptr : &it->second;
    }
};

// Refuses Tier I data (estimate/tier1_guard.hpp), reads the zones and every
// estimable table of tier2/ (only those named in `wanted` when it is not
// empty). Throws a data error for a table released with suppressed rows
// dropped (sdc.suppressed = "drop"): a missing row would be read as zero.
Tier2Folder load_tier2_folder(const std::filesystem::path& dir, const std::vector<std::string>& wanted);

}  // namespace mpdstat
