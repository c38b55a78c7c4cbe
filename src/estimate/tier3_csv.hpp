#pragma once
// The Tier III files users' scripts read (a contract: keep the names):
//   out_dir/tier3/<table>.csv — the Tier II columns (status ok / estimated /
//     suppressed) plus estimate, ci_low, ci_high, quality;
//   out_dir/tier3/quality.csv — indicator, zone_level, rows, coverage_ratio,
//     sensitivity, quality (one row per indicator × zone level).
//   out_dir/tier3/<table>.parquet — the same columns typed (estimate config
//     `formats`): zone, key and status columns and quality as strings, the
//     Tier II values, support and estimate / ci_low / ci_high as doubles,
//     null where the CSV is empty.
// Written atomically, numbers as in Tier II (privacy/released_csv.hpp).
#include <filesystem>
#include <vector>

#include "estimate/estimator.hpp"
#include "estimate/quality.hpp"

namespace mpdstat {

void write_tier3_csv(const Tier3Table& table, const std::filesystem::path& path);
void write_tier3_parquet(const Tier3Table& table, const std::filesystem::path& path);
void write_quality_csv(const std::vector<QualitySummary>& summary, const std::filesystem::path& path);

}  // namespace mpdstat
