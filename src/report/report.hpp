#pragma once
// mpdstat report: OUT_DIR/report/index.html, one self-contained HTML file
// (inline CSS, SVG and a few lines of script; nothing fetched from a network)
// with maps, charts and tables of the outputs in OUT_DIR. The same folder
// gives the same bytes.
#include <filesystem>
#include <string>

namespace mpdstat::report {

struct ReportSummary {
    std::filesystem::path file;
    uint64_t bytes = 0;
    size_t maps = 0;
    size_t incomplete_sections = 0;  // sections that found an input missing or unreadable
};

// Throws a usage error (exit 2) when OUT_DIR does not exist or has no tier2/.
ReportSummary write_report(const std::filesystem::path& out_dir);

// The whole page as text (write_report without the file).
std::string render_report(const std::filesystem::path& out_dir, size_t* incomplete_sections = nullptr);

}  // namespace mpdstat::report
