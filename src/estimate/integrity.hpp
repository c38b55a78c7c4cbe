#pragma once
// Integrity checks of one operator's Tier II folder, for qa/estimate.json:
// the input gate and missing / anomalous days (qa/ingest.json), cells outside
// the zones (qa/spatial.json), released children adding up to more than their
// parent (coherence), and the weekday / weekend profile of the present
// population. Each check is PASS, WARN or UNKNOWN (its report is missing).
#include <nlohmann/json.hpp>

#include "estimate/estimator.hpp"
#include "estimate/tier2_folder.hpp"

namespace mpdstat {

// A weekend day whose top-level present population (mean over its hours)
// differs from the weekday mean by more than this share is unusual enough to
// WARN; so is any day more than this far from its own day type's mean.
inline constexpr double kProfileTolerance = 0.25;

nlohmann::ordered_json integrity_checks(const Tier2Folder& folder, const Tier3Result& result, size_t operator_index);

}  // namespace mpdstat
