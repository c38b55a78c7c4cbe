#include "parquet/encoding.hpp"

#include <cstring>

#include <fmt/format.h>

#include "common/varint.hpp"
#include "parquet/format_error.hpp"

namespace mpdstat::parquet {

uint8_t ByteCursor::byte() {
    if (pos_ >= bytes_.size()) throw FormatError("encoded values end early");
    return bytes_[pos_++];
}

uint32_t ByteCursor::u32_le() {
    auto b = take(4);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

uint64_t ByteCursor::uleb128() {
    uint64_t v = 0;
    switch (read_varint(bytes_.data(), bytes_.size(), pos_, v)) {
        case VarintStatus::ok: return v;
        case VarintStatus::truncated: throw FormatError("encoded values end early");
        case VarintStatus::too_long: break;
    }
    throw FormatError("varint longer than 10 bytes");
}

int64_t ByteCursor::zigzag_varint() { return zigzag_decode(uleb128()); }

std::span<const uint8_t> ByteCursor::take(size_t n) {
    if (n > remaining()) throw FormatError(fmt::format("encoded values end early ({} bytes needed, {} left)", n, remaining()));
    auto s = bytes_.subspan(pos_, n);
    pos_ += n;
    return s;
}

int bit_width_of(uint64_t v) {
    int w = 0;
    while (v) {
        ++w;
        v >>= 1;
    }
    return w;
}

void unpack_bits(std::span<const uint8_t> in, int w, size_t count, uint64_t* out) {
    if (w == 0) {
        std::fill(out, out + count, 0);
        return;
    }
    if (w < 0 || w > 64) throw FormatError(fmt::format("bit width {} out of range", w));
    const uint64_t need = (uint64_t(count) * uint64_t(w) + 7) / 8;
    if (need > in.size()) throw FormatError("bit-packed values end early");
    const uint64_t mask = w == 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
    const uint8_t* p = in.data();
    const size_t size = in.size();
    uint64_t bit = 0;
    for (size_t i = 0; i < count; ++i, bit += uint64_t(w)) {
        size_t byte = static_cast<size_t>(bit >> 3);
        unsigned shift = static_cast<unsigned>(bit & 7);
        if (w <= 56 && byte + 8 <= size) {
            // Fast path: one unaligned 8-byte load covers the value.
            uint64_t word;
            std::memcpy(&word, p + byte, 8);
            out[i] = (word >> shift) & mask;
        } else {
            // Near the end, or wider than one load: gather byte by byte.
            uint64_t v = 0;
            int got = 0;
            size_t b = byte;
            unsigned s = shift;
            while (got < w) {
                uint64_t part = uint64_t(p[b]) >> s;
                v |= got < 64 ? part << got : 0;
                got += 8 - static_cast<int>(s);
                s = 0;
                ++b;
            }
            out[i] = v & mask;
        }
    }
}

RleBitPackedDecoder::RleBitPackedDecoder(std::span<const uint8_t> data, int bit_width) : in_(data), bit_width_(bit_width) {
    if (bit_width < 0 || bit_width > 32) throw FormatError(fmt::format("RLE bit width {} out of range 0-32", bit_width));
}

bool RleBitPackedDecoder::next_run() {
    if (in_.remaining() == 0) return false;
    uint64_t header = in_.uleb128();
    if (header & 1) {
        uint64_t groups = header >> 1;
        if (groups == 0) throw FormatError("empty bit-packed run");
        uint64_t values = groups * 8;
        uint64_t bytes = groups * uint64_t(bit_width_);
        // Writers may cut the last run short of its declared bytes: take what is there.
        size_t n = static_cast<size_t>(std::min<uint64_t>(bytes, in_.remaining()));
        packed_ = in_.take(n);
        packed_left_ = std::min<uint64_t>(values, bit_width_ == 0 ? values : uint64_t(n) * 8 / uint64_t(bit_width_));
        packed_done_ = 0;
    } else {
        rle_left_ = header >> 1;
        if (rle_left_ == 0) throw FormatError("empty RLE run");
        size_t nbytes = static_cast<size_t>((bit_width_ + 7) / 8);
        auto b = in_.take(nbytes);
        uint32_t v = 0;
        for (size_t i = 0; i < nbytes; ++i) v |= uint32_t(b[i]) << (8 * i);
        if (bit_width_ < 32 && (v >> bit_width_) != 0) throw FormatError("RLE run value wider than its bit width");
        rle_value_ = v;
    }
    return true;
}

void RleBitPackedDecoder::decode(uint32_t* out, size_t count) {
    size_t done = 0;
    while (done < count) {
        if (rle_left_ > 0) {
            size_t n = static_cast<size_t>(std::min<uint64_t>(rle_left_, count - done));
            std::fill(out + done, out + done + n, rle_value_);
            rle_left_ -= n;
            done += n;
        } else if (packed_left_ > 0) {
            size_t n = static_cast<size_t>(std::min<uint64_t>(packed_left_, count - done));
            scratch_.resize(n);
            // Values already taken from this run start at bit packed_done_ * width.
            uint64_t first_bit = packed_done_ * uint64_t(bit_width_);
            size_t first_byte = static_cast<size_t>(first_bit / 8);
            if (first_bit % 8 == 0) {
                unpack_bits(packed_.subspan(first_byte), bit_width_, n, scratch_.data());
            } else {
                // Unaligned resume (rare: a caller asked for a count that split a group).
                std::vector<uint64_t> all(static_cast<size_t>(packed_done_) + n);
                unpack_bits(packed_, bit_width_, all.size(), all.data());
                std::copy(all.begin() + static_cast<std::ptrdiff_t>(packed_done_), all.end(), scratch_.begin());
            }
            for (size_t i = 0; i < n; ++i) out[done + i] = static_cast<uint32_t>(scratch_[i]);
            packed_left_ -= n;
            packed_done_ += n;
            done += n;
        } else if (!next_run()) {
            throw FormatError(fmt::format("RLE / bit-packed data ends after {} of {} values", done, count));
        }
    }
}

void encode_rle_bit_packed(std::span<const uint32_t> values, int w, std::string& out) {
    auto varint = [&](uint64_t v) { append_varint(out, v); };
    const size_t value_bytes = static_cast<size_t>((w + 7) / 8);
    size_t i = 0;
    const size_t n = values.size();
    std::vector<uint32_t> pending;  // values waiting to be bit-packed (a multiple of 8 except at the end)
    auto flush_packed = [&]() {
        if (pending.empty()) return;
        size_t groups = (pending.size() + 7) / 8;
        pending.resize(groups * 8, 0);  // the last group is padded with zeros
        varint((uint64_t(groups) << 1) | 1);
        uint64_t acc = 0;
        int bits = 0;
        for (uint32_t v : pending) {
            acc |= uint64_t(v) << bits;
            bits += w;
            while (bits >= 8) {
                out += static_cast<char>(acc & 0xFF);
                acc >>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) out += static_cast<char>(acc & 0xFF);
        pending.clear();
    };
    while (i < n) {
        size_t j = i + 1;
        while (j < n && values[j] == values[i]) ++j;
        size_t run = j - i;
        // A run is worth an RLE run once it is long and starts on a group
        // boundary of the packed values before it.
        if (run >= 8 && pending.size() % 8 == 0) {
            flush_packed();
            varint(uint64_t(run) << 1);
            for (size_t b = 0; b < value_bytes; ++b) out += static_cast<char>((values[i] >> (8 * b)) & 0xFF);
            i = j;
        } else {
            pending.push_back(values[i]);
            ++i;
            if (pending.size() == 8 * 63) flush_packed();  // keep each packed run's header to one byte
        }
    }
    flush_packed();
}

std::vector<int64_t> decode_delta_binary_packed(ByteCursor& in, size_t max_values, int value_bits) {
    const uint64_t block_size = in.uleb128();
    const uint64_t miniblocks = in.uleb128();
    const uint64_t total = in.uleb128();
    uint64_t value = static_cast<uint64_t>(in.zigzag_varint());
    if (block_size == 0 || block_size % 128 != 0 || block_size > (1u << 20))
        throw FormatError(fmt::format("DELTA_BINARY_PACKED block size {} is not a multiple of 128", block_size));
    if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0)
        throw FormatError(fmt::format("DELTA_BINARY_PACKED has {} miniblocks in a block of {}", miniblocks, block_size));
    if (total > max_values)
        throw FormatError(fmt::format("DELTA_BINARY_PACKED holds {} values where at most {} fit", total, max_values));
    const uint64_t per_mini = block_size / miniblocks;
    auto narrow = [&](uint64_t v) -> int64_t {
        if (value_bits == 32) return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v)));
        return static_cast<int64_t>(v);
    };
    std::vector<int64_t> out;
    out.reserve(static_cast<size_t>(total));
    if (total == 0) return out;
    out.push_back(narrow(value));
    std::vector<uint8_t> widths(static_cast<size_t>(miniblocks));
    std::vector<uint64_t> deltas(static_cast<size_t>(per_mini));
    while (out.size() < total) {
        const uint64_t min_delta = static_cast<uint64_t>(in.zigzag_varint());
        for (auto& w : widths) w = in.byte();
        for (uint64_t m = 0; m < miniblocks && out.size() < total; ++m) {
            int w = widths[size_t(m)];
            if (w > value_bits) throw FormatError(fmt::format("DELTA_BINARY_PACKED miniblock bit width {} exceeds {}", w, value_bits));
            // A miniblock is always stored whole (padded), even when it holds the last values.
            auto bytes = in.take(static_cast<size_t>(per_mini * uint64_t(w) / 8));
            unpack_bits(bytes, w, static_cast<size_t>(per_mini), deltas.data());
            size_t n = static_cast<size_t>(std::min<uint64_t>(per_mini, total - out.size()));
            for (size_t k = 0; k < n; ++k) {
                value += min_delta + deltas[k];  // wraps, as the format requires
                out.push_back(narrow(value));
            }
        }
    }
    return out;
}

