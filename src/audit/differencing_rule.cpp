#include <deque>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "audit/rules.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat::audit {

namespace {

struct Group {
    std::optional<size_t> parent;  // the row that is the sum; none for the top level (its total is assumed known)
    bool top = false;
    std::vector<size_t> children;
    uint64_t expected_children = 1;  // zones under the parent (drop mode: missing rows are unknowns)
};

constexpr char kSep = '\x1f';

}  // namespace

std::vector<RecoveredCell> check_differencing(const ReleasedFile& f, const ZoneTree& tree, std::vector<Finding>& out) {
    std::vector<RecoveredCell> recovered;
    if (!f.hierarchical || !f.layout_known || f.noise != "none" || f.level_col < 0 || tree.empty() ||
        f.additive_values == 0)
        return recovered;
    const std::string file = f.label();
    const bool drop = f.suppressed_mode == "drop";
    const size_t n = f.rows.size();

    std::vector<std::optional<size_t>> level(n);
    std::vector<std::string> own_key(n), parent_key(n);
    std::map<std::string, Group> groups;
    for (size_t i = 0; i < n; ++i) {
        const auto& row = f.rows[i];
        level[i] = tree.level_index(row[size_t(f.level_col)]);
        if (!level[i]) continue;  // a level outside the zone tree, e.g. a grid
        std::string keys;
        for (size_t c : f.key_cols) keys += row[c] + kSep;
        own_key[i] = fmt::format("{}{}", *level[i], kSep);
        for (size_t c : f.zone_cols) own_key[i] += row[c] + kSep;
        own_key[i] += keys;
        if (*level[i] == 0) {
            parent_key[i] = "top" + std::string(1, kSep) + keys;
            groups[parent_key[i]].top = true;
        } else {
            parent_key[i] = fmt::format("{}{}", *level[i] - 1, kSep);
            for (size_t c : f.zone_cols) parent_key[i] += tree.parent(*level[i], row[c]) + kSep;
            parent_key[i] += keys;
        }
        groups[parent_key[i]].children.push_back(i);
    }
    for (size_t i = 0; i < n; ++i) {
        if (!level[i]) continue;
        auto it = groups.find(own_key[i]);
        if (it == groups.end()) continue;
        it->second.parent = i;
        for (size_t c : f.zone_cols) it->second.expected_children *= tree.child_count(*level[i], f.rows[i][c]);
    }

    // Known values: released rows; then whatever the attacker solves.
    std::vector<bool> known(n);
    std::vector<std::vector<double>> value(n, std::vector<double>(f.additive_values, 0.0));
    for (size_t i = 0; i < n; ++i) {
        known[i] = f.released(i);
        if (known[i])
            for (size_t a = 0; a < f.additive_values; ++a) value[i][a] = parse_number(f.rows[i][f.value_cols[a]]).value_or(0);
    }
    auto report = [&](size_t row, const std::string& how) {
        recovered.push_back({f.name, row, value[row][0]});
        out.push_back({"differencing", file, f.lines[row],
                       fmt::format("suppressed {} {} is recoverable: {}", f.header[f.value_cols[0]],
                                   format_value(value[row][0]), how)});
    };

    std::deque<std::string> queue;
    for (const auto& [key, g] : groups) queue.push_back(key);
    while (!queue.empty()) {
        const std::string key = queue.front();
        queue.pop_front();
        const Group& g = groups.at(key);
        if (!g.top && !g.parent) continue;  // children without their parent row: nothing to subtract from
        std::vector<size_t> unknown_rows;
        for (size_t c : g.children)
            if (!known[c]) unknown_rows.push_back(c);
        const bool parent_unknown = g.parent && !known[*g.parent];
        // In drop mode a missing child is an unknown too (withheld or zero).
        const uint64_t present = g.children.size();
        const uint64_t missing = drop && g.parent && g.expected_children > present ? g.expected_children - present : 0;
        const size_t unknowns = unknown_rows.size() + (parent_unknown ? 1 : 0) + missing;
        if (unknowns != 1) continue;
        if (g.top) {
            // The top level adds up to a total the attacker is assumed to know
            // (the national figure, the operator's subscriber count). A row
            // alone at the top equals that total: nothing inside the table
            // can protect it (docs/disclosure_control.md), so it is a note.
            const bool alone = g.children.size() == 1;
            out.push_back({alone ? "single_top_row" : "differencing", file, f.lines[unknown_rows.at(0)],
                           alone ? "the only top-level row for its keys: it equals their national total if that is known"
                                 : "the only suppressed top-level row among its keys: recoverable from the total",
                           !alone});
            continue;
        }
        std::vector<double> sum(f.additive_values, 0.0);
        for (size_t c : g.children)
            if (known[c])
                for (size_t a = 0; a < sum.size(); ++a) sum[a] += value[c][a];
        if (missing == 1) {
            double rest = value[*g.parent][0] - sum[0];
            if (rest > 1e-6)
                out.push_back({"differencing", file, f.lines[*g.parent],
                               fmt::format("the one missing sub-zone row of this row is recoverable: {} = {}",
                                           f.header[f.value_cols[0]], format_value(rest))});
            continue;
        }
        if (parent_unknown) {
            size_t p = *g.parent;
            value[p] = sum;
            known[p] = true;
            report(p, "it is the sum of its released sub-zones");
            if (level[p] && groups.count(parent_key[p])) queue.push_back(parent_key[p]);
        } else {
            size_t c = unknown_rows.front();
            for (size_t a = 0; a < sum.size(); ++a) value[c][a] = value[*g.parent][a] - sum[a];
            known[c] = true;
            report(c, "its parent zone's value minus its released siblings'");
            if (groups.count(own_key[c])) queue.push_back(own_key[c]);
        }
    }
    return recovered;
}

}  // namespace mpdstat::audit
