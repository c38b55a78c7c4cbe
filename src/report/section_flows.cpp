// Flow maps: OD trips between stays, changes of daily location, commuting, and
// internal migration — each summed over the period per (origin, destination).
#include <map>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/indicator_table.hpp"
#include "report/section.hpp"
#include "report/svg_map.hpp"

namespace mpdstat::report {

namespace {

struct FlowSource {
    std::string table;        // file name without .csv
    std::string value;        // Tier II value column
    std::string origin, destination;
    std::string map_prefix;   // data-map = prefix-level
    std::string title;        // "Trips between stays"
    std::string unit;         // "trips"
    std::string description;  // what the flows are
    std::string missing_why;
};

struct FlowSums {
    std::vector<Flow> flows;
    size_t cells = 0, suppressed = 0;  // rows between different zones
};

FlowSums sum_flows(const IndicatorTable& t, const FlowSource& src, const std::string& level) {
    const size_t lv = t.column("zone_level"), o = t.column(src.origin), d = t.column(src.destination);
    std::map<std::pair<std::string, std::string>, double> sums;
    FlowSums out;
    for (size_t r = 0; r < t.rows(); ++r) {
        if (t.field(r, lv) != level || t.field(r, o) == t.field(r, d)) continue;
        ++out.cells;
        CellValue v = t.value(r);
        if (!v.released) {
            ++out.suppressed;
            continue;
        }
        sums[{t.field(r, o), t.field(r, d)}] += v.value;
    }
    for (const auto& [od, value] : sums) out.flows.push_back({od.first, od.second, value});
    return out;
}

std::string flow_maps(const ReportContext& ctx, const FlowSource& src) {
    std::string out = "<h3>" + html_escape(src.title) + "</h3>";
    auto t = IndicatorTable::open(ctx.out_dir, src.table, src.value);
    if (!t) return out + missing_note("tier2/" + src.table + ".csv", src.missing_why);
    std::string unit = t->tier3() ? t->unit() : src.unit;
    out += "<p>" + html_escape(src.description) + " Arrows from origin to destination, curved to their right, width "
           "proportional to the flow; flows within a zone are not drawn. Each flow is the sum of the released cells "
           "over the period: suppressed cells are left out, so small flows are undercounted or missing. " +
           tier_note(t->tier3()) + "</p>";
    out += R"(<div class="map-row">)";
    std::string notes;
    for (const auto& layer : ctx.layers) {
        FlowSums sums = sum_flows(*t, src, layer.level);
        out += render_flow_map(layer, sums.flows,
                               {src.map_prefix + "-" + layer.level, src.title + " between " + layer.level + "s", unit, 25});
        notes += fmt::format("{}: {} of {} cells between different zones suppressed. ", layer.level,
                             format_number(double(sums.suppressed)), format_number(double(sums.cells)));
    }
    return out + "</div>" + note(notes);
}

}  // namespace

Section flows_section(const ReportContext& ctx) {
    Section s{"flows", "Origin–destination flows", ""};
    if (ctx.layers.empty()) {
        s.html = note("No zone geometry in geo/: the flow maps cannot be drawn.");
        return s;
    }
    s.html += flow_maps(ctx, {"od_trips", "trips", "origin", "destination", "od-trips", "Trips between stays", "trips",
                              "Trips between consecutive stays in different zones, by zone of origin and destination.",
                              "the OD trip maps need it"});
    s.html += flow_maps(ctx, {"od_daily_locations", "devices", "origin", "destination", "od-daily",
                              "Changes of daily location", "device-days",
                              "Devices whose daily location moved from one zone on a day to another on the next day "
                              "(Flowminder's consecutive daily locations), summed over the days.",
                              "the daily-location maps need it"});
    s.html += flow_maps(ctx, {"commuting", "devices", "home_zone", "work_zone", "commuting", "Commuting", "devices",
                              "Devices by home zone and work zone.", "the commuting maps need it"});
    return s;
}

Section migration_section(const ReportContext& ctx) {
    Section s{"migration", "Internal migration", ""};
    if (ctx.layers.empty()) {
        s.html = note("No zone geometry in geo/: the migration maps cannot be drawn.");
        return s;
    }
    s.html += flow_maps(ctx, {"migration", "devices", "from_zone", "to_zone", "migration", "Migration flows", "devices",
                              "Devices whose home moved between the previous and the new period, from the old home "
                              "zone to the new one.",
                              "it is written only when [migration] is enabled"});
    return s;
}

}  // namespace mpdstat::report
