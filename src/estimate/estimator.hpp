#pragma once
// The Tier II → Tier III computation, without any file writing: for every
// estimable table present in the operators' folders, fill or keep suppressed
// rows, scale each operator's counts (zone or global calibration, per-country
// factors for inbound visitors), combine the operators with market-share
// weights, and attach a confidence interval and the coverage ratio to each
// row. Quality and sensitivity are added by estimate/quality.hpp.
#include <map>
#include <string>
#include <vector>

#include "config/estimate_config.hpp"
#include "estimate/census.hpp"
#include "estimate/inbound_factors.hpp"
#include "estimate/suppressed_fill.hpp"
#include "estimate/tier2_folder.hpp"

namespace mpdstat {

struct EstimateInputs {
    const ZoneTree* zones = nullptr;
    const Census* census = nullptr;
    std::vector<const Tier2Folder*> folders;  // one per config.mnos entry, same order
    std::vector<InboundFactors> inbound;       // one per operator; empty: none given
};

struct Tier3Row {
    uint32_t level = 0;
    std::vector<uint32_t> zones;
    std::string keys;
    std::vector<std::string> fields;  // the Tier II columns; status ok / estimated / suppressed
    RowKind kind = RowKind::suppressed;
    double estimate = 0, ci_low = 0, ci_high = 0;  // NaN when suppressed; rounded when estimated
    double variance = 0;
    double coverage = 0;      // the operators' residents (de-duplicated persons) / census of the row's zone; NaN: unknown
    double sensitivity = 0;   // max relative change over the method variants; NaN: no variant
    std::string quality;      // high / medium / low; "" when suppressed
};

struct Tier3Table {
    const EstimableTable* spec = nullptr;
    std::vector<Tier3Row> rows;  // canonical order: level, zones (zone-file order), keys
    std::vector<FillStats> fill;  // per operator
};

struct Tier3Result {
    std::vector<Tier3Table> tables;
    std::vector<std::string> skipped;     // "table: why"
    std::vector<uint64_t> calibration_fallbacks;  // per operator: rows whose zone's residents row was suppressed
    std::vector<double> residents_dispersion;     // per operator: χ² / df of its residents at the calibration level (≥ 1)
    std::vector<double> weights;          // per operator
    const Tier3Table* table(std::string_view name) const;
};

// `calibration_level`: index of config.calibration_level in the zone tree
// (unused with global calibration). Throws data errors for inputs that do not
// fit together (different zone trees, missing residents, inbound factors).
Tier3Result estimate_tier3(const EstimateConfig& config, const EstimateInputs& inputs, int calibration_level);

}  // namespace mpdstat
