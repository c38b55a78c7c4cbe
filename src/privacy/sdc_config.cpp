#include "privacy/sdc_config.hpp"

namespace mpdstat {

std::string_view to_string(SuppressedMode m) noexcept { return m == SuppressedMode::drop ? "drop" : "flag"; }

std::string_view to_string(NoiseMechanism m) noexcept {
    switch (m) {
        case NoiseMechanism::laplace: return "laplace";
        case NoiseMechanism::gaussian: return "gaussian";
        case NoiseMechanism::none: break;
    }
    return "none";
}

std::optional<SuppressedMode> parse_suppressed_mode(std::string_view s) noexcept {
    if (s == "flag") return SuppressedMode::flag;
    if (s == "drop") return SuppressedMode::drop;
    return std::nullopt;
}

std::optional<NoiseMechanism> parse_noise_mechanism(std::string_view s) noexcept {
    if (s == "none") return NoiseMechanism::none;
    if (s == "laplace") return NoiseMechanism::laplace;
    if (s == "gaussian") return NoiseMechanism::gaussian;
    return std::nullopt;
}

}  // namespace mpdstat
