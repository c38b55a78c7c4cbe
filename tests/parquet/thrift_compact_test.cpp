// The Thrift compact protocol against hand-built bytes (thrift's
// doc/specs/thrift-compact-protocol.md): field headers with id deltas and long
// form ids, zigzag varints, binary, lists short and long, nested structs,
// skipping unknown fields, and every bound.
#include "parquet/thrift_compact.hpp"

#include <gtest/gtest.h>

#include "parquet/format_error.hpp"

namespace mpdstat::parquet::thrift {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> b) {
    std::vector<uint8_t> v;
    for (int x : b) v.push_back(static_cast<uint8_t>(x));
    return v;
}

TEST(ThriftCompact, FieldIdDeltasAndLongFormIds) {
    // struct { 1: i32 = -3, 3: i64 = 300, 20: binary "ab", (id 19 via long form) bool true } stop
    auto b = bytes({0x15, 0x05,              // delta 1, i32, zigzag(-3) = 5
                    0x26, 0xD8, 0x04,        // delta 2, i64, zigzag(300) = 600 = 0xD8 0x04
                    0x08, 0x28, 0x02, 'a', 'b',  // long form: type binary, zigzag i16 id 20 = 40 = 0x28
                    0x01, 0x26,              // long form: bool true, id 19 (zigzag 38 = 0x26)
                    0x00});
    CompactReader r(b);
    r.begin_struct();
    int16_t id;
    uint8_t t;
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 1);
    EXPECT_EQ(t, kI32);
    EXPECT_EQ(r.read_i32(), -3);
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 3);
    EXPECT_EQ(r.read_i64(), 300);
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 20);
    EXPECT_EQ(t, kBinary);
    EXPECT_EQ(r.read_binary(), "ab");
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 19);
    EXPECT_TRUE(r.read_bool(t));
    EXPECT_FALSE(r.next_field(id, t));
    r.end_struct();
    EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompact, NestedStructsKeepTheirOwnLastFieldId) {
    // struct { 2: struct { 1: i32 = 1 }, 3: i32 = 2 } — after the inner struct the delta counts from 2 again.
    auto b = bytes({0x2C, 0x15, 0x02, 0x00, 0x15, 0x04, 0x00});
    CompactReader r(b);
    r.begin_struct();
    int16_t id;
    uint8_t t;
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 2);
    EXPECT_EQ(t, kStruct);
    r.begin_struct();
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 1);
    EXPECT_EQ(r.read_i32(), 1);  // zigzag 2
    EXPECT_FALSE(r.next_field(id, t));
    r.end_struct();
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 3);
    EXPECT_EQ(r.read_i32(), 2);
    EXPECT_FALSE(r.next_field(id, t));
}

TEST(ThriftCompact, ShortAndLongLists) {
    // list<i32> of 3: header 0x35; list<binary> of 16: header 0xF8 then varint 16.
    std::vector<int> raw = {0x35, 0x02, 0x04, 0x06, 0xF8, 0x10};
    for (int i = 0; i < 16; ++i) {
        raw.push_back(0x01);
        raw.push_back('a' + i);
    }
    std::vector<uint8_t> b(raw.begin(), raw.end());
    CompactReader r(b);
    ListHeader h = r.read_list_header();
    EXPECT_EQ(h.size, 3u);
    EXPECT_EQ(h.element_type, kI32);
    EXPECT_EQ(r.read_i32(), 1);
    EXPECT_EQ(r.read_i32(), 2);
    EXPECT_EQ(r.read_i32(), 3);
    h = r.read_list_header();
    EXPECT_EQ(h.size, 16u);
    EXPECT_EQ(h.element_type, kBinary);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(r.read_binary(), std::string(1, char('a' + i)));
}

TEST(ThriftCompact, SkipsUnknownFieldsOfEveryType) {
    // struct { 1: double, 2: list<struct{1: i16}>, 3: map<i32,binary>{1:"x"}, 4: byte, 5: bool false, 6: i32 = 7 }
    auto b = bytes({0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,
                    0x19, 0x1C, 0x14, 0x04, 0x00,
                    0x1B, 0x01, 0x58, 0x02, 0x01, 'x',
                    0x13, 0x7F,
                    0x12,
                    0x15, 0x0E, 0x00});
    CompactReader r(b);
    r.begin_struct();
    int16_t id;
    uint8_t t;
    for (int expected = 1; expected <= 5; ++expected) {
        ASSERT_TRUE(r.next_field(id, t));
        EXPECT_EQ(id, expected);
        r.skip(t);
    }
    ASSERT_TRUE(r.next_field(id, t));
    EXPECT_EQ(id, 6);
    EXPECT_EQ(r.read_i32(), 7);
    EXPECT_FALSE(r.next_field(id, t));
}

TEST(ThriftCompact, BoundsAreCheckedNotTrusted) {
    auto short_string = bytes({0x0A, 'a', 'b'});  // says 5 bytes, has 2
    CompactReader a(short_string);
    EXPECT_THROW(a.read_binary(), FormatError);
    auto huge_list = bytes({0xF5, 0xFF, 0xFF, 0xFF, 0x0F});  // 2^32-1 i32s in 0 bytes
    CompactReader b(huge_list);
    EXPECT_THROW(b.read_list_header(), FormatError);
    auto long_varint = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01});
    CompactReader c(long_varint);
    EXPECT_THROW(c.read_varint(), FormatError);
    auto wide_i32 = bytes({0x80, 0x80, 0x80, 0x80, 0x20});  // zigzag value 2^33
    CompactReader d(wide_i32);
    EXPECT_THROW(d.read_i32(), FormatError);
    auto bad_type = bytes({0x1D});  // type 13 does not exist
    CompactReader e(bad_type);
    int16_t id;
    uint8_t t;
    e.begin_struct();
    EXPECT_THROW(e.next_field(id, t), FormatError);
    // Structs nested deeper than the limit: each byte 0x1C opens field 1 of type struct.
    std::vector<uint8_t> deep(100, 0x1C);
    CompactReader f(deep);
    f.begin_struct();
    ASSERT_TRUE(f.next_field(id, t));
    EXPECT_THROW(f.skip(t), FormatError);
}

TEST(ThriftCompact, WriterProducesTheSameBytesTheReaderReads) {
    CompactWriter w;
    w.begin_struct();
    w.field(1, kI32);
    w.write_i32(-3);
    w.field(3, kI64);
    w.write_i64(300);
    w.field(20, kBinary);  // delta 17: long form
    w.write_binary("ab");
    w.field(21, kList);
    w.list_header(kI32, 2);
    w.write_i32(1);
    w.write_i32(-1);
    w.end_struct();
    const std::string& s = w.bytes();
    std::vector<uint8_t> got(s.begin(), s.end());
    EXPECT_EQ(got, bytes({0x15, 0x05, 0x26, 0xD8, 0x04, 0x08, 0x28, 0x02, 'a', 'b', 0x19, 0x25, 0x02, 0x01, 0x00}));
}

}  // namespace
}  // namespace mpdstat::parquet::thrift
