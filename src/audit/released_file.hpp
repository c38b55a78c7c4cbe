#pragma once
// One Tier II / III CSV as `mpdstat audit` sees it: the header, the rows as
// text, and which columns are zones, keys and values. The layout comes from
// out_dir/qa/sdc.json when the file is listed there; otherwise it is guessed
// from the column names (zone columns by name, values = the fields left empty
// on suppressed rows).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mpdstat::audit {

struct ReleasedFile {
    std::string name;                  // file stem, e.g. "commuting"
    std::filesystem::path path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<uint64_t> lines;       // file line of each row
    int level_col = -1, status_col = -1, support_col = -1;
    std::vector<size_t> zone_cols, key_cols, value_cols;
    size_t additive_values = 0;        // how many of value_cols (from the first) add up across zones
    bool hierarchical = false;
    bool layout_known = false;         // from qa/sdc.json rather than guessed
    // The rules recorded for the table (qa/sdc.json); empty when not recorded.
    std::optional<uint64_t> min_devices;
    std::string suppressed_mode = "flag";
    std::string noise = "none";

    bool released(size_t row) const { return status_col >= 0 && rows[row][size_t(status_col)] == "ok"; }
    // "tier2/commuting.csv": the file as findings name it.
    std::string label() const { return (path.parent_path().filename() / path.filename()).generic_string(); }
    int column(std::string_view name) const;
};

// Reads a CSV file; `sdc_entry` is the table's object from qa/sdc.json, if any.
// A file that is not a valid CSV is a data_error naming it.
ReleasedFile load_released_file(const std::filesystem::path& path, const nlohmann::json* sdc_entry);

// A number as written in a released file; nullopt for an empty or non-numeric field.
std::optional<double> parse_number(std::string_view field);

}  // namespace mpdstat::audit
