#pragma once
// Reconstruction attacks on a synthetic run, with the generator's truth as
// the attacker's background knowledge (docs/audit.md): for every synthetic
// device the attacker knows its home and work zone (as a neighbour or an
// employer would) and looks for a released or recoverable cell that holds
// it and fewer than k devices — its home–work pair in commuting.csv, its
// commute in the OD tables, its home or work in usual_environment.csv, its
// home zone in mobility / displacement / outbound tourism. A device with such
// a cell is singled out.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/finding.hpp"
#include "audit/released_file.hpp"
#include "audit/zone_tree.hpp"

namespace mpdstat::audit {

struct AttackResult {
    uint64_t devices = 0;             // synthetic devices with a known home
    uint64_t singled_out = 0;         // devices in at least one small cell
    std::map<std::string, uint64_t> by_attack;  // devices singled out per attack
    uint64_t unique_home_work = 0;    // devices whose (home, work) commune pair is unique in the truth: the raw risk
    double share() const { return devices ? double(singled_out) / double(devices) : 0.0; }
    nlohmann::ordered_json to_json() const;
};

// `files` are the released files by table name; `recovered` the cells the
// differencing attack solved. Throws data_error when truth/home_work.csv is
// missing or malformed.
AttackResult run_linkage_attacks(const std::map<std::string, ReleasedFile>& files,
                                 const std::vector<RecoveredCell>& recovered, const ZoneTree& zones,
                                 const std::filesystem::path& truth_dir, uint64_t k);

}  // namespace mpdstat::audit
