#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/html.hpp"

namespace mpdstat::report {

namespace {

// Dark, distinct hues (Okabe–Ito) with dash patterns for grayscale print.
const char* const kColours[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000", "#999999"};
const char* const kDashes[] = {"", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4", "3 6"};
constexpr size_t kStyles = 8;

}  // namespace

std::pair<double, double> nice_axis(double value, int ticks) {
    if (!(value > 0)) return {1, 1.0 / ticks};
    double raw = value / ticks;
    double magnitude = std::pow(10, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    return {std::ceil(value / step - 1e-9) * step, step};
}

std::string render_line_chart(const LineChart& c) {
    const double width = 900, height = 280, left = 64, right = 40, top = 12, bottom = 46;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    const size_t n = c.x_labels.size();
    double y_max = 0;
    for (const auto& s : c.series) {
        for (const auto& v : s.values)
            if (v) y_max = std::max(y_max, *v);
        for (const auto& v : s.high)
            if (v) y_max = std::max(y_max, *v);
    }
    auto [axis_max, step] = nice_axis(y_max);
    auto x_of = [&](size_t i) { return left + (n > 1 ? plot_w * i / (n - 1) : plot_w / 2); };
    auto y_of = [&](double v) { return top + plot_h * (1 - v / axis_max); };

    std::string out = fmt::format(R"(<figure class="chart"><figcaption>{}</figcaption>)", html_escape(c.title));
    out += fmt::format(R"(<svg data-chart="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">)",
                       html_escape(c.chart_id), width, height, width, height, html_escape(c.title));
    // Axes, grid and labels.
    out += R"(<g font-size="11" fill="#333">)";
    for (double v = 0; v <= axis_max + step / 2; v += step) {
        double y = y_of(v);
        out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end">{}</text>)",
                           left, svg_number(y), width - right, svg_number(y), left - 6, svg_number(y + 4),
                           format_value(v));
    }
    out += fmt::format(R"~(<text x="12" y="{}" transform="rotate(-90 12 {})" text-anchor="middle">{}</text>)~",
                       svg_number(top + plot_h / 2), svg_number(top + plot_h / 2), html_escape(c.y_unit));
    const size_t every = std::max<size_t>(c.label_every, 1);
    for (size_t i = 0; i < n; i += every)
        out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#999"/><text x="{0}" y="{3}" text-anchor="middle">{4}</text>)",
                           svg_number(x_of(i)), svg_number(top + plot_h), svg_number(top + plot_h + 4),
                           svg_number(top + plot_h + 16), html_escape(c.x_labels[i]));
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#333"/>)", left, svg_number(top + plot_h),
                       width - right);
    out += "</g>";
    if (c.marker && *c.marker < n) {
        double x = x_of(*c.marker);
        out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#b00" stroke-dasharray="4 3"/><text x="{3}" y="{4}" font-size="11" fill="#b00">{5}</text>)",
                           svg_number(x), top, svg_number(top + plot_h), svg_number(x + 4), top + 10,
                           html_escape(c.marker_label));
    }
    // Bands, then lines: runs of consecutive known values.
    for (size_t si = 0; si < c.series.size(); ++si) {
        const auto& s = c.series[si];
        const char* colour = kColours[si % kStyles];
        if (s.low.size() == s.values.size() && s.high.size() == s.values.size()) {
            size_t i = 0;
            while (i < n) {
                if (!s.low[i] || !s.high[i]) { ++i; continue; }
                size_t j = i;
                while (j < n && s.low[j] && s.high[j]) ++j;
                std::string d;
                for (size_t k = i; k < j; ++k) d += (k == i ? "M" : " L") + svg_number(x_of(k)) + " " + svg_number(y_of(*s.high[k]));
                for (size_t k = j; k-- > i;) d += " L" + svg_number(x_of(k)) + " " + svg_number(y_of(*s.low[k]));
                out += fmt::format(R"(<path class="band" d="{} Z" fill="{}" fill-opacity="0.15" stroke="none"/>)", d, colour);
                i = j;
            }
        }
        std::string d;
        bool pen_down = false;
        for (size_t i = 0; i < n && i < s.values.size(); ++i) {
            if (!s.values[i]) { pen_down = false; continue; }
            d += (pen_down ? " L" : (d.empty() ? "M" : " M")) + svg_number(x_of(i)) + " " + svg_number(y_of(*s.values[i]));
            pen_down = true;
        }
        if (!d.empty())
            out += fmt::format(R"(<path class="series" data-series="{}" d="{}" fill="none" stroke="{}" stroke-width="1.6" stroke-dasharray="{}"><title>{}</title></path>)",
                               html_escape(s.name), d, colour, kDashes[si % kStyles], html_escape(s.name));
        // Dots on short series (days), and on any value between two gaps, which a line alone would not show.
        for (size_t i = 0; i < n && i < s.values.size(); ++i) {
            bool isolated = (i == 0 || !s.values[i - 1]) && (i + 1 >= s.values.size() || !s.values[i + 1]);
            if (s.values[i] && (n <= 62 || isolated))
                out += fmt::format(R"(<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{} {}: {}</title></circle>)",
                                   svg_number(x_of(i)), svg_number(y_of(*s.values[i])), colour, html_escape(s.name),
                                   html_escape(c.x_labels[i]), format_value(*s.values[i]));
        }
    }
    out += "</svg>";
    out += fmt::format(R"(<div class="legend"><span class="legend-title">{}</span>)", html_escape(c.y_unit));
    for (size_t si = 0; si < c.series.size(); ++si)
        out += fmt::format(R"(<span class="legend-item"><svg class="swatch" width="34" height="14" aria-hidden="true"><line x1="2" y1="7" x2="32" y2="7" stroke="{}" stroke-width="2" stroke-dasharray="{}"/></svg>{}</span>)",
                           kColours[si % kStyles], kDashes[si % kStyles], html_escape(c.series[si].name));
    out += R"(<span class="legend-item">gaps: values suppressed by disclosure control</span>)";
    return out + "</div></figure>";
}

std::string render_bar_table(const std::string& chart_id, const std::string& value_unit, const std::vector<Bar>& bars) {
    double largest = 0;
    for (const auto& b : bars)
        if (b.value) largest = std::max(largest, *b.value);
    std::string out = fmt::format(R"(<table class="bars" data-chart="{}"><thead><tr><th></th><th>{}</th><th></th><th></th></tr></thead><tbody>)",
                                  html_escape(chart_id), html_escape(value_unit));
    for (const auto& b : bars) {
        double share = b.value && largest > 0 ? *b.value / largest : 0;
        out += fmt::format(R"(<tr><th scope="row">{}</th><td class="bar-cell">{}</td><td class="num">{}</td><td class="note">{}</td></tr>)",
                           html_escape(b.label),
                           b.value ? fmt::format(R"(<span class="bar" style="width:{}%"></span>)", svg_number(share * 100)) : "",
                           b.value ? format_value(*b.value) : "suppressed",
                           html_escape(b.note));
    }
    return out + "</tbody></table>";
}

}  // namespace mpdstat::report
