#include <gtest/gtest.h>

#include <cmath>

#include "estimate/quality.hpp"
#include "estimate/uncertainty.hpp"

namespace mpdstat {
namespace {

TEST(Quality, CoverageThresholds) {
    EXPECT_EQ(coverage_quality(0.4), QualityLevel::high);
    EXPECT_EQ(coverage_quality(0.39), QualityLevel::medium);
    EXPECT_EQ(coverage_quality(0.2), QualityLevel::medium);
    EXPECT_EQ(coverage_quality(0.19), QualityLevel::low);
    EXPECT_EQ(coverage_quality(std::nan("")), QualityLevel::low);
}

TEST(Quality, SensitivityThresholds) {
    EXPECT_EQ(sensitivity_quality(0.19), QualityLevel::high);
    EXPECT_EQ(sensitivity_quality(0.2), QualityLevel::medium);
    EXPECT_EQ(sensitivity_quality(0.39), QualityLevel::medium);
    EXPECT_EQ(sensitivity_quality(0.4), QualityLevel::low);
    EXPECT_EQ(sensitivity_quality(std::nan("")), QualityLevel::high) << "no variant: nothing measured against";
}

TEST(Quality, RowQualityIsTheWeakerAndEstimatedRowsAreLow) {
    EXPECT_EQ(row_quality(0.5, 0.1, RowKind::released), QualityLevel::high);
    EXPECT_EQ(row_quality(0.5, 0.3, RowKind::released), QualityLevel::medium);
    EXPECT_EQ(row_quality(0.25, 0.1, RowKind::released), QualityLevel::medium);
    EXPECT_EQ(row_quality(0.5, 0.5, RowKind::released), QualityLevel::low);
    EXPECT_EQ(row_quality(0.5, 0.1, RowKind::estimated), QualityLevel::low);
}

TEST(Uncertainty, NormalQuantile) {
    EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-8);
    EXPECT_NEAR(normal_quantile(0.5), 0, 1e-12);
    EXPECT_NEAR(normal_quantile(0.005), -2.5758293035489, 1e-8);
    EXPECT_NEAR(normal_quantile(0.95), 1.6448536269514722, 1e-8);
}

TEST(Uncertainty, LogNormalInterval) {
    // cv² = 0.01: k = exp(1.96 · sqrt(ln 1.01)).
    const Interval i = confidence_interval(100, 100, 0.95);
    const double k = std::exp(1.959963984540054 * std::sqrt(std::log(1.01)));
    EXPECT_NEAR(i.low, 100 / k, 1e-9);
    EXPECT_NEAR(i.high, 100 * k, 1e-9);
    EXPECT_NEAR(i.low * i.high, 100 * 100, 1e-6) << "symmetric on the log scale";
    const Interval zero = confidence_interval(0, 5, 0.95);
    EXPECT_EQ(zero.low, 0);
    EXPECT_EQ(zero.high, 0);
    const Interval exact = confidence_interval(42, 0, 0.95);
    EXPECT_EQ(exact.low, 42);
    EXPECT_EQ(exact.high, 42);
    // A 90 % interval is narrower.
    EXPECT_GT(confidence_interval(100, 100, 0.90).low, i.low);
}

TEST(Uncertainty, OutwardRounding) {
    EXPECT_EQ(round_to(2250, 100), 2300);
    EXPECT_EQ(round_to(2249, 100), 2200);
    const Interval r = round_outward({1234, 5678}, 100);
    EXPECT_EQ(r.low, 1200);
    EXPECT_EQ(r.high, 5700);
}

}  // namespace
}  // namespace mpdstat
