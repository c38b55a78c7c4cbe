// The input quality summary (qa/ingest.json) and the spatial model's checks (qa/spatial.json).
#include <algorithm>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/json_input.hpp"
#include "report/section.hpp"
#include "report/svg_chart.hpp"

namespace mpdstat::report {

namespace {

std::string status_badge(const std::string& status) {
    std::string cls = status == "PASS" ? "pass" : status == "WARN" ? "warn" : status == "FAIL" ? "fail" : "info";
    return fmt::format(R"(<span class="badge {}">{}</span>)", cls, html_escape(status));
}

std::string ingest_summary(const nlohmann::json& q) {
    std::string h;
    const double read = json_number(q, "rows_read"), accepted = json_number(q, "accepted"), rejected = json_number(q, "rejected");
    h += fmt::format("<p>Input quality gate: {}. {} rows read, {} accepted, {} rejected ({}); {} devices.</p>",
                     status_badge(json_text(q, "status")), format_number(read), format_number(accepted),
                     format_number(rejected), format_percent(read > 0 ? rejected / read : 0),
                     format_number(json_number(q, "devices")));
    if (q.contains("checks") && q["checks"].is_array()) {
        h += R"(<table class="data"><thead><tr><th>check</th><th>status</th><th>value</th><th>threshold</th><th>finding</th></tr></thead><tbody>)";
        for (const auto& c : q["checks"])
            h += fmt::format(R"(<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>)",
                             html_escape(json_text(c, "check")), status_badge(json_text(c, "status")),
                             html_escape(json_text(c, "value")), html_escape(json_text(c, "threshold")),
                             html_escape(json_text(c, "message")));
        h += "</tbody></table>";
    }
    if (q.contains("rejected_by_reason") && q["rejected_by_reason"].is_object()) {
        std::vector<Bar> bars;
        for (const auto& [reason, count] : q["rejected_by_reason"].items())
            if (count.is_number() && count.get<double>() > 0) bars.push_back({reason, count.get<double>(), ""});
        std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return *a.value > *b.value; });
        h += "<h3>Rejected rows by reason</h3>";
        h += bars.empty() ? note("No row was rejected.") : render_bar_table("rejected-by-reason", "rows", bars);
    }
    if (q.contains("days") && q["days"].is_array()) {
        std::vector<Bar> bars;
        for (const auto& d : q["days"]) {
            std::string flags;
            if (d.value("anomalous_events", false)) flags += "unusual number of events";
            if (d.value("anomalous_devices", false)) flags += std::string(flags.empty() ? "" : "; ") + "unusual number of devices";
            bars.push_back({json_text(d, "day"), json_number(d, "events"),
                            fmt::format("{} devices{}{}", json_text(d, "devices"), flags.empty() ? "" : " — ", flags)});
        }
        h += "<h3>Events per day</h3>" + render_bar_table("events-per-day", "events", bars);
        if (q.contains("period_days_without_data") && q["period_days_without_data"].is_array() &&
            !q["period_days_without_data"].empty())
            h += note("Days of the period without data: " + q["period_days_without_data"].dump());
    }
    if (q.contains("cells") && q["cells"].is_object())
        h += note(fmt::format("Cells: {} in the cell plan, {} seen in the events; {} cell ids in the events unknown to the plan.",
                              json_text(q["cells"], "in_plan"), json_text(q["cells"], "seen"),
                              q.contains("unknown_cells") && q["unknown_cells"].is_array()
                                  ? format_number(double(q["unknown_cells"].size()))
                                  : std::string("?")));
    return h;
}

std::string spatial_summary(const nlohmann::json& s) {
    std::string h = fmt::format("<p>Cell → zone weights by the <code>{}</code> method (weighted by {}), model CRS {}.</p>",
                                html_escape(json_text(s, "method")), html_escape(json_text(s, "weight_by")),
                                html_escape(json_text(s, "crs")));
    if (s.contains("levels") && s["levels"].is_array()) {
        h += R"(<table class="data"><thead><tr><th>level</th><th>zones</th><th>area km²</th></tr></thead><tbody>)";
        for (const auto& l : s["levels"])
            h += fmt::format(R"(<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
                             html_escape(json_text(l, "name")), json_text(l, "zones"),
                             format_number(json_number(l, "area_km2")));
        h += "</tbody></table>";
    }
    if (s.contains("cells") && s["cells"].is_object())
        h += note(fmt::format("Cells: {} versions, {} mapped to zones, {} outside the country, {} sites.",
                              json_text(s["cells"], "versions"), json_text(s["cells"], "mapped"),
                              json_text(s["cells"], "outside_country"), json_text(s["cells"], "sites")));
    if (s.contains("problem_counts") && s["problem_counts"].is_object())
        h += note(fmt::format("Spatial checks: {} errors, {} warnings, {} notes.", json_text(s["problem_counts"], "error"),
                              json_text(s["problem_counts"], "warning"), json_text(s["problem_counts"], "info")));
    return h;
}

}  // namespace

Section input_qa_section(const ReportContext& ctx) {
    Section s{"input-qa", "Input quality", ""};
    if (auto q = load_json(ctx.out_dir / "qa" / "ingest.json"))
        s.html += ingest_summary(*q);
    else
        s.html += missing_note("qa/ingest.json", "written by mpdstat ingest / run");
    s.html += "<h3>Spatial model</h3>";
    if (auto q = load_json(ctx.out_dir / "qa" / "spatial.json"))
        s.html += spatial_summary(*q);
    else
        s.html += missing_note("qa/spatial.json", "written by mpdstat spatial / run");
    return s;
}

}  // namespace mpdstat::report
