// Time series: present population at every time point of the period for the
// zones of the top level, and the displaced residents by day.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/indicator_table.hpp"
#include "report/section.hpp"
#include "report/svg_chart.hpp"

namespace mpdstat::report {

namespace {

constexpr size_t kMaxSeries = 8;

std::string zone_name(const ReportContext& ctx, const std::string& level, const std::string& id) {
    const ProjectedLayer* layer = ctx.layer(level);
    const ProjectedZone* z = layer ? layer->find(id) : nullptr;
    return z && !z->name.empty() && z->name != id ? z->name + " (" + id + ")" : id;
}

// Keeps the `kMaxSeries` series with the largest released total (ties: name order).
void keep_largest(std::vector<ChartSeries>& series) {
    auto total = [](const ChartSeries& s) {
        double sum = 0;
        for (const auto& v : s.values) sum += v.value_or(0);
        return sum;
    };
    std::stable_sort(series.begin(), series.end(), [&](const auto& a, const auto& b) { return total(a) > total(b); });
    if (series.size() > kMaxSeries) series.resize(kMaxSeries);
}

std::string present_series(const ReportContext& ctx) {
    auto t = IndicatorTable::open(ctx.out_dir, "present_population", "devices");
    if (!t) return missing_note("tier2/present_population.csv", "the hourly series needs it");
    const size_t lv = t->column("zone_level"), zone = t->column("zone_id"), time = t->column("time");
    std::string level = ctx.layers.empty() ? (t->rows() ? t->field(0, lv) : "") : ctx.layers.front().level;
    std::vector<std::string> times;
    std::map<std::string, size_t> position;
    for (size_t r = 0; r < t->rows(); ++r)
        if (t->field(r, lv) == level) position.emplace(t->field(r, time), 0);
    for (auto& [when, i] : position) i = times.size(), times.push_back(when);
    std::map<std::string, ChartSeries> by_zone;  // zone id → series
    std::vector<std::string> zone_order;
    for (size_t r = 0; r < t->rows(); ++r) {
        if (t->field(r, lv) != level) continue;
        const std::string& id = t->field(r, zone);
        auto [it, added] = by_zone.try_emplace(id);
        ChartSeries& s = it->second;
        if (added) {
            zone_order.push_back(id);
            s.name = zone_name(ctx, level, id);
            s.values.resize(times.size());
            if (t->tier3()) s.low.resize(times.size()), s.high.resize(times.size());
        }
        size_t i = position[t->field(r, time)];
        CellValue v = t->value(r);
        if (!v.released) continue;
        s.values[i] = v.value;
        if (t->tier3()) s.low[i] = v.low, s.high[i] = v.high;
    }
    LineChart chart;
    chart.chart_id = "present-population-series";
    chart.title = "Present population by " + level + ", every time point of the period";
    chart.y_unit = t->unit();
    size_t per_day = 0;
    for (const auto& when : times)
        if (!times.empty() && when.substr(0, 10) == times.front().substr(0, 10)) ++per_day;
    for (const auto& when : times) chart.x_labels.push_back(when.size() >= 10 ? when.substr(5, 5) : when);
    chart.label_every = std::max<size_t>(per_day, 1);
    for (const auto& id : zone_order) chart.series.push_back(std::move(by_zone[id]));
    keep_largest(chart.series);
    std::string intro = fmt::format("<p>Each line is one {} (the {} largest at most); x labels mark midnight of each "
                                    "day (month-day, local time). {}{}</p>",
                                    html_escape(level), kMaxSeries, tier_note(t->tier3()),
                                    t->tier3() ? " Shaded bands: confidence intervals." : "");
    return intro + render_line_chart(chart);
}

std::string displacement_series(const ReportContext& ctx) {
    auto t = IndicatorTable::open(ctx.out_dir, "displacement", "devices");
    if (!t) return missing_note("tier2/displacement.csv", "it is written only when [displacement] sets an event_date");
    const size_t lv = t->column("zone_level"), home = t->column("home_zone"), present = t->column("present_zone"),
                 date = t->column("date");
    std::string event_date;
    if (auto e = ctx.manifest_value("/config/displacement/event_date"); e.is_string()) event_date = e.get<std::string>();
    std::string out = "<p>Residents of the affected zones (home before the event) by the zone where they are on each "
                      "day after it; the line of a home zone to itself shows those who stayed. " +
                      tier_note(t->tier3()) + "</p>";
    std::vector<std::string> levels;
    for (size_t r = 0; r < t->rows(); ++r)
        if (std::find(levels.begin(), levels.end(), t->field(r, lv)) == levels.end()) levels.push_back(t->field(r, lv));
    for (const auto& level : levels) {
        std::map<std::string, size_t> position;
        for (size_t r = 0; r < t->rows(); ++r)
            if (t->field(r, lv) == level) position.emplace(t->field(r, date), 0);
        LineChart chart;
        for (auto& [d, i] : position) i = chart.x_labels.size(), chart.x_labels.push_back(d);
        std::map<std::string, ChartSeries> by_pair;
        std::vector<std::string> order;
        for (size_t r = 0; r < t->rows(); ++r) {
            if (t->field(r, lv) != level) continue;
            std::string key = t->field(r, home) + " → " + t->field(r, present);
            auto [it, added] = by_pair.try_emplace(key);
            if (added) {
                order.push_back(key);
                it->second.name = zone_name(ctx, level, t->field(r, home)) + " → " + zone_name(ctx, level, t->field(r, present));
                it->second.values.resize(chart.x_labels.size());
            }
            CellValue v = t->value(r);
            if (v.released) it->second.values[position[t->field(r, date)]] = v.value;
        }
        for (const auto& k : order) chart.series.push_back(std::move(by_pair[k]));
        std::erase_if(chart.series, [](const ChartSeries& s) {
            return std::none_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.has_value(); });
        });
        keep_largest(chart.series);
        size_t withheld = order.size() - chart.series.size();
        chart.chart_id = "displacement-" + level;
        chart.title = "Displaced residents by " + level + " and day";
        chart.y_unit = t->unit();
        if (auto it = position.find(event_date); it != position.end()) chart.marker = it->second, chart.marker_label = "event " + event_date;
        if (chart.series.empty()) {
            out += note(fmt::format("{}: every value is suppressed.", level));
            continue;
        }
        out += render_line_chart(chart);
        if (withheld > 0)
            out += note(fmt::format("{} other home → present pairs of the {} level are not drawn (all suppressed, or "
                                    "beyond the {} largest).", withheld, level, kMaxSeries));
    }
    return out;
}

}  // namespace

Section time_series_section(const ReportContext& ctx) {
    Section s{"time-series", "Time series", ""};
    s.html += "<h3>Present population by hour</h3>" + present_series(ctx);
    s.html += "<h3>Displacement by day</h3>" + displacement_series(ctx);
    return s;
}

}  // namespace mpdstat::report
