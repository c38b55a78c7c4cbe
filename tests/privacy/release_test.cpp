// release(): the threshold, flag and drop, means, noise and its budget.
#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "privacy/noise.hpp"
#include "privacy/released_csv.hpp"
#include "privacy/released_table.hpp"
#include "sdc_test_util.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

using test::make_hierarchy;

ZoneHierarchyView flat() { return make_hierarchy({"district"}, {{{"D1", ""}, {"D2", ""}, {"D3", ""}}}); }

AggregateTable counts(std::vector<uint64_t> supports) {
    AggregateTable t;
    t.name = "counts";
    t.zone_columns = {"zone_id"};
    t.value_columns = {"devices"};
    t.hierarchical = false;
    for (uint32_t i = 0; i < supports.size(); ++i)
        t.rows.push_back({0, {i}, {}, {static_cast<double>(supports[i])}, supports[i]});
    return t;
}

TEST(Release, ThresholdIsGreaterOrEqual) {
    const ReleasedTable r = release(counts({15, 14, 16}), flat(), SdcConfig{});
    EXPECT_EQ(r.status(), (std::vector<RowStatus>{RowStatus::ok, RowStatus::suppressed, RowStatus::ok}));
    EXPECT_EQ(r.table().rows[0].values[0], 15.0);
    EXPECT_EQ(r.table().rows[0].support, 15u);
    // Nothing of the suppressed row survives inside the released table.
    EXPECT_TRUE(std::isnan(r.table().rows[1].values[0]));
    EXPECT_EQ(r.table().rows[1].support, 0u);
    SdcConfig twenty;
    twenty.min_devices = 20;
    EXPECT_EQ(release(counts({15, 14, 20}), flat(), twenty).summary().released, 1u);
}

TEST(Release, ThresholdIsOnTheUnweightedSupportNeverOnTheValue) {
    // Scaled to the population, 3 devices become 450 people: still suppressed. A row of 20 devices
    // whose weighted count is 2.5 is released.
    AggregateTable t = counts({3, 20});
    t.rows[0].values[0] = 450.0;
    t.rows[1].values[0] = 2.5;
    const ReleasedTable r = release(t, flat(), SdcConfig{});
    EXPECT_EQ(r.status(), (std::vector<RowStatus>{RowStatus::suppressed, RowStatus::ok}));
}

TEST(Release, DropModeOmitsSuppressedRows) {
    SdcConfig drop;
    drop.suppressed = SuppressedMode::drop;
    const ReleasedTable r = release(counts({30, 2, 15}), flat(), drop);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r.table().rows[0].zones[0], 0u);
    EXPECT_EQ(r.table().rows[1].zones[0], 2u);
    EXPECT_EQ(r.status(), (std::vector<RowStatus>{RowStatus::ok, RowStatus::ok}));
    EXPECT_EQ(r.summary().rows, 3u);
    EXPECT_EQ(r.summary().dropped, 1u);
    EXPECT_EQ(r.summary().released, 2u);
}

TEST(Release, DropModeStillAppliesSecondarySuppression) {
    const auto h = make_hierarchy({"region", "district"}, {{{"R", ""}}, {{"A", "R"}, {"B", "R"}, {"C", "R"}}});
    AggregateTable t;
    t.name = "p";
    t.zone_columns = {"zone_id"};
    t.value_columns = {"devices"};
    t.rows = {{0, {0}, {}, {64}, 64}, {1, {0}, {}, {4}, 4}, {1, {1}, {}, {40}, 40}, {1, {2}, {}, {20}, 20}};
    SdcConfig drop;
    drop.suppressed = SuppressedMode::drop;
    const ReleasedTable r = release(t, h, drop);
    ASSERT_EQ(r.size(), 2u);  // R and B; A (primary) and C (secondary) dropped
    EXPECT_EQ(r.table().rows[1].zones[0], 1u);
    EXPECT_EQ(r.summary().dropped, 2u);
    EXPECT_EQ(r.summary().secondary_suppressed, 1u);
}

