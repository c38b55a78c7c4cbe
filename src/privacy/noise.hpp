#pragma once
// Differentially private noise for additive counts. The draws are a pure
// function of (seed, cell identity), so the same inputs and seed give
// byte-identical outputs whatever the row order or thread count, and adding a
// row elsewhere in a table does not change the noise of the others.
#include <cstdint>
#include <string_view>

#include "privacy/sdc_config.hpp"

namespace mpdstat {

// Laplace: scale b = Δ1 / ε with Δ1 = max_contributions (a device changes at
// most that many rows by at most 1 each).
// Gaussian: σ = sqrt(2 ln(1.25 / δ)) · Δ2 / ε with Δ2 = sqrt(max_contributions)
// (Dwork & Roth, Theorem A.1; valid for ε < 1). 0 when noise is off.
double noise_scale(const SdcConfig& sdc);

// One draw of the configured mechanism for the cell named by `identity` (any
// bytes that name the cell uniquely: table, level, zones, keys, column).
// 0 when noise is off.
double noise_draw(const SdcConfig& sdc, std::string_view identity);

// A noisy count as released: value + noise, rounded to an integer and clamped
// at `floor` (0 for counts). Rounding and clamping are post-processing and do
// not weaken the guarantee.
double noisy_count(const SdcConfig& sdc, double value, std::string_view identity, double floor = 0);

}  // namespace mpdstat
