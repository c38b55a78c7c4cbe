#pragma once
// `mpdstat audit OUT_DIR [--truth DIR]`: checks every released CSV under
// out_dir (tier2/, tier3/) against the disclosure rules recorded for the run
// (qa/sdc.json: threshold k), and with the generator's truth runs the
// reconstruction attacks. Writes out_dir/qa/audit.json (docs/audit.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/finding.hpp"
#include "audit/linkage_attack.hpp"

namespace mpdstat::audit {

struct AuditOptions {
    std::filesystem::path out_dir;
    std::filesystem::path truth_dir;  // empty: no attacks with background knowledge
    // The lowest threshold the audit accepts: a run recorded with a smaller
    // min_devices fails, and is checked at this k instead.
    uint64_t min_k = 10;
};

struct AuditReport {
    uint64_t k = 0;                  // the threshold checked
    uint64_t recorded_k = 0;         // the smallest min_devices in qa/sdc.json (0: none recorded)
    uint64_t files = 0, rows = 0;
    std::vector<Finding> findings;
    std::map<std::string, uint64_t> findings_by_rule;
    bool attacked = false;
    AttackResult attack;
    uint64_t failures() const;       // findings that fail (notes do not)
    bool ok() const { return failures() == 0 && (!attacked || attack.singled_out == 0); }
    nlohmann::ordered_json to_json() const;
    std::string summary() const;     // for the terminal
};

// Throws usage_error when out_dir is not an output folder of mpdstat.
AuditReport run_audit(const AuditOptions& options);

}  // namespace mpdstat::audit