TEST(Release, MeansMediansAndPercentilesOnlyWithAPassingSupport) {
    AggregateTable t;
    t.name = "mobility";
    t.zone_columns = {"home_zone"};
    t.key_columns = {"metric"};
    t.value_columns = {"devices", "mean", "median", "p90"};
    t.additive_values = 1;
    t.hierarchical = false;
    t.rows = {{0, {0}, {"daily_distance_km"}, {10, 3.5, 2.0, 9.0}, 10},
              {0, {1}, {"daily_distance_km"}, {25, 4.25, 3.0, 11.0}, 25}};
    const ReleasedTable r = release(t, flat(), SdcConfig{});
    EXPECT_EQ(r.status()[0], RowStatus::suppressed);
    for (double v : r.table().rows[0].values) EXPECT_TRUE(std::isnan(v));
    EXPECT_EQ(r.status()[1], RowStatus::ok);
    EXPECT_EQ(r.table().rows[1].values, (std::vector<double>{25, 4.25, 3.0, 11.0}));
}

TEST(Release, RejectsTablesThatDoNotMatch) {
    AggregateTable t = counts({20, 20});
    t.rows[1].zones = {0};  // the same cell twice
    EXPECT_THROW(release(t, flat(), SdcConfig{}), Error);
    t = counts({20, 20, 20});
    t.rows[2].zones = {0};  // the same cell twice, not side by side: found after sorting
    EXPECT_THROW(release(t, flat(), SdcConfig{}), Error);
    t = counts({20});
    t.rows[0].zones = {7};
    EXPECT_THROW(release(t, flat(), SdcConfig{}), Error);
    t = counts({20});
    t.rows[0].values.push_back(1);
    EXPECT_THROW(release(t, flat(), SdcConfig{}), Error);
}

TEST(Release, SummaryAsJson) {
    const ReleasedTable r = release(counts({30, 2, 15}), flat(), SdcConfig{});
    const auto j = to_json(r.summary());
    EXPECT_EQ(j.dump(),
              R"({"table":"counts","rows":3,"released":2,"primary_suppressed":1,"secondary_suppressed":0,"linked_suppressed":0,)"
              R"("dropped":0,)"
              R"("levels":1,"zone_columns":["zone_id"],"key_columns":[],"value_columns":["devices"],"additive_values":1,)"
              R"("hierarchical":false,"min_devices":15,"suppressed":"flag","secondary":false,"noise":{"mechanism":"none"}})");
}

// --- Noise ---

AggregateTable big_counts() {
    AggregateTable t;
    t.name = "present_population";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"time"};
    t.value_columns = {"devices", "mean_events"};
    t.additive_values = 1;
    t.hierarchical = false;
    for (uint32_t z = 0; z < 3; ++z)
        for (int h = 0; h < 24; ++h)
            t.rows.push_back({0, {z}, {fmt::format("2024-01-01T{:02}:00+00:00", h)}, {100.0 + h, 3.25}, 100u + h});
    t.rows.push_back({0, {1}, {"2024-01-02T00:00+00:00"}, {3, 1.0}, 3});
    return t;
}

TEST(Noise, OffByDefault) {
    EXPECT_EQ(SdcConfig{}.noise, NoiseMechanism::none);
    const AggregateTable t = big_counts();
    const ReleasedTable r = release(t, flat(), SdcConfig{});
    AggregateTable sorted = t;
    std::sort(sorted.rows.begin(), sorted.rows.end(), canonical_less);
    for (size_t i = 0; i < r.size(); ++i) {
        if (r.status()[i] != RowStatus::ok) continue;
        EXPECT_EQ(r.table().rows[i].values, sorted.rows[i].values);
        EXPECT_EQ(r.table().rows[i].support, sorted.rows[i].support);
    }
    EXPECT_FALSE(to_json(r.summary())["noise"].contains("epsilon"));
}

TEST(Noise, SameSeedSameBytesOtherSeedOtherNoise) {
    test::TempDir dir;
    SdcConfig lap;
    lap.noise = NoiseMechanism::laplace;
    lap.seed = 42;
    const AggregateTable t = big_counts();
    write_released_csv(release(t, flat(), lap), flat(), dir / "a.csv");
    AggregateTable shuffled = t;
    std::reverse(shuffled.rows.begin(), shuffled.rows.end());
    write_released_csv(release(shuffled, flat(), lap), flat(), dir / "b.csv");
    EXPECT_EQ(test::slurp(dir / "a.csv"), test::slurp(dir / "b.csv"));
    lap.seed = 43;
    write_released_csv(release(t, flat(), lap), flat(), dir / "c.csv");
    EXPECT_NE(test::slurp(dir / "a.csv"), test::slurp(dir / "c.csv"));
    write_released_csv(release(t, flat(), SdcConfig{}), flat(), dir / "plain.csv");
    EXPECT_NE(test::slurp(dir / "a.csv"), test::slurp(dir / "plain.csv"));
}

