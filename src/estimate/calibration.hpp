#pragma once
// Scaling one operator's counts to the population (METHODS.md §8):
//  - zone: factor = census population / the operator's residents (devices
//    with their home there) of the calibration zone, applied to that zone and
//    its sub-zones; rows of coarser zones use their own zone's factor;
//  - global: factor = 1 / (devices per subscriber × market share).
// Each factor comes with its relative variance (the residents are a sample of
// the zone's people, Poisson / binomial) and the zone's coverage ratio.
// With a prior of N0 devices, a zone's factor is shrunk toward its parent's:
//   log f = w log(census / residents) + (1 − w) log f_parent,  w = n / (n + N0),
// a zone with few devices borrowing strength from its parent (docs/estimate.md).
#include <cstdint>
#include <string>
#include <vector>

#include "config/estimate_config.hpp"
#include "estimate/census.hpp"
#include "estimate/tier2_table.hpp"
#include "estimate/zone_tree.hpp"

namespace mpdstat {

// The operator's residents per zone: usual_environment rows labelled `home`
// (of the first period when there are several), released rows only.
struct Residents {
    std::vector<std::vector<double>> devices;  // [level][zone]; NaN when suppressed or absent
    std::vector<std::vector<double>> support;  // [level][zone]
    std::string period;                        // "start/end"

    static Residents from_table(const Tier2Table& usual_environment, const ZoneTree& zones);
    // The residents row's key in usual_environment (for the nested variance).
    std::string keys() const;
};

struct Factor {
    double value = 0;       // persons per unit of the operator's measure
    double rel_var = 0;     // relative variance of `value`
    double fpc = 1;         // finite-population correction of the counts: 1 − share of the people observed
    size_t level = 0;       // the zone whose census and residents gave the factor (zone calibration)
    uint32_t zone = kNoZoneId;  // kNoZoneId: national (every top-level zone) or global
    double residents_support = 0;
    // Relative variance of the calibration zone's own residents estimate
    // (residents × factor): 0 when the factor is its census / residents; with
    // shrinkage, (1 − w)² × (the binomial share of the parent + the parent's own).
    double residents_rel_var = 0;
};

// One factor shrunk toward its parent's (see above); `own` from the zone's
// census and residents, `parent` already shrunk. Exposed for its tests.
Factor shrink_toward_parent(const Factor& own, const Factor& parent, double prior_devices);

// Overdispersion of the residents against the binomial model, from the zones
// of one level against their parents' rate (Pearson χ² / degrees of freedom,
// at least 1): home-detection errors, several SIMs per person and the like
// make the counts vary more than a sample of independent persons would.
// devices / census / parent_devices / parent_census per zone; NaN or ≤ 0: left out.
struct DispersionInput {
    double devices, census, parent_devices, parent_census;
    uint32_t parent;
};
double residents_dispersion(const std::vector<DispersionInput>& zones);

class Calibrator {
public:
    Calibrator(const ZoneTree& zones, const Census& census, const Residents* residents, const MnoInput& mno,
               Calibration mode, int calibration_level, double prior_devices = 0);

    // The factor for a row whose calibration zone column holds zone `z` of
    // level `level`. Zone mode: the calibration zone (the ancestor at the
    // calibration level, or the zone itself when coarser); when the operator's
    // residents row there is suppressed, the nearest ancestor's factor, then
    // the national one. With a prior, each factor is shrunk toward its parent's.
    Factor factor(size_t level, uint32_t z) const;
    // Fallbacks used so far (zones whose own residents row was suppressed).
    uint64_t fallbacks() const noexcept { return fallbacks_; }
    // The residents' overdispersion one level below the calibration level (at
    // it when no finer level has a census); 1 with global calibration.
    double dispersion() const noexcept { return dispersion_; }

private:
    const ZoneTree& zones_;
    const Residents* residents_;
    const MnoInput& mno_;
    Calibration mode_;
    int level_;
    Factor national_;
    std::vector<std::vector<Factor>> factors_;        // [level ≤ calibration level][zone], shrunk
    std::vector<std::vector<uint8_t>> fell_back_;     // the zone's own residents row was unusable
    double dispersion_ = 1;
    mutable uint64_t fallbacks_ = 0;
};

}  // namespace mpdstat
