// Shrinkage of a zone's calibration factor toward its parent's, and the
// overdispersion of the residents, against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "estimate/calibration.hpp"

namespace mpdstat {
namespace {

// A district of 6000 people where the operator has 55 residents, in a region
// whose factor is 100 (10000 people, 100 residents).
Factor district() {
    Factor f;
    f.value = 6000.0 / 55;
    f.rel_var = 1.0 / 55;
    f.residents_support = 55;
    f.zone = 0;
    return f;
}

Factor region() {
    Factor f;
    f.value = 100;
    f.rel_var = 0.01;
    f.residents_support = 100;
    f.residents_rel_var = 0.002;
    return f;
}

TEST(CalibrationShrinkage, WithoutAPriorTheZoneKeepsItsOwnFactor) {
    const Factor f = shrink_toward_parent(district(), region(), 0);
    EXPECT_DOUBLE_EQ(f.value, 6000.0 / 55);
    EXPECT_DOUBLE_EQ(f.rel_var, 1.0 / 55);
    EXPECT_DOUBLE_EQ(f.residents_rel_var, 0) << "the district's residents are its census";
}

TEST(CalibrationShrinkage, APriorAsLargeAsTheResidentsGivesTheGeometricMean) {
    // w = 55 / (55 + 55) = 1/2: f = sqrt(6000 / 55 × 100) = 104.4465…
    const Factor f = shrink_toward_parent(district(), region(), 55);
    EXPECT_NEAR(f.value, 104.44659357341871, 1e-9);
    EXPECT_NEAR(f.rel_var, 0.25 / 55 + 0.25 * 0.01, 1e-15);
    // Residents 55 × 104.45 = 5744.6: off the census by half the region's
    // binomial share (1/55 − 1/100) plus the region's own, damped by (1/2)².
    EXPECT_NEAR(f.residents_rel_var, 0.25 * (1.0 / 55 - 1.0 / 100 + 0.002), 1e-15);
    EXPECT_EQ(f.zone, 0u);
    EXPECT_DOUBLE_EQ(f.residents_support, 55);
}

TEST(CalibrationShrinkage, AZoneWithFewResidentsLeansOnItsParent) {
    Factor small = district();
    small.value = 600.0 / 5;  // 120 persons per device from only 5 residents
    small.residents_support = 5;
    small.rel_var = 0.2;
    // w = 5 / (5 + 45) = 0.1: f = exp(0.1 ln 120 + 0.9 ln 100) = 100 × 1.2^0.1
    const Factor f = shrink_toward_parent(small, region(), 45);
    EXPECT_NEAR(f.value, 100 * std::pow(1.2, 0.1), 1e-9);
    EXPECT_NEAR(f.rel_var, 0.01 * 0.2 + 0.81 * 0.01, 1e-15);
}

TEST(ResidentsDispersion, IsPearsonChiSquareOverDegreesOfFreedom) {
    // Parent P0: 10000 people, 200 residents (rate 0.02); children expected 120, 60, 20.
    // (130 − 120)² / 120 + (40 − 60)² / 60 + (30 − 20)² / 20 = 5/6 + 20/3 + 5 = 12.5
    // Parent P1: 5000 people, 100 residents: one child of 5000 with 100, χ² 0.
    // 4 zones, 2 parents: 2 degrees of freedom → 6.25.
    const std::vector<DispersionInput> zones = {{130, 6000, 200, 10000, 0},
                                                {40, 3000, 200, 10000, 0},
                                                {30, 1000, 200, 10000, 0},
                                                {100, 5000, 100, 5000, 1}};
    EXPECT_DOUBLE_EQ(residents_dispersion(zones), 6.25);
}

TEST(ResidentsDispersion, NeverBelowOneAndOneWithoutDegreesOfFreedom) {
    // Less variable than binomial: 1, not a narrower interval.
    EXPECT_DOUBLE_EQ(residents_dispersion({{60, 6000, 100, 10000, 0}, {40, 4000, 100, 10000, 0}}), 1);
    // One zone per parent: nothing to measure.
    EXPECT_DOUBLE_EQ(residents_dispersion({{10, 6000, 100, 10000, 0}, {90, 4000, 100, 4000, 1}}), 1);
    // Suppressed (NaN) and empty zones are left out, not read as 0.
    EXPECT_DOUBLE_EQ(residents_dispersion({{std::nan(""), 6000, 100, 10000, 0}, {0, 4000, 100, 10000, 0}, {40, 4000, 100, 10000, 0}}),
                     1);
}

}  // namespace
}  // namespace mpdstat
