#pragma once
// Fast identities for aggregate cells: the non-zone key tuples interned to
// small integers, and (key tuple, level, zones) as a hashable value.
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
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

// Positions of distinct CellKeys, numbered in insertion order: an open-addressing
// index over a vector of the keys (no node per key: a table of hundreds of
// thousands of rows is looked up without a cache miss per node).
class CellKeyIndex {
public:
    explicit CellKeyIndex(size_t expected = 0) {
        keys_.reserve(expected);
        rehash(expected);
    }

    // The key's position, and whether it was added now (as the last one).
    std::pair<uint32_t, bool> insert(const CellKey& key) {
        size_t at = slot_of(key);
        if (slots_[at] != 0) return {slots_[at] - 1, false};
        if ((keys_.size() + 1) * 2 > slots_.size()) {
            rehash(keys_.size() + 1);
            at = slot_of(key);
        }
        keys_.push_back(key);
        slots_[at] = static_cast<uint32_t>(keys_.size());
        return {static_cast<uint32_t>(keys_.size() - 1), true};
    }
    // The key's position, or -1.
    int64_t find(const CellKey& key) const {
        const uint32_t s = slots_[slot_of(key)];
        return s == 0 ? -1 : int64_t(s) - 1;
    }
    size_t size() const noexcept { return keys_.size(); }

private:
    // The slot holding `key`, or the empty one where it would go (linear probing).
    size_t slot_of(const CellKey& key) const {
        size_t at = CellKeyHash{}(key) & mask_;
        while (slots_[at] != 0 && !(keys_[slots_[at] - 1] == key)) at = (at + 1) & mask_;
        return at;
    }
    void rehash(size_t keys) {
        size_t n = 16;
        while (n < keys * 2) n *= 2;
        if (n <= slots_.size()) return;
        slots_.assign(n, 0);
        mask_ = n - 1;
        for (size_t i = 0; i < keys_.size(); ++i) slots_[slot_of(keys_[i])] = static_cast<uint32_t>(i + 1);
    }

    std::vector<CellKey> keys_;
    std::vector<uint32_t> slots_;  // position + 1; 0 = empty
    size_t mask_ = 0;
};

}  // namespace mpdstat
