#include "privacy/secondary_suppression.hpp"

#include <deque>
#include <limits>
#include <span>

#include "common/error.hpp"
#include "privacy/cell_key.hpp"
#include "privacy/row_order.hpp"

namespace mpdstat {

namespace {

constexpr uint32_t kTotalLevel = std::numeric_limits<uint32_t>::max();  // the virtual total above the top level
constexpr int64_t kKnown = -1;                                           // a group parent that is not a row

struct Group {
    int64_t parent = kKnown;
    uint32_t first_child = 0, child_count = 0;  // a run of the children array
};

}  // namespace

uint64_t suppress_secondary(const AggregateTable& t, const ZoneHierarchyView& h, std::vector<Suppression>& state) {
    const size_t n = t.rows.size();
    if (state.size() != n) throw runtime_error("suppress_secondary: state size differs from the row count");

    if (t.zone_columns.size() > kMaxZoneColumns) throw runtime_error("table '" + t.name + "': too many zone columns");
    KeyTuples keys;
    std::vector<uint32_t> key_of(n);
    for (size_t r = 0; r < n; ++r) key_of[r] = keys.id(t.rows[r].keys);
    CellKeyIndex row_at(n);  // positions are row numbers
    for (size_t r = 0; r < n; ++r)
        if (!row_at.insert(CellKey(key_of[r], t.rows[r].level, t.rows[r].zones)).second)
            throw runtime_error("table '" + t.name + "': two rows for the same zones and keys");

    // Groups, in the order their first child appears (deterministic for a canonical table).
    CellKeyIndex group_at(n);  // positions are group numbers
    std::vector<Group> groups;
    std::vector<uint32_t> child_group(n);
    std::vector<int64_t> parent_group(n, -1);
    std::vector<uint32_t> up;
    const std::vector<uint32_t> none;
    for (size_t r = 0; r < n; ++r) {
        const AggregateRow& row = t.rows[r];
        const bool total = row.level == 0;
        up.assign(row.zones.size(), 0);
        if (!total)
            for (size_t c = 0; c < row.zones.size(); ++c) up[c] = h.parent[row.level][row.zones[c]];
        const CellKey gid(key_of[r], total ? kTotalLevel : row.level - 1, total ? none : up);
        auto [g, fresh] = group_at.insert(gid);
        if (fresh) {
            groups.emplace_back();
            if (!total) {
                const int64_t p = row_at.find(gid);
                if (p >= 0) {
                    groups.back().parent = p;
                    parent_group[size_t(p)] = g;
                }
            }
        }
        child_group[r] = g;
        ++groups[g].child_count;
    }
    // Each group's children, in row order, as one run of `children`.
    std::vector<uint32_t> children(n);
    {
        uint32_t at = 0;
        for (Group& g : groups) {
            g.first_child = at;
            at += g.child_count;
        }
        std::vector<uint32_t> filled(groups.size(), 0);
        for (size_t r = 0; r < n; ++r) {
            const uint32_t g = child_group[r];
            children[groups[g].first_child + filled[g]++] = static_cast<uint32_t>(r);
        }
    }
    auto children_of = [&](const Group& g) {
        return std::span<const uint32_t>(children.data() + g.first_child, g.child_count);
    };

    auto suppressed = [&](int64_t r) { return r != kKnown && state[static_cast<size_t>(r)] != Suppression::none; };
    std::deque<uint32_t> queue;
    std::vector<uint8_t> queued(groups.size(), 1);
    for (uint32_t g = 0; g < groups.size(); ++g) queue.push_back(g);
    auto revisit = [&](int64_t g) {
        if (g < 0 || queued[static_cast<size_t>(g)]) return;
        queued[static_cast<size_t>(g)] = 1;
        queue.push_back(static_cast<uint32_t>(g));
    };
    uint64_t added = 0;
    auto suppress = [&](size_t r) {
        state[r] = Suppression::secondary;
        ++added;
        revisit(child_group[r]);
        revisit(parent_group[r]);
    };

    while (!queue.empty()) {
        const uint32_t gi = queue.front();
        queue.pop_front();
        queued[gi] = 0;
        const Group& g = groups[gi];
        size_t unknown = suppressed(g.parent) ? 1 : 0;
        for (uint32_t c : children_of(g)) unknown += suppressed(c) ? 1 : 0;
        if (unknown != 1) continue;
        int64_t pick = -1;
        for (uint32_t c : children_of(g)) {
            if (suppressed(c)) continue;
            if (pick < 0) { pick = c; continue; }
            const AggregateRow& a = t.rows[c];
            const AggregateRow& b = t.rows[static_cast<size_t>(pick)];
            if (a.support < b.support || (a.support == b.support && canonical_less(a, b))) pick = c;
        }
        if (pick >= 0) suppress(static_cast<size_t>(pick));
        else if (g.parent != kKnown) suppress(static_cast<size_t>(g.parent));  // a single child equals its parent
        // else: the only top-level row (or the only child of a parent absent from the table) — it equals the
        // total, which this table does not publish; nothing inside the table can protect it.
    }
    return added;
}

}  // namespace mpdstat
