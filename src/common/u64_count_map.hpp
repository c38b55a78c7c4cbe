#pragma once
// Totals keyed by a non-zero 64-bit key (a packed tuple) in one open-addressing
// array: an accumulator's per-device increments touch one slot, without the
// node allocation and pointer chase of std::unordered_map. Iteration order is
// the slots' order — sort (or copy into an ordered map) before output.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace mpdstat {

template <class V>
class U64CountMap {
public:
    // The value of `key` (non-zero), value-initialised on first use.
    V& operator[](uint64_t key) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.first == key) return s.second;
            if (s.first == 0) {
                s.first = key;
                ++size_;
                return s.second;
            }
        }
    }
    template <class F>
    void for_each(F&& f) const {
        for (const Slot& s : slots_)
            if (s.first != 0) f(s.first, s.second);
    }
    // The (key, value) entries in key order: what tables and saved states need,
    // without building an ordered map of the unpacked keys.
    std::vector<std::pair<uint64_t, V>> sorted() const {
        std::vector<std::pair<uint64_t, V>> out;
        out.reserve(size_);
        for_each([&](uint64_t key, const V& v) { out.emplace_back(key, v); });
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        return out;
    }
    size_t size() const noexcept { return size_; }
    void clear() {
        slots_.clear();
        size_ = 0;
        mask_ = 0;
        shift_ = 64;
    }

private:
    using Slot = std::pair<uint64_t, V>;
    size_t slot_of(uint64_t key) const noexcept {
        return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);  // Fibonacci hashing: the top bits
    }
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{0, V{}});
        mask_ = slots_.size() - 1;
        shift_ = 64;
        for (size_t n = slots_.size(); n > 1; n >>= 1) --shift_;
        for (const Slot& s : old)
            if (s.first != 0)
                for (size_t i = slot_of(s.first);; i = (i + 1) & mask_)
                    if (slots_[i].first == 0) {
                        slots_[i] = s;
                        break;
                    }
    }
    std::vector<Slot> slots_;
    size_t size_ = 0, mask_ = 0;
    unsigned shift_ = 64;
};

}  // namespace mpdstat
