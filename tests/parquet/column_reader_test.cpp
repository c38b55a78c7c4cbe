// Column chunks built by hand: PLAIN of each physical type, a dictionary page
// with optional values, and INT96 timestamps. Page headers come from the
// writer's encoder (checked in thrift_compact_test.cpp); page bodies are bytes.
#include "parquet/column_reader.hpp"

#include <gtest/gtest.h>

#include "parquet/format_error.hpp"
#include "parquet/value_text.hpp"

namespace mpdstat::parquet {
namespace {

std::string raw(std::initializer_list<int> b) {
    std::string s;
    for (int x : b) s += static_cast<char>(x);
    return s;
}

std::string data_page(int32_t values, Encoding enc, const std::string& body) {
    PageHeader h;
    h.type = PageType::data;
    h.uncompressed_page_size = h.compressed_page_size = static_cast<int32_t>(body.size());
    h.data = DataPageHeader{values, enc, Encoding::rle, Encoding::rle, std::nullopt};
    std::string page = encode_page_header(h);
    page.append(body);
    return page;
}

ColumnData decode(const Column& c, const std::string& chunk, int64_t rows) {
    ColumnMetaData m;
    m.type = c.physical;
    m.codec = Codec::uncompressed;
    return decode_column_chunk(c, m, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()), rows);
}

Column required(PhysicalType p, int32_t length = 0) {
    Column c;
    c.name = std::string("c");
    c.physical = p;
    c.type_length = length;
    return c;
}

TEST(PlainValues, EveryPhysicalType) {
    auto i32 = decode(required(PhysicalType::int32), data_page(2, Encoding::plain, raw({1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF})), 2);
    EXPECT_EQ(i32.ints, (std::vector<int64_t>{1, -2}));
    auto i64 = decode(required(PhysicalType::int64), data_page(1, Encoding::plain, raw({0, 0, 0, 0, 1, 0, 0, 0x80})), 1);
    EXPECT_EQ(i64.ints, (std::vector<int64_t>{INT64_MIN + (int64_t(1) << 32)}));
    auto f = decode(required(PhysicalType::float32), data_page(1, Encoding::plain, raw({0, 0, 0xC0, 0x3F})), 1);
    EXPECT_EQ(f.doubles, (std::vector<double>{1.5}));
    auto d = decode(required(PhysicalType::float64), data_page(1, Encoding::plain, raw({0, 0, 0, 0, 0, 0, 4, 0x40})), 1);
    EXPECT_EQ(d.doubles, (std::vector<double>{2.5}));
    auto b = decode(required(PhysicalType::boolean), data_page(3, Encoding::plain, raw({0x05})), 3);  // 1,0,1 LSB first
    EXPECT_EQ(b.ints, (std::vector<int64_t>{1, 0, 1}));
    auto s = decode(required(PhysicalType::byte_array), data_page(2, Encoding::plain, raw({2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0})), 2);
    EXPECT_EQ(s.bytes, (std::vector<std::string_view>{"hi", ""}));
    auto fl = decode(required(PhysicalType::fixed_len_byte_array, 3), data_page(2, Encoding::plain, "abcxyz"), 2);
    EXPECT_EQ(fl.bytes, (std::vector<std::string_view>{"abc", "xyz"}));
    // INT96: nanoseconds of the day (8 bytes), then the Julian day 2440589 = 1970-01-02 (0x253D8D).
    auto ts = decode(required(PhysicalType::int96), data_page(1, Encoding::plain, raw({0x40, 0x42, 0x0F, 0, 0, 0, 0, 0, 0x8D, 0x3D, 0x25, 0})), 1);
    EXPECT_EQ(ts.ints, (std::vector<int64_t>{86400LL * 1000000000LL + 1000000}));
}

TEST(PlainValues, ShortPagesAreErrors) {
    EXPECT_THROW(decode(required(PhysicalType::int32), data_page(2, Encoding::plain, raw({1, 0, 0, 0, 2})), 2), FormatError);
    EXPECT_THROW(decode(required(PhysicalType::byte_array), data_page(1, Encoding::plain, raw({9, 0, 0, 0, 'x'})), 1), FormatError);
    // A chunk that ends before the row group's rows.
    EXPECT_THROW(decode(required(PhysicalType::int32), data_page(1, Encoding::plain, raw({1, 0, 0, 0})), 2), FormatError);
    // More values in a page than rows in the row group.
    EXPECT_THROW(decode(required(PhysicalType::int32), data_page(2, Encoding::plain, raw({1, 0, 0, 0, 2, 0, 0, 0})), 1), FormatError);
}

TEST(DictionaryValues, OptionalStringsThroughADictionary) {
    // Rows: "b", null, "a", "b", "b". Dictionary (PLAIN): "b", "a".
    PageHeader dh;
    dh.type = PageType::dictionary;
    std::string dict = raw({1, 0, 0, 0, 'b', 1, 0, 0, 0, 'a'});
    dh.uncompressed_page_size = dh.compressed_page_size = static_cast<int32_t>(dict.size());
    dh.dictionary = DictionaryPageHeader{2, Encoding::plain};
    // Definition levels 1,0,1,1,1: 4-byte length 2, bit-packed group header 0x03, bits 0b11101 = 0x1D.
    // Indices 0,1,0,0 at width 1: width byte 1, group header 0x03, bits 0b0010 = 0x02.
    std::string body = raw({2, 0, 0, 0, 0x03, 0x1D, 0x01, 0x03, 0x02});
    Column c = required(PhysicalType::byte_array);
    c.optional = true;
    c.kind = ValueKind::string;
    auto chunk = [&](const std::string& data_body) {
        std::string bytes = encode_page_header(dh);
        bytes.append(dict);
        bytes.append(data_page(5, Encoding::rle_dictionary, data_body));
        return bytes;
    };
    auto d = decode(c, chunk(body), 5);
    EXPECT_EQ(d.valid, (std::vector<uint8_t>{1, 0, 1, 1, 1}));
    EXPECT_EQ(d.bytes, (std::vector<std::string_view>{"b", "", "a", "b", "b"}));
    // An index beyond the dictionary is an error, not a read out of bounds.
    std::string bad = raw({2, 0, 0, 0, 0x03, 0x1D, 0x02, 0x03, 0x03});  // width 2: indices 3,0,0,0
    EXPECT_THROW(decode(c, chunk(bad), 5), FormatError);
    // A dictionary-encoded page without a dictionary page.
    EXPECT_THROW(decode(c, data_page(5, Encoding::rle_dictionary, body), 5), FormatError);
}

TEST(ColumnChunk, UnsupportedEncodingIsNamed) {
    try {
        decode(required(PhysicalType::float64), data_page(1, Encoding::delta_binary_packed, raw({0})), 1);
        FAIL();
    } catch (const FormatError& e) {
        EXPECT_STREQ(e.what(), "encoding DELTA_BINARY_PACKED of DOUBLE column 'c' is not supported");
    }
}

TEST(ValueText, KindsAsCsvText) {
    ColumnData d;
    d.rows = 1;
    d.valid = {1};
    d.ints = {-5};
    Column c = required(PhysicalType::int32);
    auto text = [&](const Column& col) {
        std::string s;
        append_value_text(col, d, 0, s);
        return s;
    };
    c.kind = ValueKind::decimal;
    c.scale = 2;
    EXPECT_EQ(text(c), "-0.05");
    c.kind = ValueKind::unsigned_integer;
    EXPECT_EQ(text(c), "4294967291");
    c.kind = ValueKind::date;
    d.ints = {19723};
    EXPECT_EQ(text(c), "2024-01-01");
    c.kind = ValueKind::timestamp;
    c.unit = TimeUnit::micros;
    c.adjusted_to_utc = true;
    d.ints = {int64_t(19723) * 86400000000LL + 3723500000LL};
    EXPECT_EQ(text(c), "2024-01-01T01:02:03.5Z");
    d.ints = {-1};
    EXPECT_EQ(text(c), "1969-12-31T23:59:59.999999Z");
    c.kind = ValueKind::float32;
    d.doubles = {static_cast<double>(14.693f)};
    EXPECT_EQ(text(c), "14.693");
    Column b = required(PhysicalType::byte_array);
    b.kind = ValueKind::binary;
    d.bytes = {std::string_view("\x01\xAB", 2)};
    EXPECT_EQ(text(b), "01ab");
    Column mnc = required(PhysicalType::int64);
    d.ints = {1};
    EXPECT_EQ(TextColumn(mnc, d, 2)[0], "01");
    EXPECT_EQ(TextColumn(mnc, d)[0], "1");
}

}  // namespace
}  // namespace mpdstat::parquet
