#include "estimate/tier3_csv.hpp"

#include <cmath>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat {

namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// Sensitivity and coverage as plain decimals ("" when unknown).
std::string ratio(double v) { return std::isnan(v) ? "" : format_value(std::round(v * 1e4) / 1e4); }

}  // namespace

void write_tier3_csv(const Tier3Table& table, const std::filesystem::path& path) {
    std::string text;
    for (const auto& h : table.spec->header()) text += h + ",";
    text += "estimate,ci_low,ci_high,quality\n";
    for (const auto& r : table.rows) {
        for (const auto& f : r.fields) text += csv_field(f) + ",";
        text += fmt::format("{},{},{},{}\n", format_value(r.estimate), format_value(r.ci_low), format_value(r.ci_high), r.quality);
    }
    write_file_atomically(path, text);
}

void write_quality_csv(const std::vector<QualitySummary>& summary, const std::filesystem::path& path) {
    std::string text = "indicator,zone_level,rows,coverage_ratio,sensitivity,quality\n";
    for (const auto& s : summary)
        text += fmt::format("{},{},{},{},{},{}\n", s.indicator, csv_field(s.zone_level), s.rows, ratio(s.coverage_ratio),
                            ratio(s.sensitivity), to_string(s.quality));
    write_file_atomically(path, text);
}

}  // namespace mpdstat
