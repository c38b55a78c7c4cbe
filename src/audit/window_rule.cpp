#include <cmath>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "audit/rules.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat::audit {

void check_overlapping_windows(const ReleasedFile& f, uint64_t k, std::vector<Finding>& out) {
    static const std::regex window_column(".*_([0-9]+)d");
    const int date_col = f.column("date");
    if (date_col < 0 || f.noise != "none") return;
    const std::string file = f.label();
    for (size_t c : f.value_cols) {
        if (!std::regex_match(f.header[c], window_column)) continue;
        // Same zone and other keys, consecutive published dates.
        std::map<std::string, std::map<std::string, size_t>> series;  // other keys → date → row
        for (size_t i = 0; i < f.rows.size(); ++i) {
            std::string key = f.level_col >= 0 ? f.rows[i][size_t(f.level_col)] : "";
            for (size_t z : f.zone_cols) key += '\x1f' + f.rows[i][z];
            for (size_t kc : f.key_cols)
                if (int(kc) != date_col) key += '\x1f' + f.rows[i][kc];
            series[key][f.rows[i][size_t(date_col)]] = i;
        }
        size_t reported = 0;
        for (const auto& [key, by_date] : series) {
            const size_t* previous = nullptr;
            for (const auto& [date, row] : by_date) {
                if (previous && f.released(*previous) && f.released(row)) {
                    auto a = parse_number(f.rows[*previous][c]), b = parse_number(f.rows[row][c]);
                    double diff = a && b ? std::fabs(*b - *a) : 0;
                    if (diff > 0 && diff < double(k) && reported++ < 50)
                        out.push_back({"overlapping_windows", file, f.lines[row],
                                       fmt::format("{} differs from the previous date's by {}: the devices in one of two "
                                                   "overlapping windows only (fewer than {})", f.header[c],
                                                   format_value(diff), k)});
                }
                previous = &row;
            }
        }
    }
}

}  // namespace mpdstat::audit
