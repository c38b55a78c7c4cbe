// mpdstat report OUT_DIR: the outputs of a run as one self-contained HTML page,
// OUT_DIR/report/index.html (docs/report.md).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "report/report.hpp"

namespace mpdstat::cli {

int run_report(const std::filesystem::path& out_dir) {
    auto summary = report::write_report(out_dir);
    fmt::print("Report: {} ({:.1f} MB, {} maps{})\n", summary.file.string(), summary.bytes / 1e6, summary.maps,
               summary.incomplete_sections
                   ? fmt::format("; {} sections say what input they miss", summary.incomplete_sections)
                   : "");
    return 0;
}

Command add_report(CLI::App& root) {
    auto* app = root.add_subcommand("report", "Write OUT_DIR/report/index.html: maps, charts and tables of the Tier II / "
                                              "III outputs, the quality and disclosure-control summaries; one "
                                              "self-contained file that opens offline");
    auto out_dir = std::make_shared<std::string>();
    app->add_option("OUT_DIR", *out_dir, "the out_dir of a run (holds tier2/)")->required();
    return {app, [out_dir] { return run_report(*out_dir); }};
}

}  // namespace mpdstat::cli
