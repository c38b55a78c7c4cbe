#include <algorithm>
#include <limits>
#include <set>
#include <string>

#include <fmt/format.h>

#include "common/error.hpp"
#include "privacy/cell_key.hpp"
#include "privacy/noise.hpp"
#include "privacy/released_table.hpp"
#include "privacy/secondary_suppression.hpp"
#include "privacy/threshold.hpp"

namespace mpdstat {

namespace {

void check_hierarchy(const ZoneHierarchyView& h) {
    const size_t levels = h.level_names.size();
    if (h.zone_ids.size() != levels || h.parent.size() != levels)
        throw runtime_error("zone hierarchy: level names, zone ids and parents differ in length");
    for (size_t l = 1; l < levels; ++l) {
        if (h.parent[l].size() != h.zone_ids[l].size())
            throw runtime_error(fmt::format("zone hierarchy: level '{}' has {} zones but {} parents", h.level_names[l],
                                            h.zone_ids[l].size(), h.parent[l].size()));
        for (uint32_t p : h.parent[l])
            if (p >= h.zone_ids[l - 1].size())
                throw runtime_error(fmt::format("zone hierarchy: a zone of level '{}' has no parent in '{}'",
                                                h.level_names[l], h.level_names[l - 1]));
    }
}

void check_table(const AggregateTable& t, const ZoneHierarchyView& h) {
    if (t.zone_columns.empty()) throw runtime_error(fmt::format("table '{}': no zone column", t.name));
    if (t.zone_columns.size() > kMaxZoneColumns)
        throw runtime_error(fmt::format("table '{}': more than {} zone columns", t.name, kMaxZoneColumns));
    if (t.additive_values > t.value_columns.size())
        throw runtime_error(fmt::format("table '{}': more additive values than value columns", t.name));
    for (const auto& row : t.rows) {
        if (row.level >= h.level_names.size())
            throw runtime_error(fmt::format("table '{}': a row at zone level {} of {}", t.name, row.level, h.level_names.size()));
        if (row.zones.size() != t.zone_columns.size() || row.keys.size() != t.key_columns.size() ||
            row.values.size() != t.value_columns.size())
            throw runtime_error(fmt::format("table '{}': a row does not match the table's columns", t.name));
        for (uint32_t z : row.zones)
            if (z >= h.zone_ids[row.level].size())
                throw runtime_error(fmt::format("table '{}': zone index {} beyond level '{}'", t.name, z, h.level_names[row.level]));
    }
}

// Canonical order (privacy/row_order.hpp), computed on interned key tuples:
// the same order as sorting with canonical_less, much faster on big tables.
void sort_canonically(AggregateTable& t) {
    const size_t n = t.rows.size();
    KeyTuples keys;
    std::vector<uint32_t> key_of(n);
    for (size_t i = 0; i < n; ++i) key_of[i] = keys.id(t.rows[i].keys);
    std::vector<uint32_t> by_text(keys.size());
    for (uint32_t k = 0; k < by_text.size(); ++k) by_text[k] = k;
    std::sort(by_text.begin(), by_text.end(), [&](uint32_t a, uint32_t b) { return keys.tuple(a) < keys.tuple(b); });
    std::vector<uint32_t> rank(keys.size());
    for (uint32_t r = 0; r < by_text.size(); ++r) rank[by_text[r]] = r;
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i) order[i] = i;
    auto less = [&](uint32_t a, uint32_t b) {
        const AggregateRow& x = t.rows[a];
        const AggregateRow& y = t.rows[b];
        if (x.level != y.level) return x.level < y.level;
        if (x.zones != y.zones) return x.zones < y.zones;
        return rank[key_of[a]] < rank[key_of[b]];
    };
    // Tables usually come in this order already (accumulators emit their
    // ordered keys): then there is nothing to move.
    auto in_order = [&] {
        for (size_t i = 1; i < n; ++i)
            if (!less(order[i - 1], order[i])) return false;
        return true;
    };
    if (in_order()) return;
    std::sort(order.begin(), order.end(), less);
    if (!in_order()) throw runtime_error(fmt::format("table '{}': two rows for the same zones and keys", t.name));
    std::vector<AggregateRow> rows;
    rows.reserve(n);
    for (uint32_t i : order) rows.push_back(std::move(t.rows[i]));
    t.rows = std::move(rows);
}

// Bytes naming one cell of one column, independent of row order and zone-file order.
std::string cell_identity(const AggregateTable& t, const ZoneHierarchyView& h, const AggregateRow& row,
                          std::string_view column) {
    std::string s;
    auto add = [&s](std::string_view part) {
        s += std::to_string(part.size());
        s += ':';
        s += part;
    };
    add(t.name);
    add(column);
    add(h.level_names[row.level]);
    for (uint32_t z : row.zones) add(h.zone_ids[row.level][z]);
    for (const auto& k : row.keys) add(k);
    return s;
}

}  // namespace