void decode_delta_length_byte_array(ByteCursor& in, size_t count, std::vector<std::string_view>& out) {
    std::vector<int64_t> lengths = decode_delta_binary_packed(in, count, 32);
    if (lengths.size() != count)
        throw FormatError(fmt::format("DELTA_LENGTH_BYTE_ARRAY holds {} lengths for {} values", lengths.size(), count));
    out.clear();
    out.reserve(count);
    for (int64_t len : lengths) {
        if (len < 0) throw FormatError("DELTA_LENGTH_BYTE_ARRAY has a negative length");
        auto b = in.take(static_cast<size_t>(len));
        out.emplace_back(reinterpret_cast<const char*>(b.data()), b.size());
    }
}

void decode_delta_byte_array(ByteCursor& in, size_t count, std::string& arena, std::vector<std::string_view>& out) {
    std::vector<int64_t> prefixes = decode_delta_binary_packed(in, count, 32);
    if (prefixes.size() != count)
        throw FormatError(fmt::format("DELTA_BYTE_ARRAY holds {} prefix lengths for {} values", prefixes.size(), count));
    std::vector<std::string_view> suffixes;
    decode_delta_length_byte_array(in, count, suffixes);
    // Sizes first, so the arena is allocated once and the views stay valid.
    uint64_t total = 0, previous = 0;
    for (size_t i = 0; i < count; ++i) {
        if (prefixes[i] < 0 || uint64_t(prefixes[i]) > previous)
            throw FormatError(fmt::format("DELTA_BYTE_ARRAY prefix of {} bytes is longer than the previous value", prefixes[i]));
        previous = uint64_t(prefixes[i]) + suffixes[i].size();
        total += previous;
        if (total > (uint64_t(1) << 31)) throw FormatError("DELTA_BYTE_ARRAY values exceed 2 GiB");
    }
    arena.assign(static_cast<size_t>(total), '\0');
    out.clear();
    out.reserve(count);
    char* base = arena.data();
    size_t pos = 0, prev = 0;
    for (size_t i = 0; i < count; ++i) {
        size_t prefix = static_cast<size_t>(prefixes[i]);
        if (prefix) std::memcpy(base + pos, base + prev, prefix);  // the shared prefix of the previous value
        if (!suffixes[i].empty()) std::memcpy(base + pos + prefix, suffixes[i].data(), suffixes[i].size());
        size_t len = prefix + suffixes[i].size();
        out.emplace_back(base + pos, len);
        prev = pos;
        pos += len;
    }
}

void decode_byte_stream_split(std::span<const uint8_t> in, size_t width, size_t count, std::string& out) {
    if (width == 0 || in.size() % width != 0 || in.size() / width < count)
        throw FormatError(fmt::format("BYTE_STREAM_SPLIT data of {} bytes does not hold {} values of {} bytes", in.size(), count, width));
    const size_t stream_length = in.size() / width;
    out.resize(count * width);
    for (size_t k = 0; k < width; ++k) {
        const uint8_t* stream = in.data() + k * stream_length;
        for (size_t i = 0; i < count; ++i) out[i * width + k] = static_cast<char>(stream[i]);
    }
}

}  // namespace mpdstat::parquet
