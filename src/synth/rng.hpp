#pragma once
// The generator's random numbers: xoshiro256** seeded through splitmix64, and
// hand-written draws (uniform, normal, Poisson, lognormal, …). std::*_distribution
// is never used: its output differs between standard libraries, and the same
// seed must give the same bytes everywhere.
//
// Streams: Rng::stream(seed, a, b, c) derives an independent generator for any
// tuple of keys (e.g. seed, person, day), so work can run in parallel and in any
// order while every draw stays a pure function of its keys.
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace mpdstat::synth {

constexpr uint64_t splitmix64(uint64_t& state) noexcept {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// A 64-bit mix of a value, for keys and hashes.
constexpr uint64_t mix64(uint64_t v) noexcept {
    uint64_t s = v;
    return splitmix64(s);
}

class Rng {
public:
    explicit Rng(uint64_t seed = 0) noexcept {
        uint64_t sm = seed;
        for (auto& w : s_) w = splitmix64(sm);
    }
    // An independent stream for a tuple of keys.
    static Rng stream(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) noexcept {
        uint64_t h = mix64(seed ^ 0x5EED5EED5EED5EEDULL);
        h = mix64(h ^ a);
        h = mix64(h ^ (b + 0x1234567ULL));
        h = mix64(h ^ (c + 0x89ABCDEFULL));
        return Rng(h);
    }

    uint64_t next() noexcept {  // xoshiro256**
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n) (Lemire's multiply-shift; the tiny bias is irrelevant here).
    uint64_t below(uint64_t n) noexcept {
        return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }
    bool chance(double p) noexcept { return uniform() < p; }

    // Standard normal by the Box–Muller transform (one value per call, no cache,
    // so a draw's result never depends on an earlier call's parity).
    double normal() noexcept {
        double u1 = uniform();
        double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
    // exp(N(mu, sigma)); median exp(mu).
    double lognormal(double mu, double sigma) noexcept { return std::exp(normal(mu, sigma)); }
    double exponential(double mean) noexcept { return -mean * std::log(1.0 - uniform()); }
    // Poisson: Knuth's product method for small means, a rounded normal
    // approximation (continuity-corrected, clamped at 0) above 30.
    uint32_t poisson(double mean) noexcept {
        if (mean <= 0) return 0;
        if (mean < 30) {
            const double l = std::exp(-mean);
            uint32_t k = 0;
            double p = uniform();
            while (p > l) {
                ++k;
                p *= uniform();
            }
            return k;
        }
        double v = std::floor(normal(mean, std::sqrt(mean)) + 0.5);
        return v < 0 ? 0 : static_cast<uint32_t>(v);
    }
    // Geometric number of failures before a success with probability p (≥ 0).
    uint32_t geometric(double p) noexcept {
        if (p >= 1) return 0;
        return static_cast<uint32_t>(std::floor(std::log(1.0 - uniform()) / std::log(1.0 - p)));
    }
    // Index drawn from cumulative weights (last element = total).
    size_t pick_cumulative(const std::vector<double>& cum) noexcept {
        double r = uniform() * cum.back();
        size_t lo = 0, hi = cum.size() - 1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cum[mid] > r) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

private:
    static constexpr uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
};

}  // namespace mpdstat::synth
