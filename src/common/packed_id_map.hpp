#pragma once
// Short decimal ids — subscriber numbers, cell ids — packed losslessly into
// one 64-bit key, and an open-addressing map over such keys with 16-byte
// slots. For the per-row look-ups of ingest this is a third of the memory of
// a string-keyed table, so more of it stays in cache; ids that do not pack
// take the caller's string path.
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/huge_page_table.hpp"

namespace mpdstat {

// "0123" and "123" are different ids: the length is part of the key.
constexpr size_t kMaxPackedDigits = 18;  // 10^18 < 2^60: the value fits below the length bits

inline std::optional<uint64_t> pack_decimal_id(std::string_view s) noexcept {
    if (s.empty() || s.size() > kMaxPackedDigits) return std::nullopt;
    uint64_t v = 0;
    for (char c : s) {
        unsigned d = static_cast<unsigned char>(c) - unsigned('0');
        if (d > 9) return std::nullopt;
        v = v * 10 + d;
    }
    return (uint64_t(s.size()) << 60) | v;  // never 0: 0 marks an empty slot
}

template <class V>
class PackedIdMap {
public:
    // When the map holds max_entries it is emptied before the next insert (a cache).
    explicit PackedIdMap(size_t max_entries = size_t(1) << 20) : max_(max_entries) { clear(); }

    const V* find(uint64_t key) const noexcept {
        for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.key == key) return &s.value;
            if (s.key == 0) return nullptr;
        }
    }

    // Asks for the cache line of the key's first slot, so that a find() a few
    // rows later does not wait on memory.
    void prefetch(uint64_t key) const noexcept { __builtin_prefetch(&slots_[slot_of(key)]); }

    // Inserts or overwrites; `key` must come from pack_decimal_id.
    void insert(uint64_t key, const V& value) {
        if (size_ >= max_) clear();
        if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
        place(key, value);
    }

    void clear() { resize_empty(64); }
    size_t size() const noexcept { return size_; }

private:
    struct Slot {
        uint64_t key;
        V value;
    };

    size_t slot_of(uint64_t key) const noexcept {
        // Fibonacci hashing: consecutive numbers land far apart.
        return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_) & mask_;
    }

    void place(uint64_t key, const V& value) {
        for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.key == key) {
                s.value = value;
                return;
            }
            if (s.key == 0) {
                s = Slot{key, value};
                ++size_;
                return;
            }
        }
    }

    void resize_empty(size_t n) {
        slots_ = HugePageTable<Slot>(n);
        mask_ = n - 1;
        shift_ = 64;
        for (size_t m = n; m > 1; m >>= 1) --shift_;
        size_ = 0;
    }

    void rehash(size_t n) {
        HugePageTable<Slot> old(std::move(slots_));
        resize_empty(n);
        for (const Slot& s : old)
            if (s.key) place(s.key, s.value);
    }

    HugePageTable<Slot> slots_;
    size_t mask_ = 0;
    int shift_ = 64;
    size_t size_ = 0;
    size_t max_;
};

}  // namespace mpdstat
