#pragma once
// Charts as inline SVG (line charts of time series) and as HTML tables with
// bars (values by category), with axes, units and a legend, readable in print:
// series differ by dash pattern as well as colour.
#include <optional>
#include <string>
#include <vector>

namespace mpdstat::report {

struct ChartSeries {
    std::string name;
    std::vector<std::optional<double>> values;  // one per x position; nullopt = withheld (a gap in the line)
    std::vector<std::optional<double>> low, high;  // optional interval band (same length as values, or empty)
};

struct LineChart {
    std::string chart_id;  // data-chart
    std::string title;
    std::string y_unit;
    std::vector<std::string> x_labels;  // one per position
    size_t label_every = 1;             // write every n-th x label
    std::vector<ChartSeries> series;
    std::optional<size_t> marker;       // a vertical line at this position (e.g. the disaster date) …
    std::string marker_label;           // … and its label
};

std::string render_line_chart(const LineChart& chart);

struct Bar {
    std::string label;
    std::optional<double> value;  // nullopt: nothing released
    std::string note;             // e.g. "3 cells suppressed"
};

// One row per bar: label, a bar proportional to the value, the value and the note.
std::string render_bar_table(const std::string& chart_id, const std::string& value_unit, const std::vector<Bar>& bars);

// A "nice" axis maximum at or above `value` (1, 2, 2.5 or 5 × 10^k) and the tick step.
std::pair<double, double> nice_axis(double value, int ticks = 5);

}  // namespace mpdstat::report
