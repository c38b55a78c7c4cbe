// The quality table of the Tier III estimates (tier3/quality.csv, written by mpdstat estimate).
#include <fmt/format.h>

#include "report/csv_table.hpp"
#include "report/html.hpp"
#include "report/section.hpp"

namespace mpdstat::report {

Section tier3_quality_section(const ReportContext& ctx) {
    Section s{"quality", "Quality of the estimates", ""};
    std::error_code ec;
    if (!std::filesystem::is_directory(ctx.out_dir / "tier3", ec)) {
        s.html = "<p class=\"missing\">No Tier III estimates in this folder (no <code>tier3/</code>): the maps and "
                 "charts show Tier II device counts. Run <code>mpdstat estimate</code> to add population estimates "
                 "with confidence intervals and their quality.</p>";
        return s;
    }
    const auto path = ctx.out_dir / "tier3" / "quality.csv";
    if (!std::filesystem::exists(path, ec)) {
        s.html = missing_note("tier3/quality.csv", "the Tier III folder has no quality table");
        return s;
    }
    CsvTable q = load_csv(path);
    s.html += "<p>Coverage ratio: this operator's residents over the census population (high ≥ 0.4, medium ≥ 0.2, "
              "low below). Sensitivity: the largest change of a result between method variants (low &lt; 20 %, "
              "medium &lt; 40 %, high above).</p>";
    s.html += R"(<table class="data" data-table="quality"><thead><tr>)";
    for (const auto& h : q.header) s.html += "<th>" + html_escape(h) + "</th>";
    s.html += "</tr></thead><tbody>";
    const auto quality = q.find_column("quality");
    for (const auto& row : q.rows) {
        s.html += "<tr>";
        for (size_t i = 0; i < row.size(); ++i) {
            bool numeric = parse_double(row[i]).has_value();
            std::string text = numeric ? format_value(*parse_double(row[i])) : row[i];
            if (quality && i == *quality)
                s.html += fmt::format(R"(<td><span class="badge q-{}">{}</span></td>)", html_escape(row[i]), html_escape(row[i]));
            else
                s.html += fmt::format(R"(<td{}>{}</td>)", numeric ? R"( class="num")" : "", html_escape(text));
        }
        s.html += "</tr>";
    }
    s.html += "</tbody></table>";
    return s;
}

}  // namespace mpdstat::report
