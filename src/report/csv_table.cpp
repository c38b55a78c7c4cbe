#include "report/csv_table.hpp"

#include <charconv>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"

namespace mpdstat::report {

std::optional<size_t> CsvTable::find_column(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return i;
    return std::nullopt;
}

size_t CsvTable::column(std::string_view name) const {
    if (auto i = find_column(name)) return *i;
    throw data_error(fmt::format("{}: no column '{}'", path.string(), name));
}

CsvTable load_csv(const std::filesystem::path& path) {
    CsvTable table;
    table.path = path;
    CsvFileReader reader(path, ',', 0);
    table.header = reader.header();
    if (table.header.empty()) throw data_error(fmt::format("{}: empty file, a header was expected", path.string()));
    for_each_record(reader, ',', [&](const CsvRecord& record, uint64_t line, bool split_ok) {
        if (!split_ok || record.size() != table.header.size())
            throw data_error(fmt::format("{}:{}: {} fields where the header has {}", path.string(), line, record.size(),
                                        table.header.size()));
        auto& row = table.rows.emplace_back();
        row.reserve(record.size());
        for (auto field : record.fields()) row.emplace_back(field);
    });
    return table;
}

std::optional<double> parse_double(std::string_view field) {
    if (field.empty()) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
    return value;
}

}  // namespace mpdstat::report
