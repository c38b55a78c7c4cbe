#pragma once
// One indicator as the report reads it: the Tier III file (tier3/NAME.csv,
// value = `estimate` with `ci_low`, `ci_high`) when the folder has one, else
// the Tier II file (tier2/NAME.csv, value = a device count column).
#include <filesystem>
#include <optional>
#include <string>

#include "report/csv_table.hpp"

namespace mpdstat::report {

// A value of one row: released or withheld by disclosure control.
struct CellValue {
    bool released = false;
    double value = 0;
    std::optional<double> low, high;  // Tier III confidence interval
};

class IndicatorTable {
public:
    // Loads OUT_DIR/tier3/NAME.csv if it exists, else OUT_DIR/tier2/NAME.csv;
    // nullopt when neither exists. `tier2_value` names the Tier II value
    // column (e.g. "devices"); Tier III always uses "estimate".
    static std::optional<IndicatorTable> open(const std::filesystem::path& out_dir, const std::string& name,
                                              const std::string& tier2_value);

    bool tier3() const noexcept { return tier3_; }
    const CsvTable& csv() const noexcept { return csv_; }
    const std::filesystem::path& path() const noexcept { return csv_.path; }
    // The unit of the values, for legends: "devices" or "persons (Tier III estimate)".
    std::string unit() const;
    size_t column(std::string_view name) const { return csv_.column(name); }
    const std::string& field(size_t row, size_t column) const { return csv_.rows[row][column]; }
    size_t rows() const noexcept { return csv_.rows.size(); }

    CellValue value(size_t row) const;               // of the table's value column
    CellValue value(size_t row, size_t column) const;  // of another value column (no interval)

private:
    CsvTable csv_;
    bool tier3_ = false;
    std::string tier2_unit_;
    size_t status_ = 0, value_ = 0;
    std::optional<size_t> low_, high_;
};

}  // namespace mpdstat::report
