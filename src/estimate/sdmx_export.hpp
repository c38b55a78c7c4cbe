#pragma once
// SDMX-CSV 2.0 files of the indicators a statistical office publishes, for
// loading into .Stat / FMR and other SDMX tools: residents (usual_environment,
// label home), present population and origin–destination trips, in
// out_dir/tier3/sdmx/. Columns: STRUCTURE, STRUCTURE_ID, ACTION, the
// dimensions, OBS_VALUE, then the attributes LOWER_BOUND, UPPER_BOUND,
// OBS_STATUS (A measured, E estimated from the parent level, M missing),
// CONF_STATUS (F free, C confidential: suppressed), QUALITY, UNIT_MEASURE.
#include <filesystem>
#include <vector>

#include "config/estimate_config.hpp"
#include "estimate/estimator.hpp"

namespace mpdstat {

// Returns the files written (none for tables not estimated).
std::vector<std::filesystem::path> write_sdmx_exports(const Tier3Result& result, const ZoneTree& zones, const EstimateConfig& config,
                                                      const std::filesystem::path& sdmx_dir);

}  // namespace mpdstat
