// Population maps: residents (home anchors), present population by day and by
// night and their ratio, and present population at each hour of the day.
#include <map>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/indicator_table.hpp"
#include "report/section.hpp"
#include "report/svg_map.hpp"

namespace mpdstat::report {

namespace {

using ZoneValues = std::map<std::string, CellValue>;

// Residents per zone of `level` for the latest period of usual_environment (label = home).
ZoneValues residents_of(const IndicatorTable& t, const std::string& level, std::string& period) {
    const size_t lv = t.column("zone_level"), zone = t.column("zone_id"), label = t.column("label");
    const size_t start = t.column("period_start"), end = t.column("period_end");
    for (size_t r = 0; r < t.rows(); ++r)
        if (t.field(r, label) == "home" && t.field(r, start) + " – " + t.field(r, end) > period)
            period = t.field(r, start) + " – " + t.field(r, end);
    ZoneValues values;
    for (size_t r = 0; r < t.rows(); ++r)
        if (t.field(r, lv) == level && t.field(r, label) == "home" && t.field(r, start) + " – " + t.field(r, end) == period)
            values[t.field(r, zone)] = t.value(r);
    return values;
}

ZoneValues day_night_of(const IndicatorTable& t, const std::string& level, const std::string& which) {
    const size_t lv = t.column("zone_level"), zone = t.column("zone_id"), label = t.column("label");
    ZoneValues values;
    for (size_t r = 0; r < t.rows(); ++r)
        if (t.field(r, lv) == level && t.field(r, label) == which) values[t.field(r, zone)] = t.value(r);
    return values;
}

ZoneValues ratio_of(const ZoneValues& day, const ZoneValues& night) {
    ZoneValues ratio;
    for (const auto& [zone, d] : day) {
        auto n = night.find(zone);
        if (n == night.end()) continue;
        CellValue v;
        v.released = d.released && n->second.released && n->second.value > 0;
        if (v.released) v.value = d.value / n->second.value;
        ratio[zone] = v;
    }
    return ratio;
}

// Mean present population per zone at each time of day; a zone-time with any
// suppressed time point is shown suppressed (a mean of the released points
// alone would be biased upwards).
struct HourlyMeans {
    std::vector<std::string> times;    // "00:00", "01:00", …
    std::vector<ZoneValues> frames;    // one per time
};

HourlyMeans hourly_means(const IndicatorTable& t, const std::string& level) {
    const size_t lv = t.column("zone_level"), zone = t.column("zone_id"), time = t.column("time");
    struct Sum {
        double total = 0;
        size_t points = 0;
        bool suppressed = false;
    };
    std::map<std::string, std::map<std::string, Sum>> by_time;  // time of day → zone → sum
    for (size_t r = 0; r < t.rows(); ++r) {
        if (t.field(r, lv) != level) continue;
        const std::string& when = t.field(r, time);
        if (when.size() < 16) continue;
        Sum& s = by_time[when.substr(11, 5)][t.field(r, zone)];
        CellValue v = t.value(r);
        if (v.released) s.total += v.value, ++s.points;
        else s.suppressed = true;
    }
    HourlyMeans out;
    for (const auto& [when, zones] : by_time) {
        out.times.push_back(when);
        ZoneValues& frame = out.frames.emplace_back();
        for (const auto& [z, s] : zones) {
            CellValue v;
            v.released = !s.suppressed && s.points > 0;
            if (v.released) v.value = s.total / s.points;
            frame[z] = v;
        }
    }
    return out;
}

std::string map_row(const std::vector<std::string>& maps) {
    std::string out = R"(<div class="map-row">)";
    for (const auto& m : maps) out += m;
    return out + "</div>";
}

}  // namespace

Section population_section(const ReportContext& ctx) {
    Section s{"population", "Residents and present population", ""};
    std::string& h = s.html;
    if (ctx.layers.empty()) {
        h += note("No zone geometry in geo/: the maps cannot be drawn.");
        return s;
    }

    h += "<h3>Residents</h3>";
    if (auto t = IndicatorTable::open(ctx.out_dir, "usual_environment", "devices")) {
        std::string period;
        std::vector<std::string> maps;
        for (const auto& layer : ctx.layers) {
            ZoneValues values = residents_of(*t, layer.level, period);
            maps.push_back(render_choropleth(layer, values,
                                             {"residents-" + layer.level, "Residents by " + layer.level, t->unit(), ctx.min_devices}));
        }
        h += fmt::format("<p>Devices whose home anchor lies in the zone (<code>usual_environment</code>, label "
                         "<code>home</code>), period {}. {}</p>",
                         html_escape(period), tier_note(t->tier3()));
        h += map_row(maps);
    } else {
        h += missing_note("tier2/usual_environment.csv", "the residents maps need it");
    }

    h += "<h3>Present population by day and by night</h3>";
    if (auto t = IndicatorTable::open(ctx.out_dir, "day_night_population", "devices")) {
        h += "<p>Mean present population over the working hours of workdays (day) and over the night hours of the "
             "period (night), and their ratio: above 1, the zone gains people in the day (work places, centres); "
             "below 1, it empties (residential areas). Day and night share one colour scale. " +
             tier_note(t->tier3()) + "</p>";
        for (const auto& layer : ctx.layers) {
            ZoneValues day = day_night_of(*t, layer.level, "day"), night = day_night_of(*t, layer.level, "night");
            std::vector<double> both;
            for (const auto* values : {&day, &night})
                for (const auto& [z, v] : *values)
                    if (v.released) both.push_back(v.value);
            ColourScale shared = ColourScale::quantiles(both);
            std::string unit = t->unit() + " (mean)";
            h += map_row({render_choropleth(layer, day, {"present-day-" + layer.level, "Day, by " + layer.level, unit, ctx.min_devices}, shared),
                          render_choropleth(layer, night, {"present-night-" + layer.level, "Night, by " + layer.level, unit, ctx.min_devices}, shared),
                          render_choropleth(layer, ratio_of(day, night),
                                            {"day-night-ratio-" + layer.level, "Day / night ratio, by " + layer.level,
                                             "ratio day / night", ctx.min_devices},
                                            ColourScale::with_breaks({0.8, 0.95, 1.05, 1.25}))});
        }
    } else {
        h += missing_note("tier2/day_night_population.csv", "the day and night maps need it");
    }

    h += "<h3>Present population by hour of the day</h3>";
    if (auto t = IndicatorTable::open(ctx.out_dir, "present_population", "devices")) {
        h += "<p>Mean over the days of the period of the present population at each time of day. A zone is hatched "
             "at an hour when any day's value was suppressed. Move the slider to change the hour (printed: the hour "
             "shown). " + tier_note(t->tier3()) + "</p>";
        std::vector<std::string> maps;
        std::vector<std::string> times;
        for (const auto& layer : ctx.layers) {
            HourlyMeans means = hourly_means(*t, layer.level);
            if (means.frames.empty()) continue;
            size_t shown = 0;
            for (size_t i = 0; i < means.times.size(); ++i)
                if (means.times[i] == "14:00") shown = i;
            if (times.empty()) times = means.times;
            maps.push_back(render_choropleth_frames(layer, means.frames, means.times, shown,
                                                    {"present-hour-" + layer.level, "Present population by " + layer.level + " at",
                                                     t->unit() + " (mean)", ctx.min_devices}));
        }
        if (!times.empty()) {
            size_t shown = 0;
            for (size_t i = 0; i < times.size(); ++i)
                if (times[i] == "14:00") shown = i;
            h += fmt::format(R"(<p class="no-print"><label>Hour of the day <input type="range" class="frame-slider" min="0" max="{}" value="{}" step="1"></label> <output class="frame-output">{}</output></p>)",
                             times.size() - 1, shown, html_escape(times[shown]));
        }
        h += map_row(maps);
    } else {
        h += missing_note("tier2/present_population.csv", "the hourly maps need it");
    }
    return s;
}

}  // namespace mpdstat::report
