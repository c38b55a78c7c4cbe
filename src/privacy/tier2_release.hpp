#pragma once
// The one door out for Tier II: every indicator table goes through disclosure
// control and is written as out_dir/tier2/<name>.csv and / or <name>.parquet
// (outputs.formats); out_dir/qa/sdc.json
// records what was suppressed per table.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

struct Tier2Summary {
    std::string text;            // for the terminal
    nlohmann::ordered_json json; // per table: rows, released, suppressed, …
};

Tier2Summary release_tier2(std::vector<AggregateTable> tables, const ZoneHierarchyView& zones, const Config& config);

}  // namespace mpdstat
