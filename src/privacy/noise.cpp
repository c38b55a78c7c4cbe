#include "privacy/noise.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>

#include <sodium.h>

#include "common/error.hpp"

namespace mpdstat {

namespace {

// Two independent uniforms in (0, 1) from BLAKE2b(seed ‖ identity): a
// counter-based generator keyed by the cell, not a stream shared by rows.
std::array<double, 2> uniforms(uint64_t seed, std::string_view identity) {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw runtime_error("libsodium failed to initialise");
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 16);
    static constexpr char domain[] = "mpdstat/sdc/noise/v1";
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(domain), sizeof domain);
    unsigned char s[8];
    for (int i = 0; i < 8; ++i) s[i] = static_cast<unsigned char>(seed >> (8 * i));
    crypto_generichash_update(&st, s, sizeof s);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(identity.data()), identity.size());
    unsigned char out[16];
    crypto_generichash_final(&st, out, sizeof out);
    std::array<double, 2> u{};
    for (int k = 0; k < 2; ++k) {
        uint64_t x = 0;
        for (int i = 0; i < 8; ++i) x |= static_cast<uint64_t>(out[8 * k + i]) << (8 * i);
        u[k] = (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;  // strictly inside (0, 1)
    }
    return u;
}

}  // namespace

double noise_scale(const SdcConfig& sdc) {
    const double k = static_cast<double>(sdc.max_contributions);
    switch (sdc.noise) {
        case NoiseMechanism::laplace: return k / sdc.epsilon;
        case NoiseMechanism::gaussian: return std::sqrt(2.0 * std::log(1.25 / sdc.delta)) * std::sqrt(k) / sdc.epsilon;
        case NoiseMechanism::none: break;
    }
    return 0;
}

double noise_draw(const SdcConfig& sdc, std::string_view identity) {
    if (sdc.noise == NoiseMechanism::none) return 0;
    const double scale = noise_scale(sdc);
    auto [u1, u2] = uniforms(sdc.seed, identity);
    if (sdc.noise == NoiseMechanism::laplace) {
        const double v = u1 - 0.5;  // |v| < 0.5
        return -scale * (v < 0 ? -1.0 : 1.0) * std::log1p(-2.0 * std::fabs(v));
    }
    // Box–Muller.
    return scale * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double noisy_count(const SdcConfig& sdc, double value, std::string_view identity, double floor) {
    if (sdc.noise == NoiseMechanism::none) return value;
    double v = std::round(value + noise_draw(sdc, identity));
    return v < floor ? floor : v;
}

}  // namespace mpdstat
