#pragma once
// A small open-addressing map from short strings (≤ 23 bytes, such as
// subscriber or cell ids) to a value, for hot per-row look-ups where
// std::unordered_map's node chasing dominates. Longer keys are not stored:
// find() misses and insert() refuses them, so callers fall back to their slow path.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace mpdstat {

inline uint64_t fast_string_hash(std::string_view s) noexcept {
    // FNV-1a over 8-byte words, then a 64-bit finaliser: quick and well mixed
    // for the short ids this map holds.
    uint64_t h = 0xcbf29ce484222325ULL ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

template <class V>
class FlatStringMap {
public:
    static constexpr size_t kMaxKey = 23;

    explicit FlatStringMap(size_t max_entries = 1 << 20) : max_(max_entries) { rehash(64); }

    const V* find(std::string_view key) const noexcept {
        if (key.size() > kMaxKey) return nullptr;
        uint64_t h = fast_string_hash(key);
        for (size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.len == 0) return nullptr;
            if (s.hash == h && s.len == key.size() + 1 && std::memcmp(s.key, key.data(), key.size()) == 0) return &s.value;
        }
    }

    void prefetch(std::string_view key) const noexcept {
        if (key.size() <= kMaxKey) __builtin_prefetch(&slots_[fast_string_hash(key) & mask_]);
    }

    // Inserts or overwrites; false when the key is too long to keep. When the
    // map holds max_entries it is emptied first (it is a cache).
    bool insert(std::string_view key, const V& value) {
        if (key.size() > kMaxKey) return false;
        if (size_ >= max_) clear();
        if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
        uint64_t h = fast_string_hash(key);
        for (size_t i = h & mask_;; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.len == 0) {
                s.hash = h;
                s.len = static_cast<uint8_t>(key.size() + 1);
                std::memcpy(s.key, key.data(), key.size());
                s.value = value;
                ++size_;
                return true;
            }
            if (s.hash == h && s.len == key.size() + 1 && std::memcmp(s.key, key.data(), key.size()) == 0) {
                s.value = value;
                return true;
            }
        }
    }

    void clear() {
        slots_.assign(64, Slot{});
        mask_ = 63;
        size_ = 0;
    }
    size_t size() const noexcept { return size_; }

private:
    struct Slot {
        uint64_t hash = 0;
        V value{};
        uint8_t len = 0;  // key length + 1; 0 = empty
        char key[kMaxKey];
    };

    void rehash(size_t n) {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(n, Slot{});
        mask_ = n - 1;
        size_ = 0;
        for (const Slot& s : old)
            if (s.len) insert(std::string_view(s.key, s.len - 1u), s.value);
    }

    std::vector<Slot> slots_;
    size_t mask_ = 0;
    size_t size_ = 0;
    size_t max_;
};

}  // namespace mpdstat
