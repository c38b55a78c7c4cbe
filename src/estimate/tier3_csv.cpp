#include "estimate/tier3_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "parquet/writer.hpp"
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

void write_tier3_parquet(const Tier3Table& table, const std::filesystem::path& path) {
    using parquet::WriteColumn;
    const auto header = table.spec->header();
    const auto& values = table.spec->value_columns;
    std::vector<WriteColumn> cols;
    for (const auto& h : header) {
        WriteColumn c;
        c.name = h;
        const bool numeric = h == "support" || std::find(values.begin(), values.end(), h) != values.end();
        c.type = numeric ? WriteColumn::Type::float64 : WriteColumn::Type::string;
        c.nullable = numeric;
        cols.push_back(std::move(c));
    }
    for (const char* name : {"estimate", "ci_low", "ci_high"}) {
        WriteColumn c;
        c.name = name;
        c.type = WriteColumn::Type::float64;
        c.nullable = true;
        cols.push_back(std::move(c));
    }
    WriteColumn quality;
    quality.name = "quality";
    cols.push_back(std::move(quality));
    auto put_number = [](WriteColumn& c, const std::string& text) {
        c.present.push_back(!text.empty());
        c.doubles.push_back(text.empty() ? 0.0 : std::strtod(text.c_str(), nullptr));
    };
    for (const auto& r : table.rows) {
        for (size_t i = 0; i < header.size(); ++i) {
            const std::string& f = i < r.fields.size() ? r.fields[i] : std::string();
            if (cols[i].type == WriteColumn::Type::string) cols[i].strings.push_back(f);
            else put_number(cols[i], f);
        }
        // The CSV's figures, read back: both formats publish the same numbers.
        size_t c = header.size();
        for (double v : {r.estimate, r.ci_low, r.ci_high}) put_number(cols[c++], format_value(v));
        cols[c].strings.push_back(r.quality);
    }
    parquet::WriteOptions options;
    options.created_by = "mpdstat version " MPDSTAT_VERSION;
    parquet::write_table(path, cols, options);
}

void write_quality_csv(const std::vector<QualitySummary>& summary, const std::filesystem::path& path) {
    std::string text = "indicator,zone_level,rows,coverage_ratio,sensitivity,quality\n";
    for (const auto& s : summary)
        text += fmt::format("{},{},{},{},{},{}\n", s.indicator, csv_field(s.zone_level), s.rows, ratio(s.coverage_ratio),
                            ratio(s.sensitivity), to_string(s.quality));
    write_file_atomically(path, text);
}

}  // namespace mpdstat
