// Calibration, combination of operators and suppressed rows on hand-made Tier
// II folders (tests/estimate/estimate_fixture.hpp), against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "config/estimate_config.hpp"
#include "common/error.hpp"
#include "estimate/run_estimate.hpp"
#include "estimate/uncertainty.hpp"
#include "estimate_fixture.hpp"

namespace mpdstat {
namespace {

using test::TempDir;

constexpr double kZ95 = 1.959963984540054;

// The interval the method promises (docs/estimate.md) for an estimate with
// relative variance `rel_var`: log-normal, E / k … E · k.
std::pair<double, double> expected_ci(double e, double rel_var) {
    const double k = std::exp(kZ95 * std::sqrt(std::log(1 + rel_var)));
    return {e / k, e * k};
}

const Tier3Row& row(const Tier3Result& r, const char* table, const char* level, const char* zone) {
    const Tier3Table* t = r.table(table);
    EXPECT_NE(t, nullptr) << table;
    for (const auto& x : t->rows)
        if (x.fields[0] == level && x.fields[1] == zone) return x;
    ADD_FAILURE() << table << " has no row " << level << " " << zone;
    static Tier3Row none;
    return none;
}

EstimateRun run_with(const TempDir& t, const std::string& estimate_keys, const std::string& operators) {
    test::write_test_census(t / "census.csv");
    const std::string text = "[estimate]\ncensus = \"census.csv\"\ncensus_level = \"district\"\nout_dir = \"est\"\n" + estimate_keys +
                             "\n" + operators;
    test::spit(t / "estimate.toml", text);
    return run_estimate(load_estimate_config(t / "estimate.toml"));
}

const char* kOperatorA = "[[estimate.mno]]\nname = \"A\"\ntier2_dir = \"a\"\nmarket_share = 0.01\n";
const char* kOperatorB = "[[estimate.mno]]\nname = \"B\"\ntier2_dir = \"b\"\nmarket_share = 0.03\n";

TEST(Estimator, ZoneCalibrationAppliesTheRegionFactorToItsDistricts) {
    TempDir t;
    test::write_operator_a(t / "a");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"\nsuppressed = \"keep\"", kOperatorA);
    // Factors: R1 10000 / 100 = 100 persons per device, R2 5000 / 40 = 125.
    const auto& d1 = row(run.result, "usual_environment", "district", "D1");
    EXPECT_DOUBLE_EQ(d1.estimate, 5500);
    EXPECT_DOUBLE_EQ(row(run.result, "usual_environment", "district", "D2").estimate, 3500);
    EXPECT_DOUBLE_EQ(row(run.result, "usual_environment", "district", "D3").estimate, 5000);
    // The calibration zone itself is its census, exactly.
    const auto& r1 = row(run.result, "usual_environment", "region", "R1");
    EXPECT_DOUBLE_EQ(r1.estimate, 10000);
    EXPECT_DOUBLE_EQ(r1.ci_low, 10000);
    EXPECT_DOUBLE_EQ(r1.ci_high, 10000);
    // D1's residents: a binomial share of R1's 100 → rel. variance (1/55 − 1/100)(1 − 100/10000).
    auto [lo, hi] = expected_ci(5500, (1.0 / 55 - 1.0 / 100) * 0.99);
    EXPECT_NEAR(d1.ci_low, lo, 1e-6);
    EXPECT_NEAR(d1.ci_high, hi, 1e-6);
    // Present population: 50 devices in D1 × 100; count and factor variances add.
    const auto& p1 = row(run.result, "present_population", "district", "D1");
    EXPECT_DOUBLE_EQ(p1.estimate, 5000);
    std::tie(lo, hi) = expected_ci(5000, 1.0 / 50 * 0.99 + 1.0 / 100);
    EXPECT_NEAR(p1.ci_low, lo, 1e-6);
    EXPECT_NEAR(p1.ci_high, hi, 1e-6);
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "district", "D3").estimate, 40 * 125.0);
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "region", "R1").estimate, 8000);
}

TEST(Estimator, ZoneCalibrationAtDistrictGivesTheCensusAndTheSensitivityComparesVariants) {
    TempDir t;
    test::write_operator_a(t / "a");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"district\"", kOperatorA);
    const auto& d1 = row(run.result, "usual_environment", "district", "D1");
    EXPECT_DOUBLE_EQ(d1.estimate, 6000);
    EXPECT_DOUBLE_EQ(d1.ci_high, 6000);
    // Variants: region calibration (5500) and global (55 / 0.01 = 5500): max |5500 / 6000 − 1|.
    EXPECT_NEAR(d1.sensitivity, 500.0 / 6000, 1e-12);
    // Coverage: 55 devices of 6000 people → low quality.
    EXPECT_NEAR(d1.coverage, 55.0 / 6000, 1e-12);
    EXPECT_EQ(d1.quality, "low");
}

