#pragma once
// Quality of Tier III estimates (METHODS.md §8): the coverage ratio (the
// operators' residents / census: high ≥ 0.4, medium ≥ 0.2, low below), the
// sensitivity (max relative change of a row between method variants: low
// < 20 %, medium < 40 %, high above), and a quality level per row and per
// indicator × zone level — the weaker of the two, and at most `low` for rows
// estimated from their parent (an allocation, not a measurement).
#include <string>
#include <string_view>
#include <vector>

#include "estimate/estimator.hpp"

namespace mpdstat {

enum class QualityLevel : uint8_t { low, medium, high };
std::string_view to_string(QualityLevel q) noexcept;

QualityLevel coverage_quality(double coverage_ratio) noexcept;    // NaN: low
QualityLevel sensitivity_quality(double sensitivity) noexcept;    // NaN (no variant): high
QualityLevel row_quality(double coverage_ratio, double sensitivity, RowKind kind) noexcept;

// Sets each row's sensitivity to the largest |E_variant / E − 1| over the
// variants (rows with a positive estimate on both sides; the same cells match
// by level, zones and keys), then each row's quality.
void apply_sensitivity_and_quality(Tier3Result& main, const std::vector<Tier3Result>& variants);

// One summary per indicator × zone level: median coverage ratio and median
// sensitivity over its rows with an estimate, and the quality of those medians.
struct QualitySummary {
    std::string indicator, zone_level;
    size_t rows = 0;           // rows with an estimate (released or estimated)
    double coverage_ratio = 0; // NaN: unknown
    double sensitivity = 0;    // NaN: no variant
    QualityLevel quality = QualityLevel::low;
};
std::vector<QualitySummary> summarise_quality(const Tier3Result& result, const ZoneTree& zones);

}  // namespace mpdstat
