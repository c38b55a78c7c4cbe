#include "estimate/suppressed_fill.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace mpdstat {

namespace {

// Prior weight of a suppressed child: its census population (the product over
// zone columns for origin–destination pairs), 1 below the census level.
double prior_weight(const Tier2Row& row, const Census& census) {
    if (!census.has(row.level)) return 1.0;
    double w = 1.0;
    for (uint32_t z : row.zones) w *= census.population[row.level][z];
    return w;
}

}  // namespace

std::vector<FilledValue> fill_suppressed(const Tier2Table& table, const ZoneTree& zones, const Census& census,
                                         SuppressedHandling mode, FillStats* stats) {
    FillStats local;
    FillStats& st = stats ? *stats : local;
    const auto& rows = table.rows;
    std::vector<FilledValue> out(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i].released) {
            out[i] = {RowKind::suppressed, std::nan(""), 0};
            continue;
        }
        const double x = rows[i].measure, s = rows[i].support;
        out[i] = {RowKind::released, x, s > 0 ? x * x / s : x};
    }
    // Groups: children (level ≥ 1) by the row index of their parent cell.
    std::map<size_t, std::vector<size_t>> children;
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        if (r.level == 0) continue;
        std::vector<uint32_t> up;
        for (uint32_t z : r.zones) up.push_back(zones.levels[r.level].parent[z]);
        if (const Tier2Row* p = table.find(r.level - 1, up, r.keys)) children[static_cast<size_t>(p - rows.data())].push_back(i);
    }
    // Coherence of the released rows: children never add up to more than their parent.
    for (const auto& [p, kids] : children) {
        if (!rows[p].released) continue;
        double sum = 0;
        for (size_t k : kids) sum += rows[k].released ? rows[k].measure : 0;
        // Tier II writes six decimals: allow their rounding.
        if (sum > rows[p].measure * (1 + 1e-9) + 1e-6 * double(kids.size() + 1)) ++st.incoherent_groups;
    }
    auto count_left = [&] {
        for (const auto& v : out) st.left_suppressed += v.kind == RowKind::suppressed;
    };
    if (mode == SuppressedHandling::keep) {
        count_left();
        return out;
    }
    // Top-down: a parent's level is filled before its children's.
    std::vector<std::pair<uint32_t, size_t>> order;
    for (const auto& [p, kids] : children) order.emplace_back(rows[p].level, p);
    std::sort(order.begin(), order.end());
    for (const auto& [level, p] : order) {
        const auto& kids = children[p];
        const FilledValue parent = out[p];
        if (parent.kind == RowKind::suppressed || !table.spec->additive(rows[p])) continue;
        double released_sum = 0, weight_sum = 0;
        std::vector<size_t> gaps;
        for (size_t k : kids) {
            if (out[k].kind == RowKind::released) released_sum += out[k].value;
            else if (rows[k].released == false) gaps.push_back(k), weight_sum += prior_weight(rows[k], census);
        }
        if (gaps.empty()) continue;
        // What the suppressed children hold together; never below 0 (noise, rounding).
        const double remainder = std::max(0.0, parent.value - released_sum);
        for (size_t k : gaps) {
            const double share = weight_sum > 0 ? prior_weight(rows[k], census) / weight_sum : 1.0 / double(gaps.size());
            const double v = remainder * share;
            // Allocation (multinomial split of the remainder), counting noise
            // of the child itself, and the parent's own uncertainty.
            const double var = remainder * share * (1 - share) + v + share * share * parent.variance;
            out[k] = {RowKind::estimated, v, var};
            ++st.estimated;
        }
    }
    count_left();
    return out;
}

}  // namespace mpdstat
