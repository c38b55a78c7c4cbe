#include "report/colour_scale.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

namespace mpdstat::report {
namespace {

double luminance(const std::string& hex) {
    long rgb = std::strtol(hex.c_str() + 1, nullptr, 16);
    return 0.2126 * ((rgb >> 16) & 255) + 0.7152 * ((rgb >> 8) & 255) + 0.0722 * (rgb & 255);
}

TEST(ColourScale, QuantileBreaksSplitTheValuesEvenly) {
    std::vector<double> values;
    for (int i = 1; i <= 100; ++i) values.push_back(i);
    auto scale = ColourScale::quantiles(values, 5);
    EXPECT_EQ(scale.breaks(), (std::vector<double>{21, 41, 61, 81}));
    EXPECT_EQ(scale.classes(), 5);
    EXPECT_EQ(scale.class_of(1), 0);
    EXPECT_EQ(scale.class_of(20.9), 0);
    EXPECT_EQ(scale.class_of(21), 1);  // a break starts its class
    EXPECT_EQ(scale.class_of(100), 4);
    EXPECT_EQ(scale.label(0), "< 21");
    EXPECT_EQ(scale.label(1), "21 – 41");
    EXPECT_EQ(scale.label(4), "≥ 81");
}

TEST(ColourScale, BreaksAreRoundedAndNeverEmptyClasses) {
    auto scale = ColourScale::quantiles({1234, 1234, 1234, 5678, 9876}, 5);
    for (double b : scale.breaks()) EXPECT_EQ(b, round_significant(b));
    EXPECT_GT(scale.breaks().front(), 1234);  // no class below the smallest value
    auto single = ColourScale::quantiles({7, 7, 7});
    EXPECT_EQ(single.classes(), 1);
    EXPECT_EQ(single.class_of(7), 0);
    EXPECT_EQ(ColourScale::quantiles({}).classes(), 1);
    EXPECT_EQ(round_significant(1234), 1200);
    EXPECT_DOUBLE_EQ(round_significant(0.0456), 0.046);
}

TEST(ColourScale, ColoursDarkenStepByStepSoGrayscalePrintKeepsTheOrder) {
    for (int classes = 2; classes <= 7; ++classes) {
        std::vector<double> breaks;
        for (int i = 1; i < classes; ++i) breaks.push_back(i * 10);
        auto scale = ColourScale::with_breaks(breaks);
        ASSERT_EQ(scale.classes(), classes);
        for (int c = 1; c < classes; ++c)
            EXPECT_LT(luminance(scale.colour(c)), luminance(scale.colour(c - 1)) - 15) << classes << " classes, class " << c;
    }
}

}  // namespace
}  // namespace mpdstat::report
