#pragma once
// Helpers for the disclosure-control tests: small hierarchies and tables, and
// an attacker who solves the released table's sum constraints for the
// suppressed cells.
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "privacy/aggregate_table.hpp"
#include "privacy/released_table.hpp"
#include "privacy/row_order.hpp"

namespace mpdstat::test {

// levels: coarsest first; each zone as (id, parent id) — parent "" on the top level.
inline ZoneHierarchyView make_hierarchy(const std::vector<std::string>& names,
                                        const std::vector<std::vector<std::pair<std::string, std::string>>>& zones) {
    ZoneHierarchyView h;
    h.level_names = names;
    for (size_t l = 0; l < zones.size(); ++l) {
        h.zone_ids.emplace_back();
        h.parent.emplace_back();
        for (const auto& [id, parent] : zones[l]) {
            h.zone_ids[l].push_back(id);
            if (l == 0) continue;
            const auto& up = h.zone_ids[l - 1];
            h.parent[l].push_back(static_cast<uint32_t>(std::find(up.begin(), up.end(), parent) - up.begin()));
        }
    }
    return h;
}

inline uint32_t zone_index(const ZoneHierarchyView& h, uint32_t level, const std::string& id) {
    const auto& ids = h.zone_ids[level];
    return static_cast<uint32_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

// Finest-level counts (zone ids at the finest level, keys) → a hierarchical
// table of unweighted device counts at every level (devices = support).
inline AggregateTable counts_at_every_level(const ZoneHierarchyView& h, std::string name,
                                            std::vector<std::string> zone_columns,
                                            const std::map<std::pair<std::vector<uint32_t>, std::string>, uint64_t>& finest) {
    AggregateTable t;
    t.name = std::move(name);
    t.zone_columns = std::move(zone_columns);
    t.key_columns = {"time"};
    t.value_columns = {"devices"};
    std::map<std::tuple<uint32_t, std::vector<uint32_t>, std::string>, uint64_t> all;
    const uint32_t finest_level = static_cast<uint32_t>(h.level_names.size() - 1);
    for (const auto& [k, n] : finest) {
        std::vector<uint32_t> zones = k.first;
        for (uint32_t l = finest_level;; --l) {
            all[{l, zones, k.second}] += n;
            if (l == 0) break;
            for (auto& z : zones) z = h.parent[l][z];
        }
    }
    for (const auto& [k, n] : all) {
        AggregateRow r;
        r.level = std::get<0>(k);
        r.zones = std::get<1>(k);
        r.keys = {std::get<2>(k)};
        r.values = {static_cast<double>(n)};
        r.support = n;
        t.rows.push_back(std::move(r));
    }
    return t;
}

// The attacker: knows every released row, the table's structure and — beyond
// what is published — the total of the top level for each key (e.g. from
// another publication). Each group gives parent − Σ children = 0; the unknowns
// are the suppressed rows. Returns the indices (into the released table, flag
// mode) of the suppressed rows whose first additive value these equations
// determine, with the value recovered.
inline std::vector<std::pair<size_t, double>> recoverable_cells(const ReleasedTable& released,
                                                                const AggregateTable& original,
                                                                const ZoneHierarchyView& h) {
    const AggregateTable& t = released.table();
    const size_t n = t.rows.size();
    std::map<std::tuple<uint32_t, std::vector<uint32_t>, std::vector<std::string>>, size_t> at;
    for (size_t i = 0; i < n; ++i) at[{t.rows[i].level, t.rows[i].zones, t.rows[i].keys}] = i;
    std::map<size_t, size_t> unknown;  // row → column
    for (size_t i = 0; i < n; ++i)
        if (released.status()[i] == RowStatus::suppressed) unknown.emplace(i, unknown.size());
    // Equations: coefficients over unknowns, right-hand side.
    struct Eq { std::vector<double> a; double b = 0; };
    std::map<std::pair<int64_t, std::vector<std::string>>, Eq> eqs;  // (parent row or -1 − (virtual total), keys)
    std::map<std::vector<std::string>, double> true_total;
    for (const auto& r : original.rows)
        if (r.level == 0) true_total[r.keys] += r.values[0];
    auto eq_for = [&](int64_t parent, const std::vector<std::string>& keys) -> Eq& {
        auto [it, fresh] = eqs.try_emplace({parent, keys});
        if (fresh) {
            it->second.a.assign(unknown.size(), 0.0);
            if (parent < 0) {
                it->second.b = true_total[keys];  // Σ top = known total
            } else if (unknown.count(static_cast<size_t>(parent))) {
                it->second.a[unknown[static_cast<size_t>(parent)]] -= 1;  // Σ children − parent = 0
            } else {
                it->second.b = t.rows[static_cast<size_t>(parent)].values[0];
            }
        }
        return it->second;
    };
    for (size_t i = 0; i < n; ++i) {
        const AggregateRow& r = t.rows[i];
        int64_t parent = -1;
        if (r.level > 0) {
            std::vector<uint32_t> up = r.zones;
            for (auto& z : up) z = h.parent[r.level][z];
            auto p = at.find({r.level - 1, up, r.keys});
            if (p == at.end()) continue;  // no published parent: no equation
            parent = static_cast<int64_t>(p->second);
        }
        Eq& e = eq_for(parent, r.keys);
        if (unknown.count(i)) e.a[unknown[i]] += 1;
        else e.b -= r.values[0];
    }
    // Row-reduce [A | b].
    std::vector<Eq> m;
    for (auto& [k, e] : eqs) m.push_back(e);
    const size_t u = unknown.size();
    std::vector<int64_t> pivot_row(u, -1);
    size_t row = 0;
    for (size_t c = 0; c < u && row < m.size(); ++c) {
        size_t best = row;
        for (size_t r = row; r < m.size(); ++r)
            if (std::fabs(m[r].a[c]) > std::fabs(m[best].a[c])) best = r;
        if (std::fabs(m[best].a[c]) < 1e-9) continue;
        std::swap(m[row], m[best]);
        const double d = m[row].a[c];
        for (auto& x : m[row].a) x /= d;
        m[row].b /= d;
        for (size_t r = 0; r < m.size(); ++r) {
            if (r == row || std::fabs(m[r].a[c]) < 1e-12) continue;
            const double f = m[r].a[c];
            for (size_t k = 0; k < u; ++k) m[r].a[k] -= f * m[row].a[k];
            m[r].b -= f * m[row].b;
        }
        pivot_row[c] = static_cast<int64_t>(row++);
    }
    std::vector<std::pair<size_t, double>> out;
    for (const auto& [i, c] : unknown) {
        if (pivot_row[c] < 0) continue;
        const Eq& e = m[static_cast<size_t>(pivot_row[c])];
        bool alone = true;
        for (size_t k = 0; k < u; ++k)
            if (k != c && std::fabs(e.a[k]) > 1e-9) alone = false;
        if (alone) out.emplace_back(i, e.b);
    }
    return out;
}

}  // namespace mpdstat::test
