#pragma once
// Unsigned LEB128 varints and zigzag coding: the integer encoding of Parquet's
// Thrift compact protocol and value encodings, and of ingest's spill files.
// One implementation for all three, so a fix to the bounds checks reaches each.
#include <cstddef>
#include <cstdint>
#include <string>

namespace mpdstat {

// Signed to unsigned with small magnitudes small: 0, -1, 1, -2 … → 0, 1, 2, 3 …
constexpr uint64_t zigzag_encode(int64_t v) noexcept {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
constexpr int64_t zigzag_decode(uint64_t v) noexcept {
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Writes v at p (at most 10 bytes) and returns the position after it.
inline char* put_varint(char* p, uint64_t v) noexcept {
    while (v >= 0x80) {
        *p++ = static_cast<char>(v | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
}

inline void append_varint(std::string& out, uint64_t v) {
    char buf[10];
    out.append(buf, put_varint(buf, v));
}

enum class VarintStatus { ok, truncated, too_long };

// Reads a varint from bytes[pos, size), advancing pos past it. A varint of more
// than 10 bytes is refused (too_long); so is one cut off by the end (truncated).
inline VarintStatus read_varint(const uint8_t* bytes, size_t size, size_t& pos, uint64_t& v) noexcept {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= size) return VarintStatus::truncated;
        const uint8_t b = bytes[pos++];
        v |= uint64_t(b & 0x7F) << shift;
        if (!(b & 0x80)) return VarintStatus::ok;
    }
    return VarintStatus::too_long;
}

}  // namespace mpdstat
