#pragma once
// One Tier II table as read back from tier2/<name>.csv: each row's zones,
// keys, status and the measure to estimate. A suppressed row has no value
// (NaN), never 0: the readers keep "withheld" and "zero" apart.
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "estimate/tier2_catalog.hpp"
#include "estimate/zone_tree.hpp"

namespace mpdstat {

struct Tier2Row {
    uint32_t level = 0;
    std::vector<uint32_t> zones;     // one per zone column, at `level`
    std::string keys;                // the key columns' values joined by '\x1f' (for grouping)
    std::vector<std::string> fields; // the row as written, every Tier II column
    bool released = false;
    double measure = 0;              // NaN when suppressed
    double support = 0;              // distinct devices; 0 when suppressed
};

struct Tier2Table {
    const EstimableTable* spec = nullptr;
    std::filesystem::path file;
    std::vector<Tier2Row> rows;

    // The row of a cell, or nullptr (no row: no device there).
    const Tier2Row* find(uint32_t level, const std::vector<uint32_t>& zones, const std::string& keys) const;
    void index_rows();

private:
    std::unordered_map<std::string, size_t> index_;
};

// Identity of a cell: level, zones and keys.
std::string cell_id(uint32_t level, const std::vector<uint32_t>& zones, const std::string& keys);

// Reads a Tier II CSV. Throws a data error naming file:line:field when the
// header is not the catalogue's, a zone is unknown, a status is neither
// ok/released nor suppressed, or a released value is not a number.
Tier2Table read_tier2_table(const std::filesystem::path& file, const EstimableTable& spec, const ZoneTree& zones);

}  // namespace mpdstat
