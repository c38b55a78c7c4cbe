#include "privacy/disclosure_control.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat {

namespace {

// A row's identity: level, zones and keys. The parent's identity maps every
// zone one level up.
struct RowKey {
    uint32_t level;
    std::vector<uint32_t> zones;
    std::vector<std::string> keys;
    bool operator<(const RowKey& o) const { return std::tie(level, zones, keys) < std::tie(o.level, o.zones, o.keys); }
};

}  // namespace

ReleasedTable release(AggregateTable table, const ZoneHierarchyView& zones, const SdcConfig& config) {
    ReleasedTable out;
    const size_t n = table.rows.size();
    out.status_.assign(n, RowStatus::ok);
    out.drop_ = config.suppressed == "drop";
    SdcSummary& s = out.summary_;
    s.table = table.name;
    s.rows = n;
    s.min_devices = config.min_devices;

    for (size_t i = 0; i < n; ++i)
        if (table.rows[i].support < config.min_devices) out.status_[i] = RowStatus::primary;

    if (config.secondary && table.hierarchical) {
        std::map<RowKey, size_t> index;
        for (size_t i = 0; i < n; ++i) {
            const auto& r = table.rows[i];
            index.emplace(RowKey{r.level, r.zones, r.keys}, i);
        }
        // Groups of children: by parent row, or for top-level rows by their keys
        // (their sum, the total, can be computed by anyone).
        constexpr size_t kVirtual = static_cast<size_t>(-1);
        std::map<std::pair<size_t, std::vector<std::string>>, std::vector<size_t>> groups;
        for (size_t i = 0; i < n; ++i) {
            const auto& r = table.rows[i];
            if (r.level == 0) {
                groups[{kVirtual, r.keys}].push_back(i);
                continue;
            }
            RowKey parent{r.level - 1, {}, r.keys};
            bool ok = true;
            for (uint32_t z : r.zones) {
                const auto& up = zones.parent[r.level];
                if (z >= up.size()) { ok = false; break; }
                parent.zones.push_back(up[z]);
            }
            auto it = ok ? index.find(parent) : index.end();
            if (it != index.end()) groups[{it->second, {}}].push_back(i);
        }
        auto suppressed = [&](size_t i) { return out.status_[i] != RowStatus::ok; };
        for (bool changed = true; changed;) {
            changed = false;
            for (const auto& [g, children] : groups) {
                size_t parent = g.first;
                if (parent != kVirtual && suppressed(parent)) continue;
                size_t lone = 0, count = 0;
                for (size_t c : children)
                    if (suppressed(c)) ++count, lone = c;
                if (count != 1) continue;
                // Suppress the released sibling resting on the fewest devices
                // (ties: the first in table order, i.e. the lowest zone ids).
                size_t pick = kVirtual;
                for (size_t c : children)
                    if (!suppressed(c) && (pick == kVirtual || table.rows[c].support < table.rows[pick].support)) pick = c;
                if (pick == kVirtual) {
                    // An only child equals its parent: the parent must go too.
                    if (parent == kVirtual) continue;
                    pick = parent;
                }
                (void)lone;
                out.status_[pick] = RowStatus::secondary;
                changed = true;
            }
        }
    }
    for (size_t i = 0; i < n; ++i) {
        if (out.status_[i] == RowStatus::ok) ++s.released;
        else if (out.status_[i] == RowStatus::primary) ++s.primary;
        else ++s.secondary;
    }
    if (out.drop_) s.dropped = s.primary + s.secondary;
    out.table_ = std::move(table);
    return out;
}

std::string format_value(double v) {
    if (!std::isfinite(v)) return {};
    double r = std::round(v);
    if (std::abs(v - r) < 1e-9 && std::abs(r) < 9e15) return fmt::format("{}", static_cast<int64_t>(r));
    std::string s = fmt::format("{:.6f}", v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

void write_released_csv(const ReleasedTable& released, const ZoneHierarchyView& zones, const std::filesystem::path& path) {
    const AggregateTable& t = released.table();
    std::string out = "zone_level";
    for (const auto& c : t.zone_columns) out += "," + c;
    for (const auto& c : t.key_columns) out += "," + c;
    for (const auto& c : t.value_columns) out += "," + c;
    out += ",status,support\n";
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const auto& r = t.rows[i];
        bool ok = released.status()[i] == RowStatus::ok;
        if (!ok && released.drop_suppressed()) continue;
        out += zones.level_names.at(r.level);
        for (uint32_t z : r.zones) {
            out += ',';
            out += zones.zone_ids.at(r.level).at(z);
        }
        for (const auto& k : r.keys) {
            out += ',';
            out += k;
        }
        for (double v : r.values) {
            out += ',';
            if (ok) out += format_value(v);
        }
        out += ok ? ",ok," + std::to_string(r.support) : ",suppressed,";
        out += '\n';
    }
    write_file_atomically(path, out);
}

}  // namespace mpdstat