TEST(Estimator, GlobalCalibrationDividesByDevicesPerSubscriberAndMarketShare) {
    TempDir t;
    test::write_operator_a(t / "a");
    auto run = run_with(t, "calibration = \"global\"",
                        "[[estimate.mno]]\nname = \"A\"\ntier2_dir = \"a\"\nmarket_share = 0.01\ndevices_per_subscriber = 1.25\n");
    // 1 / (1.25 × 0.01) = 80 persons per device.
    const auto& d1 = row(run.result, "usual_environment", "district", "D1");
    EXPECT_DOUBLE_EQ(d1.estimate, 55 * 80.0);
    auto [lo, hi] = expected_ci(4400, 1.0 / 55 * (1 - 0.01));
    EXPECT_NEAR(d1.ci_low, lo, 1e-6);
    EXPECT_NEAR(d1.ci_high, hi, 1e-6);
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "region", "R2").estimate, 40 * 80.0);
    // Coverage ratio counts persons: 55 devices / 1.25 per subscriber of 6000.
    EXPECT_NEAR(d1.coverage, 44.0 / 6000, 1e-12);
}

TEST(Estimator, TwoOperatorsCombineWithMarketShareWeightsAndDeduplicatedVariance) {
    TempDir t;
    test::write_operator_a(t / "a");
    test::write_operator_b(t / "b");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"\nmulti_sim_factor = 1.2\nsuppressed = \"keep\"",
                        std::string(kOperatorA) + kOperatorB);
    ASSERT_EQ(run.result.weights.size(), 2u);
    EXPECT_DOUBLE_EQ(run.result.weights[0], 0.25);
    EXPECT_DOUBLE_EQ(run.result.weights[1], 0.75);
    // D1 residents: A 55 × 100 = 5500, B 120 × (10000 / 200) = 6000 → 0.25 · 5500 + 0.75 · 6000.
    const auto& d1 = row(run.result, "usual_environment", "district", "D1");
    EXPECT_DOUBLE_EQ(d1.estimate, 5875);
    // Overdispersion of the districts' residents against their region's rate:
    // A (55 − 60)² / 60 + (35 − 30)² / 30 = 1.25 over 4 − 2 degrees of freedom → 1 (never below);
    // B (50 − 60)² / 60 + (30 − 20)² / 20 = 20 / 3 over 2 → 10 / 3.
    EXPECT_DOUBLE_EQ(run.result.residents_dispersion[0], 1);
    EXPECT_NEAR(run.result.residents_dispersion[1], 10.0 / 3, 1e-12);
    const double va = 5500.0 * 5500 * (1.0 / 55 - 1.0 / 100) * (1 - 100.0 / 10000);
    const double vb = 6000.0 * 6000 * (1.0 / 120 - 1.0 / 200) * (1 - 200.0 / 10000) * (10.0 / 3);
    EXPECT_NEAR(d1.variance, 1.2 * (0.0625 * va + 0.5625 * vb), 1e-6);
    // The Tier II columns of a combined row: the operators' sums.
    EXPECT_EQ(d1.fields[5], "175");
    EXPECT_EQ(d1.fields[7], "175");
    // Coverage: (55 + 120) persons / 1.2 (people on both networks) of 6000.
    EXPECT_NEAR(d1.coverage, 175 / 1.2 / 6000, 1e-12);
    // D2's present population is suppressed at A: the combination cannot be made.
    const auto& p2 = row(run.result, "present_population", "district", "D2");
    EXPECT_EQ(p2.kind, RowKind::suppressed);
    EXPECT_TRUE(std::isnan(p2.estimate));
    EXPECT_EQ(p2.fields[3], "");
    // D1's present population: A 50 × 100, B 100 × 50.
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "district", "D1").estimate, 0.25 * 5000 + 0.75 * 5000);
}

