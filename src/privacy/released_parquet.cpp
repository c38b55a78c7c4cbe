#include "privacy/released_parquet.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "common/error.hpp"
#include "parquet/writer.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat {

void write_released_parquet(const ReleasedTable& released, const ZoneHierarchyView& h, const std::filesystem::path& path) {
    using parquet::WriteColumn;
    const AggregateTable& t = released.table();
    const size_t n = t.rows.size();
    auto string_column = [&](const std::string& name) {
        WriteColumn c;
        c.name = name;
        c.type = WriteColumn::Type::string;
        c.strings.reserve(n);
        return c;
    };
    std::vector<WriteColumn> cols;
    cols.push_back(string_column("zone_level"));
    for (const auto* names : {&t.zone_columns, &t.key_columns})
        for (const auto& name : *names) cols.push_back(string_column(name));
    const size_t first_value = cols.size();
    for (const auto& name : t.value_columns) {
        WriteColumn c;
        c.name = name;
        c.type = WriteColumn::Type::float64;
        c.nullable = true;
        c.doubles.reserve(n);
        c.present.reserve(n);
        cols.push_back(std::move(c));
    }
    cols.push_back(string_column("status"));
    WriteColumn support;
    support.name = "support";
    support.type = WriteColumn::Type::int64;
    support.nullable = true;
    cols.push_back(std::move(support));

    for (size_t i = 0; i < n; ++i) {
        const AggregateRow& row = t.rows[i];
        const bool ok = released.status()[i] == RowStatus::ok;
        if (row.level >= h.level_names.size()) throw runtime_error(fmt::format("table '{}': zone level beyond the hierarchy", t.name));
        size_t c = 0;
        cols[c++].strings.push_back(h.level_names[row.level]);
        for (uint32_t z : row.zones) cols[c++].strings.push_back(h.zone_ids[row.level].at(z));
        for (const auto& k : row.keys) cols[c++].strings.push_back(k);
        if (c != first_value) throw runtime_error(fmt::format("table '{}': a row does not match its columns", t.name));
        for (double v : row.values) {
            // The CSV's figure, read back: both formats publish the same numbers.
            std::string text = ok ? format_value(v) : std::string();
            WriteColumn& col = cols[c++];
            col.present.push_back(!text.empty());
            col.doubles.push_back(text.empty() ? 0.0 : std::strtod(text.c_str(), nullptr));
        }
        cols[c++].strings.push_back(std::string(to_string(released.status()[i])));
        WriteColumn& s = cols[c];
        s.present.push_back(ok);
        s.ints.push_back(ok ? static_cast<int64_t>(row.support) : 0);
    }
    parquet::WriteOptions options;
    options.created_by = "mpdstat version " MPDSTAT_VERSION;
    parquet::write_table(path, cols, options);
}

}  // namespace mpdstat