std::string_view to_string(RowStatus s) noexcept { return s == RowStatus::ok ? "ok" : "suppressed"; }

ReleasedTable release(AggregateTable t, const ZoneHierarchyView& h, const SdcConfig& sdc, const RowFilter& withhold) {
    check_hierarchy(h);
    check_table(t, h);
    sort_canonically(t);

    SdcSummary sum;
    sum.table = t.name;
    sum.rows = t.rows.size();
    sum.min_devices = sdc.min_devices;
    sum.suppressed_mode = sdc.suppressed;
    std::set<uint32_t> levels;
    for (const auto& row : t.rows) levels.insert(row.level);
    sum.levels = static_cast<uint32_t>(levels.size());
    sum.zone_columns = t.zone_columns;
    sum.key_columns = t.key_columns;
    sum.value_columns = t.value_columns;
    sum.additive_values = t.additive_values;
    sum.hierarchical = t.hierarchical;

    // (a) Primary: on the unweighted support, for the whole row.
    std::vector<Suppression> state(t.rows.size(), Suppression::none);
    for (size_t i = 0; i < t.rows.size(); ++i)
        if (!passes_threshold(t.rows[i].support, sdc)) {
            state[i] = Suppression::primary;
            ++sum.primary_suppressed;
        } else if (withhold && withhold(t.rows[i])) {
            state[i] = Suppression::primary;
            ++sum.linked_suppressed;
        }
    // (b) Secondary.
    sum.secondary = sdc.secondary && t.hierarchical;
    if (sum.secondary) sum.secondary_suppressed = suppress_secondary(t, h, state);

    // (c) Noise on what is released, after suppression.
    sum.noise = sdc.noise;
    if (sdc.noise != NoiseMechanism::none) {
        sum.epsilon = sdc.epsilon;
        sum.delta = sdc.noise == NoiseMechanism::gaussian ? sdc.delta : 0.0;
        sum.max_contributions = sdc.max_contributions;
        sum.scale = noise_scale(sdc);
        for (size_t c = 0; c < t.additive_values; ++c) sum.noised_columns.push_back(t.value_columns[c]);
        sum.noised_columns.push_back("support");
        const double releases = static_cast<double>(sum.levels) * static_cast<double>(sum.noised_columns.size());
        sum.epsilon_total = sum.epsilon * releases;
        sum.delta_total = sum.delta * releases;
        for (size_t i = 0; i < t.rows.size(); ++i) {
            if (state[i] != Suppression::none) continue;
            AggregateRow& row = t.rows[i];
            for (size_t c = 0; c < t.additive_values; ++c)
                row.values[c] = noisy_count(sdc, row.values[c], cell_identity(t, h, row, t.value_columns[c]));
            // The support is a count too; its noisy value never shows less than the threshold it passed.
            const double s = noisy_count(sdc, static_cast<double>(row.support), cell_identity(t, h, row, "support"),
                                         static_cast<double>(sdc.min_devices));
            row.support = static_cast<uint64_t>(s);
        }
    }

    // (d) Suppressed rows keep nothing of their values, or go.
    std::vector<RowStatus> status;
    status.reserve(t.rows.size());
    size_t out = 0;
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const bool ok = state[i] == Suppression::none;
        if (ok) ++sum.released;
        if (!ok && sdc.suppressed == SuppressedMode::drop) {
            ++sum.dropped;
            continue;
        }
        AggregateRow& row = t.rows[i];
        if (!ok) {
            std::fill(row.values.begin(), row.values.end(), std::numeric_limits<double>::quiet_NaN());
            row.support = 0;
        }
        if (out != i) t.rows[out] = std::move(row);
        ++out;
        status.push_back(ok ? RowStatus::ok : RowStatus::suppressed);
    }
    t.rows.resize(out);
    return ReleasedTable(std::move(t), std::move(status), std::move(sum));
}

}  // namespace mpdstat