TEST(Estimator, SuppressedRowsAreEstimatedFromTheParentRoundedAndFlagged) {
    TempDir t;
    test::write_operator_a(t / "a");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"\nrounding = 100", kOperatorA);
    // R1 80 − D1 50 = 30 devices for D2 and D4, shared 3000 : 1000 by census → 22.5 and 7.5, × 100.
    const auto& d2 = row(run.result, "present_population", "district", "D2");
    const auto& d4 = row(run.result, "present_population", "district", "D4");
    EXPECT_EQ(d2.kind, RowKind::estimated);
    EXPECT_EQ(d2.fields[4], "estimated");
    EXPECT_EQ(d2.fields[3], "") << "the Tier II value stays withheld";
    EXPECT_EQ(d2.fields[5], "");
    EXPECT_DOUBLE_EQ(d2.estimate, 2300);  // 2250 rounded to a multiple of 100
    EXPECT_DOUBLE_EQ(d4.estimate, 800);   // 750
    for (const auto* r : {&d2, &d4}) {
        EXPECT_DOUBLE_EQ(std::fmod(r->ci_low, 100), 0);
        EXPECT_DOUBLE_EQ(std::fmod(r->ci_high, 100), 0);
        EXPECT_LT(r->ci_low, r->estimate);
        EXPECT_GT(r->ci_high, r->estimate);
        EXPECT_EQ(r->quality, "low");
    }
    // Released rows are untouched.
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "district", "D1").estimate, 5000);
}

TEST(Estimator, SuppressedRowsKeptAreNeverReadAsZero) {
    TempDir t;
    test::write_operator_a(t / "a");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"\nsuppressed = \"keep\"", kOperatorA);
    auto rows = test::read_tier3(t / "est" / "tier3" / "present_population.csv");
    EXPECT_EQ(rows["district,D2"]["status"], "suppressed");
    EXPECT_EQ(rows["district,D2"]["estimate"], "");
    EXPECT_EQ(rows["district,D2"]["ci_low"], "");
    EXPECT_EQ(rows["district,D2"]["quality"], "");
    EXPECT_EQ(rows["district,D1"]["estimate"], "5000");
}

TEST(Estimator, TopLevelSuppressedRowsHaveNoParentAndStaySuppressed) {
    TempDir t;
    test::write_operator_a(t / "a");
    test::write_present(t / "a", {{"region", "R1", "80"}, {"region", "R2", ""}, {"district", "D1", "50"}, {"district", "D2", "30"},
                                  {"district", "D4", ""}, {"district", "D3", ""}});
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"", kOperatorA);
    EXPECT_EQ(row(run.result, "present_population", "region", "R2").kind, RowKind::suppressed);
    EXPECT_EQ(row(run.result, "present_population", "district", "D3").kind, RowKind::suppressed) << "its parent is unknown";
    // D4 = R1 − D1 − D2 = 0 devices: an estimate of 0, not a recovered count.
    EXPECT_EQ(row(run.result, "present_population", "district", "D4").kind, RowKind::estimated);
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "district", "D4").estimate, 0);
}

TEST(Estimator, AResidentsRowSuppressedFallsBackToTheParentFactor) {
    TempDir t;
    test::write_operator_a(t / "a");
    test::write_residents(t / "a", {{"region", "R1", "100"}, {"region", "R2", "40"}, {"district", "D1", ""}, {"district", "D2", "35"},
                                    {"district", "D4", ""}, {"district", "D3", "40"}});
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"district\"\nsuppressed = \"keep\"", kOperatorA);
    // D1's own factor is unknown: R1's (100) scales its 50 present devices.
    EXPECT_DOUBLE_EQ(row(run.result, "present_population", "district", "D1").estimate, 5000);
    EXPECT_EQ(run.result.calibration_fallbacks[0], 1u);
}

