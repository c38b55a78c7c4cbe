#pragma once
// The operator's cells, versioned by validity dates (METHODS.md §2). One row of
// the cells CSV is one cell version; the same cell id may have several versions
// (a cell moved or re-planned) with disjoint validity periods.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/civil_time.hpp"
#include "common/flat_string_map.hpp"
#include "common/packed_id_map.hpp"
#include "common/string_hash.hpp"
#include "config/config.hpp"

namespace mpdstat {

struct Cell {
    std::string id;       // normalised
    std::string site_id;  // the cell id when not given
    double lat = NAN, lon = NAN;
    double azimuth = NAN;     // degrees clockwise from north; NaN = omnidirectional
    double beam_width = NAN;  // degrees
    double range_m = NAN;
    std::string technology;
    Day valid_from = std::numeric_limits<Day>::min();
    Day valid_to = std::numeric_limits<Day>::max();  // inclusive
    bool valid_on(Day d) const noexcept { return d >= valid_from && d <= valid_to; }
};

struct CellProblem {
    uint64_t line;
    std::string cell_id;
    std::string reason;
};

// "2367.0" and " 2367" are the cell "2367": ids are trimmed and integral
// decimals lose their ".0" so two files that spell one id differently agree.
std::string normalise_cell_id(std::string_view raw);

class CellPlan {
public:
    static constexpr uint32_t npos = 0xFFFFFFFFu;

    // Reads the cells CSV. Rows with a missing id, bad coordinates or bad dates
    // are left out and listed in problems(); an unreadable file is an error.
    static CellPlan load(const std::filesystem::path& path, const CellColumns& columns, char delimiter = ',');

    void add(Cell c);  // for tests and the generator
    const std::vector<Cell>& cells() const noexcept { return cells_; }
    const std::vector<CellProblem>& problems() const noexcept { return problems_; }
    size_t size() const noexcept { return cells_.size(); }
    const Cell& operator[](uint32_t i) const { return cells_[i]; }

    // The version of `id` (already normalised) valid on `day`; npos if unknown
    // or not valid that day. `known` tells the two apart.
    uint32_t find(std::string_view id, Day day, bool& known) const;
    // Asks for the memory find(id, …) will read first, so that a look-up a
    // few rows later does not wait on it (ingest parses rows in batches).
    void prefetch(std::string_view id) const noexcept {
        if (std::optional<uint64_t> key = pack_decimal_id(id)) decimal_.prefetch(*key);
    }
    bool contains(std::string_view id) const { return by_id_.find(id) != by_id_.end(); }

private:
    std::vector<Cell> cells_;
    std::vector<CellProblem> problems_;
    StringMap<uint32_t> by_id_;          // id → index into versions_
    FlatStringMap<uint32_t> fast_{1u << 30};  // the same for ids of ≤ 23 bytes, for the per-row look-up
    // Decimal ids (the usual case), packed, with their version when there is
    // only one: the per-row look-up then touches one 24-byte slot.
    struct DecimalEntry {
        uint32_t slot;          // index into versions_
        uint32_t only_version;  // npos when the id has several versions
        Day valid_from, valid_to;
    };
    PackedIdMap<DecimalEntry> decimal_{1u << 30};
    std::vector<std::vector<uint32_t>> versions_;
    std::vector<std::pair<Day, Day>> validity_;  // per cell version, compact for the hot look-up
};

}  // namespace mpdstat
