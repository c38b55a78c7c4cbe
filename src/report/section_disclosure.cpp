// The disclosure-control summary: what suppression (and noise) did to each table (qa/sdc.json).
#include <fmt/format.h>

#include "report/html.hpp"
#include "report/json_input.hpp"
#include "report/section.hpp"

namespace mpdstat::report {

Section disclosure_section(const ReportContext& ctx) {
    Section s{"disclosure", "Disclosure control", ""};
    auto sdc = load_json(ctx.out_dir / "qa" / "sdc.json");
    if (!sdc) {
        s.html = missing_note("qa/sdc.json", "written by mpdstat run with the Tier II tables");
        return s;
    }
    if (!sdc->is_array() || sdc->empty()) {
        s.html = note("qa/sdc.json lists no table.");
        return s;
    }
    const auto& first = sdc->front();
    s.html += fmt::format("<p>A value is released only when it rests on at least {} distinct devices (primary "
                          "suppression); secondary suppression then withholds one more cell wherever a suppressed "
                          "value could be recovered by subtracting released ones from a total. Suppressed rows are "
                          "{}. Hatched zones on the maps are suppressed cells.</p>",
                          json_text(first, "min_devices"),
                          json_text(first, "suppressed") == "drop" ? "left out of the files" : "kept with empty values");
    s.html += R"(<table class="data" data-table="sdc"><thead><tr><th>table</th><th>rows</th><th>released</th><th>primary suppressed</th><th>secondary suppressed</th><th>dropped</th><th>suppressed share</th><th>noise</th></tr></thead><tbody>)";
    for (const auto& t : *sdc) {
        const double rows = json_number(t, "rows");
        const double suppressed = json_number(t, "primary_suppressed") + json_number(t, "secondary_suppressed");
        const double share = rows > 0 ? suppressed / rows : 0;
        std::string noise = "none";
        if (t.contains("noise") && t["noise"].is_object() && json_text(t["noise"], "mechanism") != "none")
            noise = fmt::format("{}, ε = {} per release, total ε = {}", json_text(t["noise"], "mechanism"),
                                json_text(t["noise"], "epsilon"), json_text(t["noise"], "epsilon_total"));
        s.html += fmt::format(
            R"(<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="share"><span class="bar" style="width:{:.0f}px"></span> {}</td><td>{}</td></tr>)",
            html_escape(json_text(t, "table")), json_text(t, "rows"), json_text(t, "released"),
            json_text(t, "primary_suppressed"), json_text(t, "secondary_suppressed"), json_text(t, "dropped"),
            share * 160, format_percent(share), html_escape(noise));
    }
    s.html += "</tbody></table>";
    return s;
}

}  // namespace mpdstat::report