TEST(Estimator, DistrictFactorsShrinkTowardTheRegionsWithAPriorOfDevices) {
    TempDir t;
    test::write_operator_a(t / "a");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"district\"\ncalibration_prior_devices = 55\nsuppressed = \"keep\"",
                        kOperatorA);
    // National factor 15000 / 140; R1 (100 residents) weighs its own 100 by 100 / 155;
    // D1 (55 residents) weighs its own 6000 / 55 by 55 / 110 = 1/2.
    const double w_r1 = 100.0 / 155, national = 15000.0 / 140;
    const double f_r1 = std::exp(w_r1 * std::log(100.0) + (1 - w_r1) * std::log(national));
    const double f_d1 = std::sqrt(6000.0 / 55 * f_r1);
    const auto& d1 = row(run.result, "usual_environment", "district", "D1");
    EXPECT_NEAR(d1.estimate, 55 * f_d1, 1e-9);
    EXPECT_GT(d1.estimate, 5500) << "between the region's share (5500) …";
    EXPECT_LT(d1.estimate, 6000) << "… and the census (6000)";
    // Its residents deviate from the census by half of R1's binomial share,
    // R1's own deviation (from the national rate) damped by (55 / 155)²; no overdispersion
    // (districts against regions: χ² 1.25 over 2 degrees of freedom).
    const double r1_own = (1 - w_r1) * (1 - w_r1) * (1.0 / 100 - 1.0 / 140);
    const double d1_rel_var = 0.25 * (1.0 / 55 - 1.0 / 100 + r1_own) * (1 - 55.0 / 6000);
    EXPECT_NEAR(d1.variance, d1.estimate * d1.estimate * d1_rel_var, 1e-6);
    const auto [lo, hi] = expected_ci(d1.estimate, d1_rel_var);
    EXPECT_NEAR(d1.ci_low, lo, 1e-6);
    EXPECT_NEAR(d1.ci_high, hi, 1e-6);
    // Other indicators carry the shrunk factor and its variance: 50 present devices.
    const double f_rel_var = 0.25 / 55 + 0.25 * (w_r1 * w_r1 / 100 + (1 - w_r1) * (1 - w_r1) / 140);
    const auto& p1 = row(run.result, "present_population", "district", "D1");
    EXPECT_NEAR(p1.estimate, 50 * f_d1, 1e-9);
    EXPECT_NEAR(p1.variance, p1.estimate * p1.estimate * (1.0 / 50 * (1 - 55.0 / 6000) + f_rel_var), 1e-6);
}

TEST(Estimator, InboundVisitorsUsePerCountryFactors) {
    TempDir t;
    test::write_operator_a(t / "a");
    test::spit(t / "a" / "tier2" / "tourism_inbound.csv",
               "zone_level,zone_id,month,country,visitors,trips,nights,status,support\n"
               "region,R1,2024-01,FR,20,22,60,ok,20\nregion,R1,2024-01,ML,16,16,40,ok,16\n");
    test::spit(t / "factors.csv", "country,factor\nFR,2.5\n*,4\n");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"",
                        std::string(kOperatorA) + "inbound_factors = \"factors.csv\"\n");
    const Tier3Table* inbound = run.result.table("tourism_inbound");
    ASSERT_NE(inbound, nullptr);
    ASSERT_EQ(inbound->rows.size(), 2u);
    EXPECT_DOUBLE_EQ(inbound->rows[0].estimate, 50);  // FR: 20 × 2.5
    EXPECT_DOUBLE_EQ(inbound->rows[1].estimate, 64);  // ML: the '*' factor
    // No '*' row: a country without a factor is an error, never a default.
    test::spit(t / "factors.csv", "country,factor\nFR,2.5\n");
    try {
        run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"", std::string(kOperatorA) + "inbound_factors = \"factors.csv\"\n");
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no factor for country 'ML'"), std::string::npos) << e.what();
    }
}

TEST(Estimator, WithoutInboundFactorsInboundTourismIsSkippedLoudly) {
    TempDir t;
    test::write_operator_a(t / "a");
    test::spit(t / "a" / "tier2" / "tourism_inbound.csv",
               "zone_level,zone_id,month,country,visitors,trips,nights,status,support\nregion,R1,2024-01,FR,20,22,60,ok,20\n");
    auto run = run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"", kOperatorA);
    EXPECT_EQ(run.result.table("tourism_inbound"), nullptr);
    ASSERT_EQ(run.result.skipped.size(), 1u);
    EXPECT_NE(run.result.skipped[0].find("tourism_inbound"), std::string::npos);
    EXPECT_NE(run.text.find("skipped tourism_inbound"), std::string::npos);
}

TEST(Estimator, QualityFileSummarisesEachIndicatorAndLevel) {
    TempDir t;
    test::write_operator_a(t / "a");
    run_with(t, "calibration = \"zone\"\ncalibration_level = \"region\"", kOperatorA);
    const std::string q = test::slurp(t / "est" / "tier3" / "quality.csv");
    EXPECT_EQ(q.substr(0, q.find('\n')), "indicator,zone_level,rows,coverage_ratio,sensitivity,quality");
    // District coverage: median of 55/6000, 35/3000, 10/1000, 40/5000 = (0.009167 + 0.01) / 2.
    EXPECT_NE(q.find("\nusual_environment,district,4,0.0096,"), std::string::npos) << q;
    EXPECT_NE(q.find("\npresent_population,region,2,"), std::string::npos) << q;
}

}  // namespace
}  // namespace mpdstat
