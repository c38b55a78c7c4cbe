#include "report/colour_scale.hpp"

#include <algorithm>
#include <cmath>

#include "report/html.hpp"

namespace mpdstat::report {

namespace {

// ColorBrewer YlGnBu, 7 classes (light yellow to dark blue).
const std::vector<std::string> kPalette = {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4",
                                           "#1d91c0", "#225ea8", "#0c2c84"};

}  // namespace

double round_significant(double value) {
    if (value == 0 || !std::isfinite(value)) return value;
    double magnitude = std::pow(10.0, std::floor(std::log10(std::fabs(value))) - 1);
    return std::round(value / magnitude) * magnitude;
}

ColourScale::ColourScale(std::vector<double> breaks) : breaks_(std::move(breaks)) {
    // Spread the classes over the whole palette so that two classes are light and dark, not two yellows.
    const int n = classes();
    for (int i = 0; i < n; ++i) {
        size_t index = n == 1 ? 3 : static_cast<size_t>(std::lround(i * 6.0 / (n - 1)));
        colours_.push_back(kPalette[index]);
    }
}

ColourScale ColourScale::with_breaks(std::vector<double> breaks) {
    std::sort(breaks.begin(), breaks.end());
    breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
    if (breaks.size() > kPalette.size() - 1) breaks.resize(kPalette.size() - 1);
    return ColourScale(std::move(breaks));
}

ColourScale ColourScale::quantiles(std::vector<double> values, int max_classes) {
    max_classes = std::clamp(max_classes, 1, static_cast<int>(kPalette.size()));
    std::sort(values.begin(), values.end());
    std::vector<double> breaks;
    if (values.empty()) return ColourScale(breaks);
    for (int i = 1; i < max_classes; ++i) {
        double b = round_significant(values[values.size() * i / max_classes]);
        // A break at or below the smallest value would leave its class empty.
        if (b > values.front() && b <= values.back() && (breaks.empty() || b > breaks.back())) breaks.push_back(b);
    }
    return ColourScale(std::move(breaks));
}

int ColourScale::class_of(double value) const {
    return static_cast<int>(std::upper_bound(breaks_.begin(), breaks_.end(), value) - breaks_.begin());
}

std::string ColourScale::label(int i) const {
    if (breaks_.empty()) return "all values";
    auto text = [](double v) { return format_value(v); };
    if (i == 0) return "< " + text(breaks_.front());
    if (i == classes() - 1) return "≥ " + text(breaks_.back());
    return text(breaks_[i - 1]) + " – " + text(breaks_[i]);
}

}  // namespace mpdstat::report
