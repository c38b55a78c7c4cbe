#pragma once
// Fast identities for aggregate cells: the non-zone key tuples interned to
// small integers, and (key tuple, level, zones) as a hashable value.
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "privacy/aggregate_table.hpp"

namespace mpdstat {

inline constexpr size_t kMaxZoneColumns = 4;

struct KeyTupleHash {
    size_t operator()(const std::vector<std::string>& keys) const noexcept {
        size_t h = 0x9e3779b97f4a7c15ULL;
        for (const auto& k : keys) h = (h ^ std::hash<std::string_view>{}(k)) * 0x100000001b3ULL + k.size();
        return h;
    }
};

// Interns each row's key tuple; ids are in first-appearance order.
class KeyTuples {
public:
    uint32_t id(const std::vector<std::string>& keys) {
        auto it = ids_.find(keys);
        if (it != ids_.end()) return it->second;
        const uint32_t id = static_cast<uint32_t>(tuples_.size());
        tuples_.push_back(&ids_.emplace(keys, id).first->first);
        return id;
    }
    size_t size() const noexcept { return tuples_.size(); }
    const std::vector<std::string>& tuple(uint32_t id) const { return *tuples_[id]; }

private:
    std::unordered_map<std::vector<std::string>, uint32_t, KeyTupleHash> ids_;
    std::vector<const std::vector<std::string>*> tuples_;  // node-based map: stable addresses
};

struct CellKey {
    uint32_t key = 0;
    uint32_t level = 0;
    std::array<uint32_t, kMaxZoneColumns> zones{};

    CellKey(uint32_t key_id, uint32_t lvl, const std::vector<uint32_t>& z) : key(key_id), level(lvl) {
        zones.fill(std::numeric_limits<uint32_t>::max());
        for (size_t i = 0; i < z.size() && i < kMaxZoneColumns; ++i) zones[i] = z[i];
    }
    bool operator==(const CellKey&) const = default;
};

struct CellKeyHash {
    size_t operator()(const CellKey& c) const noexcept {
        uint64_t h = (static_cast<uint64_t>(c.key) << 32 | c.level) * 0x9e3779b97f4a7c15ULL;
        for (uint32_t z : c.zones) h = (h ^ z) * 0xff51afd7ed558ccdULL;
        return static_cast<size_t>(h ^ (h >> 29));
    }
};

}  // namespace mpdstat
