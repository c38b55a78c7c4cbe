#pragma once
// `mpdstat estimate`: reads the operators' Tier II folders and the census,
// computes Tier III with its method variants (for the sensitivity), and
// writes out_dir/tier3/ (CSV, quality.csv, GeoJSON / GeoPackage, SDMX-CSV)
// and out_dir/qa/estimate.json.
#include <string>

#include <nlohmann/json.hpp>

#include "config/estimate_config.hpp"
#include "estimate/estimator.hpp"
#include "estimate/quality.hpp"

namespace mpdstat {

struct EstimateRun {
    Tier3Result result;
    std::vector<QualitySummary> quality;
    nlohmann::ordered_json report;  // what qa/estimate.json holds
    std::string text;               // summary for the terminal
};

EstimateRun run_estimate(const EstimateConfig& config);

}  // namespace mpdstat
