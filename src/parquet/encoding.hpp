#pragma once
// Parquet's value encodings (apache/parquet-format Encodings.md) on plain byte
// spans: the RLE / bit-packed hybrid (levels, dictionary indices, booleans),
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT decoders, and the RLE / bit-packed encoder the writer
// uses. Every read is bounds-checked: malformed input throws FormatError.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mpdstat::parquet {

// A read position in a byte span.
class ByteCursor {
public:
    explicit ByteCursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    uint8_t byte();
    uint32_t u32_le();
    uint64_t uleb128();           // unsigned LEB128, at most 10 bytes
    int64_t zigzag_varint();      // zigzag-coded LEB128
    std::span<const uint8_t> take(size_t n);  // the next n bytes
    std::span<const uint8_t> rest() const noexcept { return bytes_.subspan(pos_); }
    size_t position() const noexcept { return pos_; }
    size_t remaining() const noexcept { return bytes_.size() - pos_; }

private:
    std::span<const uint8_t> bytes_;
    size_t pos_ = 0;
};

// Bits needed for values up to max_value (0 for 0).
int bit_width_of(uint64_t max_value);

// Unpacks `count` values of `bit_width` (0..64) bits, packed least significant
// bit first, from `in`, which must hold at least ceil(count * bit_width / 8) bytes.
void unpack_bits(std::span<const uint8_t> in, int bit_width, size_t count, uint64_t* out);

// The RLE / bit-packed hybrid for values of bit_width 0..32, without the
// optional 4-byte length prefix (the caller strips it).
class RleBitPackedDecoder {
public:
    RleBitPackedDecoder(std::span<const uint8_t> data, int bit_width);
    // Decodes exactly `count` values; throws when the runs end first.
    void decode(uint32_t* out, size_t count);

private:
    bool next_run();
    ByteCursor in_;
    int bit_width_;
    uint32_t rle_value_ = 0;
    uint64_t rle_left_ = 0;          // values left in the current RLE run
    std::span<const uint8_t> packed_;  // the current bit-packed run
    uint64_t packed_left_ = 0, packed_done_ = 0;
    std::vector<uint64_t> scratch_;
};

// Appends the RLE / bit-packed hybrid encoding of `values` (each < 2^bit_width):
// runs of 8 or more equal values as RLE runs, the rest bit-packed.
void encode_rle_bit_packed(std::span<const uint32_t> values, int bit_width, std::string& out);

// DELTA_BINARY_PACKED: decodes the header's total count of values (at most
// `max_values`, else a FormatError) and leaves `in` after the last byte used.
// Arithmetic wraps as the format requires; for INT32 columns pass
// value_bits = 32 and the results are sign-extended 32-bit values.
std::vector<int64_t> decode_delta_binary_packed(ByteCursor& in, size_t max_values, int value_bits);

// DELTA_LENGTH_BYTE_ARRAY: `count` values as views into `in`'s bytes.
void decode_delta_length_byte_array(ByteCursor& in, size_t count, std::vector<std::string_view>& out);

// DELTA_BYTE_ARRAY (front coding): `count` values rebuilt into `arena`
// (replaced; views stay valid while it is not modified).
void decode_delta_byte_array(ByteCursor& in, size_t count, std::string& arena, std::vector<std::string_view>& out);

// BYTE_STREAM_SPLIT: `count` values of `width` bytes, byte k of every value in
// stream k, joined back into `out` (count * width bytes).
void decode_byte_stream_split(std::span<const uint8_t> in, size_t width, size_t count, std::string& out);

}  // namespace mpdstat::parquet
