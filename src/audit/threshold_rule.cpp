#include <cmath>

#include <fmt/format.h>

#include "audit/rules.hpp"

namespace mpdstat::audit {

namespace {

// Columns that count distinct devices (people), as opposed to events, trips
// or nights, or weighted / scaled values.
bool counts_devices(const std::string& column) {
    for (const char* word : {"devices", "visitors", "travellers", "residents", "migrants"})
        if (column.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace

void check_threshold(const ReleasedFile& f, uint64_t k, std::vector<Finding>& out) {
    const std::string file = f.label();
    if (f.status_col < 0 || f.support_col < 0) {
        out.push_back({"threshold", file, 1, "no status / support columns: the file did not go through disclosure control"});
        return;
    }
    // Device-count columns whose released values are all whole numbers are
    // unweighted counts: each is itself a number of devices to protect.
    std::vector<size_t> device_counts;
    for (size_t c : f.value_cols) {
        if (!counts_devices(f.header[c]) || f.noise != "none") continue;
        bool whole = true;
        for (size_t i = 0; i < f.rows.size() && whole; ++i) {
            if (!f.released(i)) continue;
            auto v = parse_number(f.rows[i][c]);
            whole = !v || *v == std::floor(*v);
        }
        if (whole) device_counts.push_back(c);
    }
    for (size_t i = 0; i < f.rows.size(); ++i) {
        const auto& row = f.rows[i];
        const std::string& status = row[size_t(f.status_col)];
        const std::string& support = row[size_t(f.support_col)];
        // Tier III rows estimated from their parent level (docs/estimate.md)
        // publish only a rounded estimate: their Tier II fields stay as empty
        // as a suppressed row's.
        const bool estimated = status == "estimated" && f.path.parent_path().filename() == "tier3";
        if (status == "suppressed" || estimated) {
            bool shows = !support.empty();
            for (size_t c : f.value_cols) shows = shows || !row[c].empty();
            if (shows)
                out.push_back({"suppressed_values", file, f.lines[i],
                               fmt::format("a {} row shows a Tier II value or its support", status)});
            continue;
        }
        if (status != "ok") {
            out.push_back({"threshold", file, f.lines[i], fmt::format("status '{}' is neither ok nor suppressed", status)});
            continue;
        }
        auto s = parse_number(support);
        if (!s || *s != std::floor(*s) || *s < double(k)) {
            out.push_back({"threshold", file, f.lines[i],
                           fmt::format("released with support '{}' (must be a whole number >= {})", support, k)});
            continue;
        }
        for (size_t c : device_counts) {
            auto v = parse_number(row[c]);
            if (v && *v > 0 && *v < double(k))
                out.push_back({"small_count", file, f.lines[i],
                               fmt::format("released {} = {} rests on fewer than {} devices (the row's support counts "
                                           "other devices)", f.header[c], row[c], k)});
        }
    }
}

}  // namespace mpdstat::audit
