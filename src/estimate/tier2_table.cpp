#include "estimate/tier2_table.hpp"

#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"

namespace mpdstat {

std::string cell_id(uint32_t level, const std::vector<uint32_t>& zones, const std::string& keys) {
    std::string id = std::to_string(level);
    for (uint32_t z : zones) id += '|' + std::to_string(z);
    return id + '|' + keys;
}

const Tier2Row* Tier2Table::find(uint32_t level, const std::vector<uint32_t>& zones, const std::string& keys) const {
    auto it = index_.find(cell_id(level, zones, keys));
    return it == index_.end() ? nullptr : &rows[it->second];
}

void Tier2Table::index_rows() {
    index_.clear();
    for (size_t i = 0; i < rows.size(); ++i) index_.emplace(cell_id(rows[i].level, rows[i].zones, rows[i].keys), i);
}

Tier2Table read_tier2_table(const std::filesystem::path& file, const EstimableTable& spec, const ZoneTree& zones) {
    Tier2Table t;
    t.spec = &spec;
    t.file = file;
    CsvFileReader reader(file, ',', 0);
    const auto expected = spec.header();
    if (reader.header() != expected)
        throw data_error(fmt::format("{}:1: the header is not that of a Tier II {} table: expected {}", file.string(), spec.name,
                                     fmt::join(expected, ",")));
    const size_t nz = spec.zone_columns.size(), nk = spec.key_columns.size();
    size_t measure_col = 0;
    for (size_t i = 0; i < expected.size(); ++i)
        if (expected[i] == spec.measure) measure_col = i;
    const size_t status_col = expected.size() - 2, support_col = expected.size() - 1;
    for_each_record(reader, ',', [&](const CsvRecord& rec, uint64_t line, bool ok) {
        if (!ok || rec.size() != expected.size())
            throw data_error(fmt::format("{}:{}: {} fields, expected {}", file.string(), line, rec.size(), expected.size()));
        Tier2Row row;
        for (size_t i = 0; i < rec.size(); ++i) row.fields.emplace_back(rec[i]);
        const int level = zones.level_index(row.fields[0]);
        if (level < 0) throw data_error(fmt::format("{}:{}: zone_level '{}' is not a level of the zone files", file.string(), line, row.fields[0]));
        row.level = static_cast<uint32_t>(level);
        for (size_t z = 0; z < nz; ++z) {
            const uint32_t zi = zones.find(row.level, row.fields[1 + z]);
            if (zi == kNoZoneId)
                throw data_error(fmt::format("{}:{}: {} '{}' is not a zone of level '{}'", file.string(), line, spec.zone_columns[z],
                                             row.fields[1 + z], row.fields[0]));
            row.zones.push_back(zi);
        }
        for (size_t k = 0; k < nk; ++k) {
            if (k) row.keys += '\x1f';
            row.keys += row.fields[1 + nz + k];
        }
        const std::string& status = row.fields[status_col];
        if (status == "ok" || status == "released") {
            row.released = true;
            auto number = [&](size_t col) {
                const std::string& s = row.fields[col];
                char* end = nullptr;
                const double v = std::strtod(s.c_str(), &end);
                if (s.empty() || *end != '\0' || !std::isfinite(v))
                    throw data_error(fmt::format("{}:{}: field '{}' of a released row must be a number, not \"{}\"", file.string(),
                                                 line, expected[col], s));
                return v;
            };
            row.measure = number(measure_col);
            row.support = number(support_col);
        } else if (status == "suppressed") {
            row.measure = std::nan("");
        } else {
            throw data_error(fmt::format("{}:{}: field 'status' must be ok or suppressed, not \"{}\"", file.string(), line, status));
        }
        t.rows.push_back(std::move(row));
    });
    t.index_rows();
    return t;
}

}  // namespace mpdstat
