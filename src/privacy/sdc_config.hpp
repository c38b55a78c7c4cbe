#pragma once
// The [sdc] section: how Tier II tables are protected before they leave the
// operator (METHODS.md §7, docs/disclosure_control.md).
#include <cstdint>
#include <optional>
#include <string_view>

namespace mpdstat {

enum class SuppressedMode : uint8_t { flag, drop };            // keep the row empty with status "suppressed", or omit it
enum class NoiseMechanism : uint8_t { none, laplace, gaussian };

struct SdcConfig {
    // A row is released only if at least this many distinct devices (the
    // unweighted support) are behind it. See privacy/threshold.hpp.
    uint64_t min_devices = 15;
    SuppressedMode suppressed = SuppressedMode::flag;
    // Secondary suppression against recovery by subtraction (parent levels, totals).
    bool secondary = true;
    NoiseMechanism noise = NoiseMechanism::none;
    double epsilon = 1.0;
    double delta = 1e-6;  // gaussian only
    // Rows of one zone level of one table that a single device may change, each
    // by at most 1 (its weights). The accumulators must enforce this bound; the
    // noise scale assumes it.
    uint32_t max_contributions = 1;
    // Seeds the noise. Whoever knows it can remove the noise: keep it as secret
    // as the pseudonymisation key when the release is meant to be private.
    uint64_t seed = 0;
};

std::string_view to_string(SuppressedMode m) noexcept;
std::string_view to_string(NoiseMechanism m) noexcept;
std::optional<SuppressedMode> parse_suppressed_mode(std::string_view s) noexcept;
std::optional<NoiseMechanism> parse_noise_mechanism(std::string_view s) noexcept;

}  // namespace mpdstat
