#include "common/packed_id_map.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mpdstat {
namespace {

TEST(PackDecimalId, KeepsLengthSoLeadingZerosStayDistinct) {
    ASSERT_TRUE(pack_decimal_id("123"));
    ASSERT_TRUE(pack_decimal_id("0123"));
    EXPECT_NE(*pack_decimal_id("123"), *pack_decimal_id("0123"));
    EXPECT_NE(*pack_decimal_id("0"), *pack_decimal_id("00"));
    EXPECT_EQ(*pack_decimal_id("221700058751"), (uint64_t(12) << 60) | 221700058751ULL);
    EXPECT_EQ(*pack_decimal_id("999999999999999999"), (uint64_t(18) << 60) | 999999999999999999ULL);
}

TEST(PackDecimalId, RefusesWhatDoesNotPack) {
    EXPECT_FALSE(pack_decimal_id(""));
    EXPECT_FALSE(pack_decimal_id("1234567890123456789"));  // 19 digits
    EXPECT_FALSE(pack_decimal_id("12a4"));
    EXPECT_FALSE(pack_decimal_id(" 123"));
    EXPECT_FALSE(pack_decimal_id("-12"));
    EXPECT_FALSE(pack_decimal_id("1.0"));
}

TEST(PackedIdMap, FindsWhatWasInsertedAcrossRehashes) {
    PackedIdMap<uint64_t> m(1 << 20);
    for (uint64_t i = 0; i < 100000; ++i) m.insert(*pack_decimal_id(std::to_string(i * 7)), i);
    EXPECT_EQ(m.size(), 100000u);
    for (uint64_t i = 0; i < 100000; ++i) {
        const uint64_t* v = m.find(*pack_decimal_id(std::to_string(i * 7)));
        ASSERT_NE(v, nullptr) << i;
        EXPECT_EQ(*v, i);
    }
    EXPECT_EQ(m.find(*pack_decimal_id("8")), nullptr);
    EXPECT_EQ(m.find(*pack_decimal_id("07")), nullptr);  // "7" is in, "07" is not
    m.insert(*pack_decimal_id("7"), 42);                  // overwrite
    EXPECT_EQ(*m.find(*pack_decimal_id("7")), 42u);
    EXPECT_EQ(m.size(), 100000u);
}

TEST(PackedIdMap, EmptiesItselfWhenFull) {
    PackedIdMap<uint32_t> m(3);
    m.insert(*pack_decimal_id("1"), 1);
    m.insert(*pack_decimal_id("2"), 2);
    m.insert(*pack_decimal_id("3"), 3);
    m.insert(*pack_decimal_id("4"), 4);  // a cache: the fourth entry starts afresh
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(m.find(*pack_decimal_id("1")), nullptr);
    EXPECT_EQ(*m.find(*pack_decimal_id("4")), 4u);
}

TEST(HugePageTable, LargeTablesAreZeroedAndCopyable) {
    HugePageTable<uint64_t> t((size_t(3) << 20) / 8 + 5);  // over 2 MiB: the mmap path
    for (uint64_t v : t) ASSERT_EQ(v, 0u);
    t[0] = 1;
    t[t.size() - 1] = 2;
    HugePageTable<uint64_t> copy(t);
    EXPECT_EQ(copy[0], 1u);
    EXPECT_EQ(copy[copy.size() - 1], 2u);
    HugePageTable<uint64_t> small(3);  // the calloc path
    EXPECT_EQ(small[2], 0u);
}

}  // namespace
}  // namespace mpdstat
