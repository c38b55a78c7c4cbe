#include "config/config.hpp"
#include "config/config_test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace mpdstat {
namespace {

const std::string& kMinimal = test::kMinimalConfig;

using test::config_error_of;

TEST(Config, DefaultsAndRelativePaths) {
    Config c = parse_config(kMinimal, "/base");
    EXPECT_EQ(c.input.events, std::vector<std::string>{"/base/events/*.csv"});
    EXPECT_EQ(c.input.cells, "/base/cells.csv");
    EXPECT_EQ(c.run.work_dir, "/base/work");
    EXPECT_EQ(c.input.delimiter, ',');
    EXPECT_EQ(c.input.timestamp_format, "iso8601");
    EXPECT_EQ(c.spatial.method, "voronoi");
    EXPECT_EQ(c.store.buckets, 64);
    EXPECT_EQ(c.run.memory_limit, 1ULL << 30);
    EXPECT_EQ(c.cleaning.jump_speed_mps, 55.0);
    EXPECT_EQ(c.input.period_end - c.input.period_start, 30);
}

TEST(Config, UnknownKeysAreErrorsWithASuggestion) {
    std::string m = config_error_of(kMinimal + "[cleaning]\njump_speed_mp = 40\n");
    EXPECT_NE(m.find("test.toml:14:1: unknown key 'cleaning.jump_speed_mp'"), std::string::npos) << m;
    EXPECT_NE(m.find("did you mean 'cleaning.jump_speed_mps'"), std::string::npos) << m;
    m = config_error_of(kMinimal + "[nonsense]\nx = 1\n");
    EXPECT_NE(m.find("unknown key 'nonsense'"), std::string::npos) << m;
}

TEST(Config, WrongTypesAndValuesNameTheKey) {
    std::string bad_type = kMinimal;
    bad_type.replace(bad_type.find("local_mcc = 608"), 15, "local_mcc = \"608\"");
    EXPECT_NE(config_error_of(bad_type).find("'input.local_mcc' must be an integer"), std::string::npos);
    std::string bad_zone = kMinimal;
    bad_zone.replace(bad_zone.find("Africa/Dakar"), 12, "Africa/Dakr");
    EXPECT_NE(config_error_of(bad_zone).find("unknown time zone 'Africa/Dakr'"), std::string::npos);
    std::string bad_day = kMinimal;
    bad_day.replace(bad_day.find("2024-01-31"), 10, "2024-01-32");
    EXPECT_NE(config_error_of(bad_day).find("period_end"), std::string::npos);
    EXPECT_NE(config_error_of(kMinimal + "[spatial]\nmethod = \"hexagon\"\n").find("spatial.method"), std::string::npos);
    EXPECT_NE(config_error_of(kMinimal.substr(0, kMinimal.find("[run]"))).find("[run]"), std::string::npos);
    std::string mem = kMinimal + "memory_limit = \"2 lots\"\n";
    EXPECT_NE(config_error_of(mem).find("run.memory_limit"), std::string::npos);
    EXPECT_NE(config_error_of("[input\n").find("test.toml:1"), std::string::npos);
}

TEST(Config, InboundResidentStayDays) {
    EXPECT_EQ(parse_config(kMinimal, "/base").tourism.inbound_resident_stay_days, 28);
    EXPECT_EQ(parse_config(kMinimal + "[tourism]\ninbound_resident_stay_days = 0\n", "/base").tourism.inbound_resident_stay_days, 0);
    EXPECT_NE(config_error_of(kMinimal + "[tourism]\ninbound_resident_stay_days = -1\n").find("tourism.inbound_resident_stay_days"),
              std::string::npos);
}

TEST(Config, OutboundEstimateMinTravellers) {
    EXPECT_EQ(parse_config(kMinimal, "/base").tourism.outbound_estimate_min_travellers, 100);
    const std::string own = kMinimal + "[tourism]\noutbound_estimate_min_travellers = 0\n";
    EXPECT_EQ(parse_config(own, "/base").tourism.outbound_estimate_min_travellers, 0);
    EXPECT_NE(config_error_of(kMinimal + "[tourism]\noutbound_estimate_min_travellers = -5\n").find("outbound_estimate_min_travellers"),
              std::string::npos);
}

TEST(Config, OutputFormats) {
    EXPECT_EQ(parse_config(kMinimal, "/base").outputs.formats, std::vector<std::string>{"csv"});
    Config c = parse_config(kMinimal + "[outputs]\nformats = [\"csv\", \"parquet\"]\n", "/base");
    EXPECT_TRUE(c.outputs.csv());
    EXPECT_TRUE(c.outputs.parquet());
    EXPECT_NE(config_error_of(kMinimal + "[outputs]\nformats = [\"xlsx\"]\n").find("'outputs.formats' holds \"xlsx\""), std::string::npos);
    EXPECT_NE(config_error_of(kMinimal + "[outputs]\nformats = []\n").find("outputs.formats"), std::string::npos);
    EXPECT_NE(config_error_of(kMinimal + "[outputs]\nformats = [\"csv\", \"csv\"]\n").find("twice"), std::string::npos);
    EXPECT_NE(config_error_of(kMinimal + "[outputs]\nformat = [\"csv\"]\n").find("unknown key 'outputs.format' (did you mean 'outputs.formats'?)"),
              std::string::npos);
}

TEST(Config, SizesAndZoneLevels) {
    EXPECT_EQ(parse_size("2GiB"), 2ULL << 30);
    EXPECT_EQ(parse_size("512 MiB"), 512ULL << 20);
    EXPECT_EQ(parse_size("1000"), 1000u);
    EXPECT_FALSE(parse_size("GiB"));
    EXPECT_FALSE(parse_size("3 parsecs"));
    Config c = parse_config(kMinimal + R"(
[[zones.levels]]
name = "region"
path = "zones/region.geojson"
[[zones.levels]]
name = "district"
path = "zones/district.geojson"
parent_field = "parent"
)", "/base");
    ASSERT_EQ(c.zones.levels.size(), 2u);
    EXPECT_EQ(c.zones.levels[1].path, "/base/zones/district.geojson");
    EXPECT_EQ(c.zones.levels[1].parent_field, "parent");
    EXPECT_EQ(c.zones.levels[0].id_field, "id");
}

TEST(Config, ManifestJsonHasNoKeyMaterial) {
    Config c = parse_config(kMinimal, "/base");
    std::string j = config_to_json(c);
    EXPECT_NE(j.find("\"key_source\": \"env:K\""), std::string::npos);
}

TEST(Config, ManifestJsonRecordsTheIndicatorParameters) {
    Config c = parse_config(kMinimal + R"(
[anchors]
rules = "gdf"
holidays = ["2024-01-01"]
[displacement]
event_date = "2024-01-10"
affected_zones = ["C1"]
)", "/base");
    auto j = nlohmann::json::parse(config_to_json(c));
    EXPECT_EQ(j["anchors"]["rules"], "gdf");
    EXPECT_EQ(j["anchors"]["holidays"][0], "2024-01-01");
    EXPECT_EQ(j["devices"]["presence_window_minutes"], 60);
    EXPECT_EQ(j["indicators"]["present_interval_minutes"], 60);
    EXPECT_EQ(j["tourism"]["inbound_trip_gap_hours"], 24);
    EXPECT_EQ(j["tourism"]["inbound_resident_stay_days"], 28);
    EXPECT_EQ(j["tourism"]["outbound_estimate_min_travellers"], 100);
    EXPECT_EQ(j["migration"]["enabled"], false);
    EXPECT_EQ(j["displacement"]["event_date"], "2024-01-10");
    EXPECT_EQ(j["displacement"]["affected_zones"][0], "C1");
}

}  // namespace
}  // namespace mpdstat
