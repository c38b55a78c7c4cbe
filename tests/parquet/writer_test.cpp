// The writer's files read back value for value, with dictionary-encoded
// strings, nulls, several row groups and pages, and footer statistics.
#include "parquet/writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "parquet/file_reader.hpp"
#include "test_util.hpp"

namespace mpdstat::parquet {
namespace {

std::vector<WriteColumn> sample(size_t rows) {
    WriteColumn zone{"zone_id", WriteColumn::Type::string, false, {}, {}, {}, {}};
    WriteColumn value{"devices", WriteColumn::Type::float64, true, {}, {}, {}, {}};
    WriteColumn support{"support", WriteColumn::Type::int64, true, {}, {}, {}, {}};
    for (size_t i = 0; i < rows; ++i) {
        zone.strings.push_back(fmt::format("Z{}", i % 5));
        bool suppressed = i % 4 == 3;
        value.doubles.push_back(suppressed ? 0.0 : double(i) / 4 - 3);
        value.present.push_back(!suppressed);
        support.ints.push_back(suppressed ? 0 : int64_t(i) * 1000 - 7);
        support.present.push_back(!suppressed);
    }
    return {zone, value, support};
}

double as_double(const std::string& le) {
    double v;
    EXPECT_EQ(le.size(), 8u);
    std::memcpy(&v, le.data(), 8);
    return v;
}
int64_t as_int(const std::string& le) {
    int64_t v;
    EXPECT_EQ(le.size(), 8u);
    std::memcpy(&v, le.data(), 8);
    return v;
}

TEST(ParquetWriter, ReadsBackWithNullsOverRowGroupsAndPages) {
    WriteOptions o;
    o.row_group_rows = 40;
    o.page_rows = 16;
    auto cols = sample(100);
    FileReader r = FileReader::from_bytes(encode_table(cols, o), "written");
    ASSERT_EQ(r.row_groups(), 3u);
    EXPECT_EQ(r.total_rows(), 100);
    EXPECT_EQ(r.find("zone_id")->kind, ValueKind::string);
    EXPECT_FALSE(r.find("zone_id")->optional);
    EXPECT_TRUE(r.find("devices")->optional);
    EXPECT_EQ(r.find("support")->kind, ValueKind::integer);
    std::vector<size_t> all{0, 1, 2};
    size_t row = 0;
    for (size_t g = 0; g < r.row_groups(); ++g) {
        auto data = r.read_columns(g, all);
        for (size_t i = 0; i < size_t(r.rows(g)); ++i, ++row) {
            EXPECT_EQ(data[0].bytes[i], cols[0].strings[row]);
            EXPECT_EQ(data[1].is_null(i), !cols[1].present[row]);
            EXPECT_EQ(data[2].is_null(i), !cols[2].present[row]);
            if (cols[1].present[row]) {
                EXPECT_EQ(data[1].doubles[i], cols[1].doubles[row]);
                EXPECT_EQ(data[2].ints[i], cols[2].ints[row]);
            }
        }
    }
    EXPECT_EQ(row, 100u);
}

TEST(ParquetWriter, FooterHoldsStatisticsEncodingsAndTypes) {
    FileReader r = FileReader::from_bytes(encode_table(sample(8)), "written");
    const FileMetaData& m = r.metadata();
    EXPECT_TRUE(m.type_defined_column_orders);
    EXPECT_EQ(m.schema[1].logical.kind, LogicalType::Kind::string);
    const ColumnMetaData& zone = *m.row_groups[0].columns[0].meta;
    EXPECT_EQ(zone.codec, Codec::zstd);
    EXPECT_TRUE(zone.dictionary_page_offset.has_value());  // Z0..Z4 repeat: dictionary-encoded
    EXPECT_NE(std::find(zone.encodings.begin(), zone.encodings.end(), Encoding::rle_dictionary), zone.encodings.end());
    EXPECT_EQ(zone.statistics->min_value, "Z0");
    EXPECT_EQ(zone.statistics->max_value, "Z4");
    EXPECT_EQ(zone.statistics->null_count, 0);
    // Rows 0..7: devices i/4 - 3 except rows 3 and 7 (null); support i*1000 - 7.
    const ColumnMetaData& devices = *m.row_groups[0].columns[1].meta;
    EXPECT_EQ(devices.statistics->null_count, 2);
    EXPECT_EQ(as_double(*devices.statistics->min_value), -3.0);
    EXPECT_EQ(as_double(*devices.statistics->max_value), 6.0 / 4 - 3);
    const ColumnMetaData& support = *m.row_groups[0].columns[2].meta;
    EXPECT_EQ(as_int(*support.statistics->min_value), -7);
    EXPECT_EQ(as_int(*support.statistics->max_value), 5993);
}

TEST(ParquetWriter, UniqueStringsAreWrittenPlain) {
    WriteColumn ids{"id", WriteColumn::Type::string, false, {}, {}, {}, {}};
    for (int i = 0; i < 50; ++i) ids.strings.push_back(fmt::format("id-{}", i));
    FileReader r = FileReader::from_bytes(encode_table({ids}), "written");
    EXPECT_FALSE(r.metadata().row_groups[0].columns[0].meta->dictionary_page_offset.has_value());
    auto data = r.read_columns(0, std::vector<size_t>{0});
    EXPECT_EQ(data[0].bytes[49], "id-49");
}

TEST(ParquetWriter, EmptyTableIsAValidFile) {
    FileReader r = FileReader::from_bytes(encode_table(sample(0)), "written");
    EXPECT_EQ(r.total_rows(), 0);
    EXPECT_EQ(r.columns().size(), 3u);
}

}  // namespace
}  // namespace mpdstat::parquet
