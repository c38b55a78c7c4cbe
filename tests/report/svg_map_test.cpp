#include "report/svg_map.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace mpdstat::report {
namespace {

ProjectedLayer three_zones() {
    ProjectedLayer layer;
    layer.level = "district";
    layer.width = 100, layer.height = 50;
    layer.zones = {{"D1", "One", "", {10, 10}, "M0 0 L10 0 L10 10 Z"},
                   {"D2", "Two", "", {50, 10}, "M40 0 L60 0 L60 10 Z"},
                   {"D3", "D3", "", {90, 10}, "M80 0 L90 0 L90 10 Z"}};
    for (size_t i = 0; i < layer.zones.size(); ++i) layer.index[layer.zones[i].id] = i;
    return layer;
}

TEST(SvgMap, ChoroplethHasOnePathPerZoneAndHatchesSuppressedZones) {
    std::map<std::string, CellValue> values;
    values["D1"] = {true, 1234, std::nullopt, std::nullopt};
    values["D2"] = {false, 0, std::nullopt, std::nullopt};
    // D3 has no row.
    std::string svg = render_choropleth(three_zones(), values, {"residents-district", "Residents", "devices", 15});
    EXPECT_EQ(test::occurrences(svg, "data-map=\"residents-district\""), 1u);
    EXPECT_EQ(test::occurrences(svg, "<path data-zone="), 3u);
    EXPECT_NE(svg.find(R"~(<path data-zone="D2" fill="url(#suppressed-hatch)")~"), std::string::npos);
    EXPECT_NE(svg.find(R"(<path data-zone="D3" fill="#ffffff")"), std::string::npos);
    EXPECT_NE(svg.find("<title>One (D1): 1,234 devices</title>"), std::string::npos);
    EXPECT_NE(svg.find("<title>Two (D2): suppressed</title>"), std::string::npos);
    EXPECT_NE(svg.find("suppressed (&lt; 15 devices)"), std::string::npos);  // legend entry
    EXPECT_NE(svg.find("no data"), std::string::npos);
    EXPECT_NE(svg.find(R"(<span class="legend-title">devices</span>)"), std::string::npos);  // unit
}

TEST(SvgMap, TierThreeTooltipsGiveTheInterval) {
    std::map<std::string, CellValue> values;
    values["D1"] = {true, 2000, 1800.0, 2250.0};
    std::string svg = render_choropleth(three_zones(), values, {"m", "t", "persons", 15});
    EXPECT_NE(svg.find("One (D1): 2,000 persons (1,800 – 2,250)"), std::string::npos);
}

TEST(SvgMap, FramesCarryOneClassCodePerFrameAndShowTheChosenFrame) {
    std::vector<std::map<std::string, CellValue>> frames(2);
    frames[0]["D1"] = {true, 10, {}, {}};
    frames[0]["D2"] = {true, 100, {}, {}};
    frames[1]["D1"] = {true, 100, {}, {}};
    frames[1]["D2"] = {false, 0, {}, {}};
    std::string svg = render_choropleth_frames(three_zones(), frames, {"00:00", "01:00"}, 1, {"hour-district", "t", "devices", 15});
    EXPECT_NE(svg.find(R"(data-frames="00:00|01:00")"), std::string::npos);
    EXPECT_NE(svg.find(R"(data-zone="D1" data-classes="01")"), std::string::npos);
    EXPECT_NE(svg.find(R"~(data-zone="D2" data-classes="1s" fill="url(#suppressed-hatch)")~"), std::string::npos);
    EXPECT_NE(svg.find(R"(data-zone="D3" data-classes="nn" fill="#ffffff")"), std::string::npos);
    EXPECT_EQ(test::occurrences(svg, "<path data-zone="), 3u);
}

TEST(SvgMap, FlowMapDrawsTheLargestFlowsBetweenDifferentZones) {
    std::vector<Flow> flows = {{"D1", "D2", 50}, {"D2", "D1", 20}, {"D1", "D1", 500}, {"D1", "D3", 5}, {"D1", "X9", 900}};
    std::string svg = render_flow_map(three_zones(), flows, {"od-district", "OD", "trips", 2});
    EXPECT_EQ(test::occurrences(svg, "<path data-zone="), 3u);
    EXPECT_EQ(test::occurrences(svg, "class=\"flow\""), 2u);  // top 2; the diagonal and the unknown zone are left out
    EXPECT_NE(svg.find(R"(data-flow="D1&gt;D2")"), std::string::npos);
    EXPECT_NE(svg.find(R"(data-flow="D2&gt;D1")"), std::string::npos);
    EXPECT_EQ(svg.find(R"(data-flow="D1&gt;D3")"), std::string::npos);
    EXPECT_NE(svg.find("the 2 largest flows shown"), std::string::npos);
    // The largest flow is the widest.
    EXPECT_NE(svg.find(R"(stroke-width="7" marker-end)"), std::string::npos);
}

}  // namespace
}  // namespace mpdstat::report
