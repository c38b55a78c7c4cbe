// The value encodings against byte sequences built by hand from
// apache/parquet-format Encodings.md (the bit layouts are worked out in the
// comments).
#include "parquet/encoding.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <cstring>

#include "parquet/format_error.hpp"

namespace mpdstat::parquet {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> b) {
    std::vector<uint8_t> v;
    for (int x : b) v.push_back(static_cast<uint8_t>(x));
    return v;
}

std::vector<uint32_t> rle(const std::vector<uint8_t>& data, int width, size_t n) {
    std::vector<uint32_t> out(n);
    RleBitPackedDecoder(data, width).decode(out.data(), n);
    return out;
}

TEST(RleBitPacked, BitPackedRunOfTheSpecExample) {
    // Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010; header (1 group << 1) | 1.
    EXPECT_EQ(rle(bytes({0x03, 0x88, 0xC6, 0xFA}), 3, 8), (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleBitPacked, RleRunsThenBitPackedRun) {
    // RLE: header 5 << 1 = 0x0A, value 4 in one byte; then a bit-packed group of 1,0,1,1,0,0,0,1 at width 3:
    // bits 0,6,9,21 set → 0x41 0x02 0x20.
    auto data = bytes({0x0A, 0x04, 0x03, 0x41, 0x02, 0x20});
    EXPECT_EQ(rle(data, 3, 13), (std::vector<uint32_t>{4, 4, 4, 4, 4, 1, 0, 1, 1, 0, 0, 0, 1}));
    // Decoding in several calls gives the same values, even when a call splits a run.
    RleBitPackedDecoder d(data, 3);
    std::vector<uint32_t> out(13);
    d.decode(out.data(), 3);
    d.decode(out.data() + 3, 4);
    d.decode(out.data() + 7, 6);
    EXPECT_EQ(out, (std::vector<uint32_t>{4, 4, 4, 4, 4, 1, 0, 1, 1, 0, 0, 0, 1}));
}

TEST(RleBitPacked, WideRleValueTakesTwoBytesLittleEndian) {
    EXPECT_EQ(rle(bytes({0x06, 0x01, 0x02}), 10, 3), (std::vector<uint32_t>{513, 513, 513}));
}

TEST(RleBitPacked, EndsEarlyOrOverwideAreErrors) {
    EXPECT_THROW(rle(bytes({0x0A, 0x04}), 3, 6), FormatError);         // 5 values, 6 asked
    EXPECT_THROW(rle(bytes({0x03, 0x88}), 3, 8), FormatError);         // a group of 3 bytes cut to 1
    EXPECT_THROW(rle(bytes({0x0A, 0x09}), 3, 5), FormatError);         // 9 does not fit in 3 bits
    EXPECT_THROW(rle(bytes({0x0A, 0x01}), 33, 1), FormatError);        // bit width above 32
    EXPECT_THROW(rle(bytes({0x00}), 1, 1), FormatError);               // an empty run
}

TEST(RleBitPacked, EncoderWritesRleForRepeatsAndPacksTheRest) {
    // 10 × 1 → RLE (0x14, 0x01); then 0,1,1 → one padded bit-packed group (0x03, 0b110 = 0x06).
    std::string out;
    std::vector<uint32_t> v{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1};
    encode_rle_bit_packed(v, 1, out);
    EXPECT_EQ(out, std::string("\x14\x01\x03\x06", 4));
    std::vector<uint8_t> b(out.begin(), out.end());
    EXPECT_EQ(rle(b, 1, v.size()), v);
}

TEST(DeltaBinaryPacked, NegativeDeltasOverTwoMiniblocks) {
    // 41 values: 10, then 32 deltas of -1 (miniblock 1), then +2,-3 four times (miniblock 2).
    // Block min delta -3 (zigzag 5); relative deltas 2 (width 2: 0xAA per 4 values) and 5,0 (width 3).
    // Width 3 of 5,0,5,0,5,0,5,0: bits 0,2,6,8,12,14,18,20 → 0x45 0x51 0x14, then padding to 12 bytes.
    // Miniblocks 3 and 4 are unused: their widths are present, their data is not.
    auto data = bytes({0x80, 0x01, 0x04, 0x29, 0x14,           // block 128, 4 miniblocks, 41 values, first 10
                       0x05, 0x02, 0x03, 0x00, 0x00,           // min delta -3, widths
                       0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
                       0x45, 0x51, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                       0xEE});                                 // not part of the values
    ByteCursor in(data);
    std::vector<int64_t> got = decode_delta_binary_packed(in, 1000, 64);
    std::vector<int64_t> want{10};
    for (int i = 0; i < 32; ++i) want.push_back(want.back() - 1);
    for (int i = 0; i < 4; ++i) {
        want.push_back(want.back() + 2);
        want.push_back(want.back() - 3);
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(want.back(), -26);
    EXPECT_EQ(in.position(), data.size() - 1);  // stops after the last miniblock used
}

TEST(DeltaBinaryPacked, Int32ArithmeticWraps) {
    // INT32_MAX then +1: zigzag(2147483647) = 4294967294 = FE FF FF FF 0F; min delta 1 (zigzag 2), widths 0.
    auto data = bytes({0x80, 0x01, 0x04, 0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x02, 0, 0, 0, 0});
    ByteCursor in(data);
    EXPECT_EQ(decode_delta_binary_packed(in, 10, 32), (std::vector<int64_t>{INT32_MAX, INT32_MIN}));
}

TEST(DeltaBinaryPacked, MalformedHeadersAreErrors) {
    auto bad_block = bytes({0x40, 0x04, 0x02, 0x00});  // block of 64 values
    ByteCursor a(bad_block);
    EXPECT_THROW(decode_delta_binary_packed(a, 10, 64), FormatError);
    auto too_many = bytes({0x80, 0x01, 0x04, 0x7F, 0x00});  // 127 values where 10 fit
    ByteCursor b(too_many);
    EXPECT_THROW(decode_delta_binary_packed(b, 10, 64), FormatError);
    auto wide = bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x21, 0, 0, 0});  // width 33 for INT32
    ByteCursor c(wide);
    EXPECT_THROW(decode_delta_binary_packed(c, 10, 32), FormatError);
    auto cut = bytes({0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 0x08, 0, 0, 0, 1, 2});  // miniblock of 32 bytes cut to 2
    ByteCursor d(cut);
    EXPECT_THROW(decode_delta_binary_packed(d, 10, 64), FormatError);
}

TEST(DeltaLengthByteArray, LengthsThenConcatenatedBytes) {
    // Lengths 5,5,6,6: first 5 (zigzag 10), deltas 0,1,0, min 0, width 1 → bit 1 set: 0x02.
    auto data = bytes({0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01, 0, 0, 0, 0x02, 0, 0, 0});
    for (char c : std::string("HelloWorldFoobarABCDEF")) data.push_back(static_cast<uint8_t>(c));
    ByteCursor in(data);
    std::vector<std::string_view> out;
    decode_delta_length_byte_array(in, 4, out);
    EXPECT_EQ(out, (std::vector<std::string_view>{"Hello", "World", "Foobar", "ABCDEF"}));
    EXPECT_EQ(in.remaining(), 0u);
    ByteCursor short_in(std::span<const uint8_t>(data.data(), data.size() - 1));
    EXPECT_THROW(decode_delta_length_byte_array(short_in, 4, out), FormatError);
}

TEST(DeltaByteArray, PrefixesAndSuffixes) {
    // axis, axle, babble, babyhood: prefixes 0,2,0,3; suffixes axis, le, babble, yhood.
    // Prefixes: first 0, deltas 2,-2,3, min -2 (zigzag 3), relative 4,0,5 at width 3 → 0x44 0x01.
    // Suffix lengths 4,2,6,5: first 4 (zigzag 8), deltas -2,4,-1, min -2, relative 0,6,1 → 0x70.
    auto data = bytes({0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0, 0, 0, 0x44, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                       0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0, 0, 0, 0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    for (char c : std::string("axislebabbleyhood")) data.push_back(static_cast<uint8_t>(c));
    ByteCursor in(data);
    std::string arena;
    std::vector<std::string_view> out;
    decode_delta_byte_array(in, 4, arena, out);
    EXPECT_EQ(out, (std::vector<std::string_view>{"axis", "axle", "babble", "babyhood"}));
}

TEST(DeltaByteArray, PrefixLongerThanThePreviousValueIsAnError) {
    // prefixes 0,5 but the first value has 1 byte: first 0, delta 5, width 0.
    auto data = bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x0A, 0, 0, 0, 0,
                       0x80, 0x01, 0x04, 0x02, 0x02, 0x00, 0, 0, 0, 0, 'a', 'b'});
    ByteCursor in(data);
    std::string arena;
    std::vector<std::string_view> out;
    EXPECT_THROW(decode_delta_byte_array(in, 2, arena, out), FormatError);
}

TEST(ByteStreamSplit, StreamsJoinBackIntoValues) {
    // 1.5f = 00 00 C0 3F, 2.0f = 00 00 00 40 (little endian), byte k of each value in stream k.
    auto data = bytes({0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x3F, 0x40});
    std::string out;
    decode_byte_stream_split(data, 4, 2, out);
    float f[2];
    std::memcpy(f, out.data(), 8);
    EXPECT_EQ(f[0], 1.5f);
    EXPECT_EQ(f[1], 2.0f);
    EXPECT_THROW(decode_byte_stream_split(std::span<const uint8_t>(data.data(), 7), 4, 2, out), FormatError);
}

TEST(UnpackBits, EveryWidthUpTo64RoundTrips) {
    for (int w = 1; w <= 64; ++w) {
        std::vector<uint64_t> values(37);
        const uint64_t mask = w == 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
        for (size_t i = 0; i < values.size(); ++i) values[i] = (0x9E3779B97F4A7C15ULL * (i + 1)) & mask;
        std::vector<uint8_t> packed((values.size() * size_t(w) + 7) / 8, 0);
        for (size_t i = 0; i < values.size(); ++i)
            for (int b = 0; b < w; ++b)
                if ((values[i] >> b) & 1) {
                    size_t bit = i * size_t(w) + size_t(b);
                    packed[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
                }
        std::vector<uint64_t> got(values.size());
        unpack_bits(packed, w, values.size(), got.data());
        EXPECT_EQ(got, values) << "width " << w;
    }
}

}  // namespace
}  // namespace mpdstat::parquet
