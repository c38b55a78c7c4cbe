#include "report/report.hpp"

#include <functional>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "report/html.hpp"
#include "report/page_style.hpp"
#include "report/section.hpp"
#include "report/svg_map.hpp"

namespace mpdstat::report {

namespace fs = std::filesystem;

namespace {

void check_out_dir(const fs::path& out_dir) {
    std::error_code ec;
    if (!fs::is_directory(out_dir, ec))
        throw usage_error(fmt::format("{}: no such folder (give the out_dir of a run)", out_dir.string()));
    if (!fs::is_directory(out_dir / "tier2", ec))
        throw usage_error(fmt::format("{}: has no tier2/ folder: not the out_dir of an mpdstat run", out_dir.string()));
}

std::string header(const ReportContext& ctx) {
    std::string project = ctx.manifest_value("/config/project/name").is_string()
                              ? ctx.manifest_value("/config/project/name").get<std::string>()
                              : ctx.out_dir.filename().string();
    std::string period;
    if (ctx.manifest_value("/config/input/period_start").is_string() && ctx.manifest_value("/config/input/period_end").is_string())
        period = ctx.manifest_value("/config/input/period_start").get<std::string>() + " to " +
                 ctx.manifest_value("/config/input/period_end").get<std::string>();
    std::error_code ec;
    bool tier3 = fs::is_directory(ctx.out_dir / "tier3", ec);
    std::string h = fmt::format("<header><h1>Mobile phone data statistics — {}</h1><p>", html_escape(project));
    if (!period.empty()) h += "Period " + html_escape(period) + ". ";
    h += tier3 ? "Tier III population estimates with Tier II aggregates. "
               : "Tier II aggregates of one operator (device counts; no Tier III estimates in this folder). ";
    if (ctx.min_devices > 0) h += fmt::format("Values resting on fewer than {} devices are suppressed. ", ctx.min_devices);
    if (ctx.manifest_value("/mpdstat_version").is_string())
        h += "Made by mpdstat " + html_escape(ctx.manifest_value("/mpdstat_version").get<std::string>()) + ".";
    return h + "</p></header>";
}

}  // namespace

std::string render_report(const fs::path& out_dir, size_t* incomplete_sections) {
    check_out_dir(out_dir);
    ReportContext ctx = load_report_context(out_dir);
    using Builder = std::function<Section(const ReportContext&)>;
    const std::vector<std::pair<std::string, Builder>> builders = {
        {"Residents and present population", population_section},
        {"Time series", time_series_section},
        {"Origin–destination flows", flows_section},
        {"Tourism by country", tourism_section},
        {"Internal migration", migration_section},
        {"Quality of the estimates", tier3_quality_section},
        {"Input quality", input_qa_section},
        {"Disclosure control", disclosure_section},
        {"Methods and parameters", methods_section},
    };
    std::vector<Section> sections;
    size_t incomplete = 0;
    for (const auto& [title, build] : builders) {
        try {
            sections.push_back(build(ctx));
        } catch (const Error& e) {
            // One unreadable input spoils its section, not the whole report.
            sections.push_back({"section-" + std::to_string(sections.size()), title,
                                R"(<p class="missing">This section could not be drawn: )" + html_escape(e.what()) + "</p>"});
        }
        if (sections.back().html.find(R"(class="missing")") != std::string::npos) ++incomplete;
    }
    if (incomplete_sections) *incomplete_sections = incomplete;

    std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    page += "<title>mpdstat report</title><style>" + std::string(kPageStyle) + "</style></head><body>";
    page += svg_defs();
    page += header(ctx);
    page += "<main><nav><ol>";
    for (const auto& s : sections) page += fmt::format(R"(<li><a href="#{}">{}</a></li>)", s.id, html_escape(s.title));
    page += "</ol></nav>";
    for (const auto& n : ctx.geometry_notes) page += note(n);
    for (const auto& s : sections)
        page += fmt::format("\n<section id=\"{}\"><h2>{}</h2>{}</section>", s.id, html_escape(s.title), s.html);
    page += "\n</main><script>" + std::string(kPageScript) + "</script></body></html>\n";
    return page;
}

ReportSummary write_report(const fs::path& out_dir) {
    ReportSummary summary;
    std::string page = render_report(out_dir, &summary.incomplete_sections);
    std::error_code ec;
    fs::create_directories(out_dir / "report", ec);
    if (ec) throw data_error(fmt::format("{}: cannot create folder: {}", (out_dir / "report").string(), ec.message()));
    summary.file = out_dir / "report" / "index.html";
    write_file_atomically(summary.file, page);
    summary.bytes = page.size();
    for (size_t at = page.find("data-map="); at != std::string::npos; at = page.find("data-map=", at + 1)) ++summary.maps;
    return summary;
}

}  // namespace mpdstat::report
