#pragma once
// The disclosure threshold: the one and only place where a row's support is
// compared with min_devices. The support is the unweighted number of distinct
// devices behind the row — never a scaled, weighted or noisy value.
#include <cstdint>

#include "privacy/sdc_config.hpp"

namespace mpdstat {

inline bool passes_threshold(uint64_t support, const SdcConfig& sdc) noexcept { return support >= sdc.min_devices; }

}  // namespace mpdstat
