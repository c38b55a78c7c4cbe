#include "common/varint.hpp"

#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace mpdstat {
namespace {

TEST(Varint, ZigzagMapsSmallMagnitudesToSmallCodes) {
    EXPECT_EQ(zigzag_encode(0), 0u);
    EXPECT_EQ(zigzag_encode(-1), 1u);
    EXPECT_EQ(zigzag_encode(1), 2u);
    EXPECT_EQ(zigzag_encode(-2), 3u);
    EXPECT_EQ(zigzag_encode(std::numeric_limits<int64_t>::max()), std::numeric_limits<uint64_t>::max() - 1);
    EXPECT_EQ(zigzag_encode(std::numeric_limits<int64_t>::min()), std::numeric_limits<uint64_t>::max());
    for (int64_t v : {int64_t(0), int64_t(-1), int64_t(63), int64_t(-64), std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max()})
        EXPECT_EQ(zigzag_decode(zigzag_encode(v)), v);
}

TEST(Varint, SevenBitGroupsLeastSignificantFirst) {
    std::string out;
    append_varint(out, 0);
    append_varint(out, 127);
    append_varint(out, 300);  // 300 = 0b10'0101100: 0xAC (low 7 bits + continuation), 0x02
    EXPECT_EQ(out, std::string("\x00\x7f\xac\x02", 4));

    std::string max;
    append_varint(max, std::numeric_limits<uint64_t>::max());
    ASSERT_EQ(max.size(), 10u) << "64 bits need ten 7-bit groups";
    EXPECT_EQ(static_cast<uint8_t>(max.back()), 0x01);

    const auto* bytes = reinterpret_cast<const uint8_t*>(out.data());
    size_t pos = 0;
    uint64_t v = 0;
    ASSERT_EQ(read_varint(bytes, out.size(), pos, v), VarintStatus::ok);
    EXPECT_EQ(v, 0u);
    ASSERT_EQ(read_varint(bytes, out.size(), pos, v), VarintStatus::ok);
    EXPECT_EQ(v, 127u);
    ASSERT_EQ(read_varint(bytes, out.size(), pos, v), VarintStatus::ok);
    EXPECT_EQ(v, 300u);
    EXPECT_EQ(pos, 4u);

    pos = 0;
    ASSERT_EQ(read_varint(reinterpret_cast<const uint8_t*>(max.data()), max.size(), pos, v), VarintStatus::ok);
    EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
}

TEST(Varint, CutOffAndOverlongInputAreRefused) {
    const uint8_t cut[] = {0xac};  // continuation bit set, nothing follows
    size_t pos = 0;
    uint64_t v = 0;
    EXPECT_EQ(read_varint(cut, sizeof cut, pos, v), VarintStatus::truncated);

    uint8_t overlong[11];
    for (auto& b : overlong) b = 0x80;
    overlong[10] = 0x00;  // ends only at the 11th byte
    pos = 0;
    EXPECT_EQ(read_varint(overlong, sizeof overlong, pos, v), VarintStatus::too_long);
}

}  // namespace
}  // namespace mpdstat
