#pragma once
// A small CSV file read whole into memory, for the report: Tier II / III tables,
// tier3/quality.csv. Columns are found by name; a missing column is a data
// error naming the file.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpdstat::report {

struct CsvTable {
    std::filesystem::path path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // every row has header.size() fields

    std::optional<size_t> find_column(std::string_view name) const;
    size_t column(std::string_view name) const;  // throws data_error "FILE: no column NAME"
};

// Reads a comma-separated file with a header. Throws data_error naming the
// file (and line) when it cannot be read or a row has the wrong field count.
CsvTable load_csv(const std::filesystem::path& path);

// Parses a decimal field; nullopt for an empty or malformed one.
std::optional<double> parse_double(std::string_view field);

}  // namespace mpdstat::report
