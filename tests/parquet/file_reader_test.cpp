// Files written by DuckDB (tests/parquet/make_fixtures.mjs) read back with the
// same rows DuckDB reads: every type, every codec, page v1 and v2 (whose
// integers are DELTA_BINARY_PACKED, strings DELTA_LENGTH_BYTE_ARRAY, floats
// BYTE_STREAM_SPLIT), several row groups.
#include "parquet/file_reader.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "parquet/value_text.hpp"
#include "test_util.hpp"

namespace mpdstat::parquet {
namespace {

using nlohmann::json;

class DuckDbFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(DuckDbFixture, ReadsTheRowsDuckDbReads) {
    const json expected = json::parse(test::slurp(test::fixture("parquet/types.expected.json")));
    FileReader r = FileReader::open(test::fixture("parquet/types_" + GetParam() + ".parquet"));
    ASSERT_EQ(r.columns().size(), expected["columns"].size());
    EXPECT_EQ(r.total_rows(), 120);
    std::vector<size_t> all;
    for (const auto& c : r.columns()) all.push_back(c.index);
    size_t row = 0;
    for (size_t g = 0; g < r.row_groups(); ++g) {
        std::vector<ColumnData> cols = r.read_columns(g, all);
        for (size_t i = 0; i < size_t(r.rows(g)); ++i, ++row) {
            for (size_t c = 0; c < cols.size(); ++c) {
                const Column& col = r.columns()[c];
                const json& want = expected["rows"][row][c];
                const std::string check = expected["columns"][c]["check"];
                SCOPED_TRACE(col.name + " row " + std::to_string(row));
                ASSERT_EQ(cols[c].is_null(i), want.is_null());
                if (want.is_null()) continue;
                if (check == "number") {
                    EXPECT_EQ(cols[c].doubles[i], want.get<double>());
                } else if (check == "epoch") {
                    EXPECT_EQ(cols[c].ints[i], std::stoll(want.get<std::string>()));
                } else {
                    std::string text;
                    append_value_text(col, cols[c], i, text);
                    EXPECT_EQ(text, want.get<std::string>());
                }
            }
        }
    }
    EXPECT_EQ(row, 120u);
}

INSTANTIATE_TEST_SUITE_P(EveryCodecAndVersion, DuckDbFixture,
                         ::testing::Values("v1_uncompressed", "v1_snappy", "v1_gzip", "v1_zstd", "v2_uncompressed",
                                           "v2_snappy", "v2_zstd", "v2_gzip"));

class DuckDbRowGroups : public ::testing::TestWithParam<std::string> {};

TEST_P(DuckDbRowGroups, ReadsEveryRowGroupInOrder) {
    FileReader r = FileReader::open(test::fixture("parquet/row_groups_" + GetParam() + ".parquet"));
    ASSERT_EQ(r.row_groups(), 3u);
    std::vector<size_t> both{r.find("id")->index, r.find("kind")->index};
    int64_t id = 0;
    for (size_t g = 0; g < r.row_groups(); ++g) {
        auto cols = r.read_columns(g, both);
        for (size_t i = 0; i < size_t(r.rows(g)); ++i, ++id) {
            ASSERT_EQ(cols[0].ints[i], id);
            if (id % 100 == 99) {
                ASSERT_TRUE(cols[1].is_null(i));
            } else {
                ASSERT_EQ(cols[1].bytes[i], std::string(1, char('a' + id % 3))) << id;
            }
        }
    }
    EXPECT_EQ(id, 5000);
}

INSTANTIATE_TEST_SUITE_P(V1AndV2, DuckDbRowGroups, ::testing::Values("v1_snappy", "v2_zstd"));

TEST(ParquetFileReader, MapsTypesToValueKinds) {
    FileReader r = FileReader::open(test::fixture("parquet/types_v2_zstd.parquet"));
    auto kind = [&](const char* n) { return r.find(n)->kind; };
    EXPECT_EQ(kind("flag"), ValueKind::boolean);
    EXPECT_EQ(kind("small_int"), ValueKind::integer);
    EXPECT_EQ(kind("lat32"), ValueKind::float32);
    EXPECT_EQ(kind("lon64"), ValueKind::float64);
    EXPECT_EQ(kind("kind"), ValueKind::string);
    EXPECT_EQ(kind("raw_id"), ValueKind::binary);
    EXPECT_EQ(kind("day"), ValueKind::date);
    EXPECT_EQ(kind("dec30"), ValueKind::decimal);
    EXPECT_EQ(kind("unsigned32"), ValueKind::unsigned_integer);
    const Column* ts = r.find("ts_us");
    EXPECT_EQ(ts->kind, ValueKind::timestamp);
    EXPECT_EQ(ts->unit, TimeUnit::micros);
    EXPECT_FALSE(ts->adjusted_to_utc);
    EXPECT_TRUE(r.find("ts_utc")->adjusted_to_utc);
    EXPECT_EQ(r.find("ts_ns")->unit, TimeUnit::nanos);
    EXPECT_EQ(r.find("ts_ms")->unit, TimeUnit::millis);
    EXPECT_TRUE(r.find("kind")->optional);
    EXPECT_EQ(r.find("nope"), nullptr);
}

TEST(ParquetFileReader, ProjectionReadsOnlyTheChosenColumns) {
    FileReader r = FileReader::open(test::fixture("parquet/row_groups_v1_snappy.parquet"));
    std::vector<size_t> cols{r.find("kind")->index};
    RowGroupBytes b = r.read(1, cols);
    ASSERT_EQ(b.chunks.size(), 1u);
    EXPECT_EQ(b.columns[0], r.find("kind")->index);
    auto data = r.decode(b);
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(data[0].bytes[0], "c");  // the second row group starts at row 2048, kind 'c'
}

TEST(ParquetFileReader, NotParquetIsAClearError) {
    test::TempDir t;
    test::spit(t / "x.parquet", "user_id,timestamp\n1,2\n");
    try {
        FileReader::open(t / "x.parquet");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 1);
        EXPECT_NE(std::string(e.what()).find("x.parquet: Parquet: not a Parquet file"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace mpdstat::parquet
