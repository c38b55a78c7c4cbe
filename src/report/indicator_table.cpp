#include "report/indicator_table.hpp"

namespace mpdstat::report {

namespace fs = std::filesystem;

std::optional<IndicatorTable> IndicatorTable::open(const fs::path& out_dir, const std::string& name,
                                                   const std::string& tier2_value) {
    std::error_code ec;
    IndicatorTable t;
    fs::path tier3 = out_dir / "tier3" / (name + ".csv"), tier2 = out_dir / "tier2" / (name + ".csv");
    if (fs::exists(tier3, ec)) {
        t.tier3_ = true;
        t.csv_ = load_csv(tier3);
        t.value_ = t.csv_.column("estimate");
        t.low_ = t.csv_.find_column("ci_low");
        t.high_ = t.csv_.find_column("ci_high");
    } else if (fs::exists(tier2, ec)) {
        t.csv_ = load_csv(tier2);
        t.value_ = t.csv_.column(tier2_value);
    } else {
        return std::nullopt;
    }
    t.tier2_unit_ = tier2_value == "devices" ? "devices" : tier2_value;
    t.status_ = t.csv_.column("status");
    return t;
}

std::string IndicatorTable::unit() const { return tier3_ ? "persons (Tier III estimate)" : tier2_unit_; }

CellValue IndicatorTable::value(size_t row, size_t column) const {
    CellValue v;
    const auto& r = csv_.rows[row];
    if (r[status_] == "suppressed") return v;
    auto parsed = parse_double(r[column]);
    if (!parsed) return v;
    v.released = true;
    v.value = *parsed;
    return v;
}

CellValue IndicatorTable::value(size_t row) const {
    CellValue v = value(row, value_);
    if (v.released && low_ && high_) {
        v.low = parse_double(csv_.rows[row][*low_]);
        v.high = parse_double(csv_.rows[row][*high_]);
    }
    return v;
}

}  // namespace mpdstat::report
