#pragma once
// What `mpdstat audit` reports: a broken disclosure rule in one row of one
// file, and a suppressed value an attacker can work out from released ones.
#include <cstdint>
#include <string>
#include <vector>

namespace mpdstat::audit {

struct Finding {
    std::string rule;     // "threshold", "small_count", "suppressed_values", "identifier", "differencing", …
    std::string file;     // file name under out_dir, e.g. "tier2/commuting.csv"
    uint64_t line = 0;    // 1-based line in the file; 0 for the whole file
    std::string message;  // one line, never a value that would itself be sensitive beyond the file's own content
    // false: a documented limit of the rules rather than a broken rule (see
    // docs/audit.md); reported, but the audit still passes.
    bool fails = true;
};

// A suppressed (or, in drop mode, missing) row whose first additive value the
// attacker recovers exactly by subtraction.
struct RecoveredCell {
    std::string table;
    size_t row = 0;       // index into the file's rows
    double value = 0;
};

}  // namespace mpdstat::audit
