#pragma once
// Classes of a choropleth: class breaks at quantiles of the values, rounded to
// two significant digits, and a sequential palette (ColorBrewer YlGnBu) whose
// lightness falls steadily from the first class to the last, so the order of
// the classes stays readable when printed in grayscale.
#include <string>
#include <vector>

namespace mpdstat::report {

class ColourScale {
public:
    // Up to `max_classes` classes (at most 7) holding about as many values
    // each; fewer when the values have fewer distinct levels. No values: one class.
    static ColourScale quantiles(std::vector<double> values, int max_classes = 5);
    // Classes with the given upper breaks (ascending): class i holds values
    // below breaks[i], the last class everything from the last break up.
    static ColourScale with_breaks(std::vector<double> breaks);

    int classes() const noexcept { return static_cast<int>(breaks_.size()) + 1; }
    int class_of(double value) const;
    // Fill colour of a class, "#rrggbb".
    const std::string& colour(int class_index) const { return colours_.at(class_index); }
    const std::vector<double>& breaks() const noexcept { return breaks_; }
    // Legend text of a class: "< 10", "10 – 20", "≥ 20".
    std::string label(int class_index) const;

private:
    explicit ColourScale(std::vector<double> breaks);
    std::vector<double> breaks_;
    std::vector<std::string> colours_;
};

// Rounds to two significant digits (1234 → 1200, 0.0456 → 0.046).
double round_significant(double value);

}  // namespace mpdstat::report
