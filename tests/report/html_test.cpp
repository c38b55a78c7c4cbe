#include "report/html.hpp"

#include <gtest/gtest.h>

namespace mpdstat::report {
namespace {

TEST(ReportHtml, EscapesMarkupAndQuotes) {
    EXPECT_EQ(html_escape(R"(<a href="x">Tom & Jerry's</a>)"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST(ReportHtml, NumbersAreGroupedAndTrimmedWhateverTheLocale) {
    EXPECT_EQ(format_number(1234567), "1,234,567");
    EXPECT_EQ(format_number(999), "999");
    EXPECT_EQ(format_number(1234.5, 2), "1,234.5");
    EXPECT_EQ(format_number(-1234.25, 1), "-1,234.2");  // round half to even of the binary value
    EXPECT_EQ(format_number(-0.01, 1), "0");
    EXPECT_EQ(format_value(1436.58), "1,437");
    EXPECT_EQ(format_value(14.36), "14.4");
    EXPECT_EQ(format_value(1.436), "1.44");
    EXPECT_EQ(format_value(0.001955), "0.00196");
    EXPECT_EQ(format_value(0), "0");
    EXPECT_EQ(format_percent(0.125), "12.5 %");
}

TEST(ReportHtml, SvgNumbersHaveOneDecimalAndNoNegativeZero) {
    EXPECT_EQ(svg_number(12.0), "12");
    EXPECT_EQ(svg_number(12.34), "12.3");
    EXPECT_EQ(svg_number(-0.04), "0");
    EXPECT_EQ(svg_number(-3.26), "-3.3");
}

}  // namespace
}  // namespace mpdstat::report
