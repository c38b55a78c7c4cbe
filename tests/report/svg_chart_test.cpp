#include "report/svg_chart.hpp"

#include <gtest/gtest.h>

namespace mpdstat::report {
namespace {

size_t occurrences(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(SvgChart, NiceAxisMaxima) {
    EXPECT_EQ(nice_axis(1530), (std::pair<double, double>{2000, 500}));
    EXPECT_EQ(nice_axis(203), (std::pair<double, double>{250, 50}));
    EXPECT_EQ(nice_axis(15), (std::pair<double, double>{15, 5}));
    EXPECT_EQ(nice_axis(0).first, 1);
}

TEST(SvgChart, SuppressedValuesAreGapsAndLonePointsAreDots) {
    LineChart chart;
    // Strings built, not assigned from literals: GCC 12 warns falsely there (-Wrestrict, GCC bug 105329).
    chart.chart_id = std::string(1, 'c');
    chart.title = std::string(1, 't');
    chart.y_unit = std::string("devices");
    chart.x_labels = {"d1", "d2", "d3", "d4", "d5"};
    chart.series.push_back({"A", {10.0, 20.0, std::nullopt, 30.0, std::nullopt}, {}, {}});
    std::string svg = render_line_chart(chart);
    // One line of two segments: d1–d2, then a new subpath at d4 after the gap.
    size_t d = svg.find("data-series=\"A\" d=\"");
    ASSERT_NE(d, std::string::npos);
    std::string path = svg.substr(d, svg.find('"', d + 19) - d);
    EXPECT_EQ(occurrences(path, "M"), 2u);
    EXPECT_EQ(occurrences(path, "L"), 1u);
    EXPECT_EQ(occurrences(svg, "<circle"), 3u);  // a short series: every value is a dot, d4 included
    EXPECT_NE(svg.find("<title>A d4: 30</title>"), std::string::npos);
    EXPECT_NE(svg.find(R"(<span class="legend-title">devices</span>)"), std::string::npos);
}

TEST(SvgChart, BarTablesScaleToTheLargestAndNameSuppressedRows) {
    std::string html = render_bar_table("b", "visitors", {{"FR", 40.0, ""}, {"DE", 10.0, ""}, {"IT", std::nullopt, "5 of 5 cells suppressed"}});
    EXPECT_NE(html.find(R"(<th scope="row">FR</th><td class="bar-cell"><span class="bar" style="width:100%">)"), std::string::npos);
    EXPECT_NE(html.find(R"(<th scope="row">DE</th><td class="bar-cell"><span class="bar" style="width:25%">)"), std::string::npos);
    EXPECT_NE(html.find(R"(<th scope="row">IT</th><td class="bar-cell"></td><td class="num">suppressed</td><td class="note">5 of 5 cells suppressed</td>)"),
              std::string::npos);
}

}  // namespace
}  // namespace mpdstat::report
