// The released-table writer: header, order, number formatting, suppressed rows.
#include <gtest/gtest.h>

#include "privacy/released_csv.hpp"
#include "sdc_test_util.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

TEST(ReleasedCsv, NumbersAreFormattedDeterministically) {
    EXPECT_EQ(format_value(12), "12");
    EXPECT_EQ(format_value(0), "0");
    EXPECT_EQ(format_value(-0.0), "0");
    EXPECT_EQ(format_value(2.5), "2.5");
    EXPECT_EQ(format_value(1.0 / 3), "0.333333");
    EXPECT_EQ(format_value(2.0 / 3), "0.666667");
    EXPECT_EQ(format_value(1e-9), "0");
    EXPECT_EQ(format_value(-1e-9), "0");
    EXPECT_EQ(format_value(1234567.125), "1234567.125");
    EXPECT_EQ(format_value(123456789012.0), "123456789012");
    EXPECT_EQ(format_value(-4.75), "-4.75");
    EXPECT_EQ(format_value(0.1 + 0.2), "0.3");
    EXPECT_EQ(format_value(std::nan("")), "");
}

TEST(ReleasedCsv, HeaderOrderAndSuppressedRows) {
    const auto h = test::make_hierarchy({"region", "district"},
                                        {{{"R1", ""}, {"R2", ""}}, {{"D1", "R1"}, {"D2", "R1"}, {"D3", "R1"}, {"D,4", "R2"}}});
    AggregateTable t;
    t.name = "mobility";
    t.zone_columns = {"home_zone"};
    t.key_columns = {"period_start", "metric"};
    t.value_columns = {"devices", "mean", "median", "p90"};
    t.additive_values = 1;
    // Given out of order; weighted counts with fractions. D1 fails (support 4) and D3 (support 20,
    // smaller than D2's 30) is suppressed with it so that R1 − D2 gives only D1 + D3.
    t.rows = {
        {1, {3}, {"2024-01-01", "distance_km"}, {40, 12.5, 10, 30}, 40},
        {1, {2}, {"2024-01-01", "distance_km"}, {20.25, 1.0 / 3, 0.5, 2}, 20},
        {0, {1}, {"2024-01-01", "distance_km"}, {40, 12.5, 10, 30}, 40},
        {1, {0}, {"2024-01-01", "distance_km"}, {4, 7, 7, 9}, 4},
        {0, {0}, {"2024-01-01", "distance_km"}, {54.75, 2.25, 1.5, 8}, 54},
        {1, {1}, {"2024-01-01", "distance_km"}, {30.5, 2, 1, 6}, 30},
    };
    const ReleasedTable r = release(t, h, SdcConfig{});
    test::TempDir dir;
    write_released_csv(r, h, dir / "tier2" / "mobility.csv");
    EXPECT_EQ(test::slurp(dir / "tier2" / "mobility.csv"),
              "zone_level,home_zone,period_start,metric,devices,mean,median,p90,status,support\n"
              "region,R1,2024-01-01,distance_km,54.75,2.25,1.5,8,ok,54\n"
              "region,R2,2024-01-01,distance_km,40,12.5,10,30,ok,40\n"
              "district,D1,2024-01-01,distance_km,,,,,suppressed,\n"
              "district,D2,2024-01-01,distance_km,30.5,2,1,6,ok,30\n"
              "district,D3,2024-01-01,distance_km,,,,,suppressed,\n"
              "district,\"D,4\",2024-01-01,distance_km,40,12.5,10,30,ok,40\n");
    // Nothing else left behind (the write is atomic: a temporary file renamed).
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "tier2"), std::filesystem::directory_iterator()), 1);
}

TEST(ReleasedCsv, DropModeWritesOnlyReleasedRows) {
    const auto h = test::make_hierarchy({"district"}, {{{"D1", ""}, {"D2", ""}}});
    AggregateTable t;
    t.name = "od_trips";
    t.zone_columns = {"origin", "destination"};
    t.key_columns = {"date", "departure_hour"};
    t.value_columns = {"trips", "devices"};
    t.additive_values = 2;
    t.hierarchical = false;
    t.rows = {{0, {1, 0}, {"2024-01-01", "7"}, {31, 20}, 20}, {0, {0, 1}, {"2024-01-01", "8"}, {9, 5}, 5},
              {0, {0, 1}, {"2024-01-01", "7"}, {44, 29}, 29}};
    SdcConfig drop;
    drop.suppressed = SuppressedMode::drop;
    test::TempDir dir;
    write_released_csv(release(t, h, drop), h, dir / "od_trips.csv");
    EXPECT_EQ(test::slurp(dir / "od_trips.csv"),
              "zone_level,origin,destination,date,departure_hour,trips,devices,status,support\n"
              "district,D1,D2,2024-01-01,7,44,29,ok,29\n"
              "district,D2,D1,2024-01-01,7,31,20,ok,20\n");
}

}  // namespace
}  // namespace mpdstat
