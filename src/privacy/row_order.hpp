#pragma once
// The canonical order of aggregate rows: zone level, then zone indices (the
// order of the zone files), then the other keys as strings. Released tables
// are written in this order, and ties in secondary suppression are broken by it.
#include <algorithm>

#include "privacy/aggregate_table.hpp"

namespace mpdstat {

inline bool canonical_less(const AggregateRow& a, const AggregateRow& b) noexcept {
    if (a.level != b.level) return a.level < b.level;
    if (a.zones != b.zones) return std::lexicographical_compare(a.zones.begin(), a.zones.end(), b.zones.begin(), b.zones.end());
    return std::lexicographical_compare(a.keys.begin(), a.keys.end(), b.keys.begin(), b.keys.end());
}

}  // namespace mpdstat
