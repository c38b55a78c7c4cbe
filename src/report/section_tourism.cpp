// Inbound visitors and outbound travellers by country, from the top zone level.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/indicator_table.hpp"
#include "report/section.hpp"
#include "report/svg_chart.hpp"

namespace mpdstat::report {

namespace {

std::string by_country(const ReportContext& ctx, const std::string& table, const std::string& value,
                       const std::string& what, const std::string& chart_id) {
    auto t = IndicatorTable::open(ctx.out_dir, table, value);
    if (!t) return missing_note("tier2/" + table + ".csv", "the country chart needs it");
    const size_t lv = t->column("zone_level"), country = t->column("country");
    // The top level: its zones cover the country once, so their sum is a national figure.
    std::string level = !ctx.layers.empty() ? ctx.layers.front().level : (t->rows() ? t->field(0, lv) : "");
    struct Sum {
        double value = 0;
        size_t released = 0, suppressed = 0;
    };
    std::map<std::string, Sum> sums;
    for (size_t r = 0; r < t->rows(); ++r) {
        if (t->field(r, lv) != level) continue;
        Sum& s = sums[t->field(r, country)];
        CellValue v = t->value(r);
        if (v.released) s.value += v.value, ++s.released;
        else ++s.suppressed;
    }
    std::vector<std::pair<std::string, Sum>> rows(sums.begin(), sums.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if ((a.second.released > 0) != (b.second.released > 0)) return a.second.released > 0;
        return a.second.value > b.second.value;
    });
    std::vector<Bar> bars;
    for (const auto& [code, s] : rows) {
        Bar b{code, std::nullopt, ""};
        if (s.released > 0) b.value = s.value;
        if (s.suppressed > 0) b.note = fmt::format("{} of {} cells suppressed", s.suppressed, s.released + s.suppressed);
        bars.push_back(std::move(b));
    }
    std::string out = fmt::format("<p>{} (ISO 3166-1 codes), summed over the {}s and months of the period; a "
                                  "sum includes only released cells, so a country with suppressed cells has more "
                                  "than shown. {}</p>",
                                  html_escape(what), html_escape(level), tier_note(t->tier3()));
    if (bars.empty()) return out + note("No rows at the " + level + " level.");
    return out + render_bar_table(chart_id, t->tier3() ? t->unit() : value, bars);
}

}  // namespace

Section tourism_section(const ReportContext& ctx) {
    Section s{"tourism", "Tourism by country", ""};
    s.html += "<h3>Inbound: foreign visitors</h3>" +
              by_country(ctx, "tourism_inbound", "visitors", "Roaming visitors, by the country of their home network,", "tourism-inbound");
    s.html += "<h3>Outbound: residents abroad</h3>" +
              by_country(ctx, "tourism_outbound", "travellers", "Domestic subscribers abroad, by the country visited,",
                         "tourism-outbound");
    return s;
}

}  // namespace mpdstat::report