TEST(Noise, NoisyCountsAreWholeNonNegativeAndTheSupportStaysAtTheThreshold) {
    SdcConfig g;
    g.noise = NoiseMechanism::gaussian;
    g.epsilon = 0.5;
    g.seed = 7;
    AggregateTable t = big_counts();
    for (auto& row : t.rows) {  // small counts with a big support: noise would go below 0
        row.values = {1, 3.25};
        row.support = 16;
    }
    const ReleasedTable r = release(t, flat(), g);
    bool changed = false;
    for (size_t i = 0; i < r.size(); ++i) {
        if (r.status()[i] != RowStatus::ok) continue;
        const auto& row = r.table().rows[i];
        EXPECT_GE(row.values[0], 0.0);
        EXPECT_EQ(row.values[0], std::round(row.values[0]));
        EXPECT_GE(row.support, 15u);
        EXPECT_EQ(row.values[1], 3.25);  // non-additive values are not noised
        changed |= row.values[0] != 1.0;
    }
    EXPECT_TRUE(changed);
}

TEST(Noise, ScalesAndBudget) {
    SdcConfig lap;
    lap.noise = NoiseMechanism::laplace;
    lap.epsilon = 0.5;
    lap.max_contributions = 3;
    EXPECT_DOUBLE_EQ(noise_scale(lap), 6.0);  // Δ1 / ε = 3 / 0.5
    SdcConfig g;
    g.noise = NoiseMechanism::gaussian;
    g.epsilon = 0.5;
    g.delta = 1e-6;
    // sqrt(2 ln(1.25e6)) / 0.5 = sqrt(2 × 14.038654) / 0.5 = 5.298802 / 0.5
    EXPECT_NEAR(noise_scale(g), 10.597605, 1e-5);
    g.max_contributions = 4;  // Δ2 = 2
    EXPECT_NEAR(noise_scale(g), 21.195210, 1e-5);
    EXPECT_EQ(noise_scale(SdcConfig{}), 0.0);

    // Two levels × (devices, support) = 4 releases at ε = 0.5, δ = 1e-6.
    const auto h = make_hierarchy({"region", "district"}, {{{"R", ""}}, {{"A", "R"}, {"B", "R"}}});
    AggregateTable t;
    t.name = "p";
    t.zone_columns = {"zone_id"};
    t.value_columns = {"devices"};
    t.rows = {{0, {0}, {}, {60}, 60}, {1, {0}, {}, {20}, 20}, {1, {1}, {}, {40}, 40}};
    g.max_contributions = 1;
    const auto j = to_json(release(t, h, g).summary())["noise"];
    EXPECT_EQ(j["mechanism"], "gaussian");
    EXPECT_EQ(j["releases"], 4);
    EXPECT_DOUBLE_EQ(j["epsilon_total"].get<double>(), 2.0);
    EXPECT_DOUBLE_EQ(j["delta_total"].get<double>(), 4e-6);
    EXPECT_EQ(j["columns"], nlohmann::json::parse(R"(["devices","support"])"));
}

TEST(Noise, LaplaceDrawsHaveTheRightSpread) {
    SdcConfig lap;
    lap.noise = NoiseMechanism::laplace;
    lap.epsilon = 1.0;
    double sum = 0, abs_sum = 0;
    const int n = 40000;
    for (int i = 0; i < n; ++i) {
        const double x = noise_draw(lap, "cell " + std::to_string(i));
        sum += x;
        abs_sum += std::fabs(x);
    }
    EXPECT_NEAR(sum / n, 0.0, 0.03);     // mean 0 (sd of the mean ≈ 0.007)
    EXPECT_NEAR(abs_sum / n, 1.0, 0.03);  // E|X| = b = 1
    EXPECT_EQ(noise_draw(lap, "x"), noise_draw(lap, "x"));
}

}  // namespace
}  // namespace mpdstat

namespace mpdstat {
namespace {

TEST(Release, WithheldRowsAreSuppressedAndCountedAsLinked) {
    auto withhold = [](const AggregateRow& r) { return r.zones[0] == 1; };
    const ReleasedTable r = release(counts({30, 40, 15}), flat(), SdcConfig{}, withhold);
    EXPECT_EQ(r.status(), (std::vector<RowStatus>{RowStatus::ok, RowStatus::suppressed, RowStatus::ok}));
    EXPECT_EQ(r.summary().linked_suppressed, 1u);
    EXPECT_EQ(r.summary().primary_suppressed, 0u);
}

}  // namespace
}  // namespace mpdstat
