// Parquet events and cells files give the same event store as the same data in
// CSV: the fixture of ingest_test.cpp as DuckDB wrote it (typed columns, v1,
// snappy; all text, v2, zstd), the ESS bronze schema in Hive-partitioned
// folders, and files from mpdstat's own writer with integer MNCs.
#include "ingest/parquet_events.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/hive_partition.hpp"
#include "ingest/ingest.hpp"
#include "parquet/writer.hpp"
#include "spatial/cell_plan.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

class ParquetIngest : public ::testing::Test {
protected:
    void SetUp() override { ::setenv("MPDSTAT_TEST_KEY", "a-test-key-of-more-than-16-bytes", 1); }
    static Config load(const fs::path& dir) {
        Config c = load_config(dir / "mpdstat.toml");
        c.run.threads = 2;
        return c;
    }
    static uint64_t reason(const IngestQa& qa, Reject r) { return qa.by_reason[size_t(r)]; }
};

TEST_F(ParquetIngest, TypedParquetGivesTheStoreOfTheCsv) {
    TempDir a, b;
    auto csv = test::copy_fixture("ingest/basic", a.path());
    auto pq = test::copy_fixture("ingest/basic", b.path());
    fs::remove(pq / "events.csv");
    fs::copy_file(test::fixture("parquet/ingest/events_typed.parquet"), pq / "events_typed.parquet");
    Config cp = load(pq);
    cp.input.events = {(pq / "*.parquet").string()};
    IngestResult rc = run_ingest(load(csv));
    IngestResult rp = run_ingest(cp);
    EXPECT_EQ(test::tree_bytes(csv / "work/store"), test::tree_bytes(pq / "work/store"));
    // The two rows DuckDB cannot hold (a short row, invalid UTF-8) are not in the Parquet file.
    EXPECT_EQ(rp.qa.rows_read, rc.qa.rows_read - 2);
    EXPECT_EQ(rp.qa.accepted, rc.qa.accepted);
    EXPECT_EQ(rp.qa.files[0].compression, "parquet");
    EXPECT_EQ(reason(rp.qa, Reject::bad_mcc), 1u);      // 60 as an INTEGER is still not 3 digits
    EXPECT_EQ(reason(rp.qa, Reject::bad_plmn), 1u);     // 6080
    EXPECT_EQ(reason(rp.qa, Reject::missing_timestamp), 1u);  // "not-a-time" became a null TIMESTAMP
    EXPECT_EQ(reason(rp.qa, Reject::outside_period), 1u);
    // The quarantine shows the typed timestamp as text; "line" is the row number in the file.
    std::string q = test::slurp(rp.quarantine);
    EXPECT_NE(q.find("events_typed.parquet,14,outside_period,timestamp,\"pseudonym:"), std::string::npos) << q;
    EXPECT_NE(q.find("2024-02-01T10:00:00,C1,call,608,01,60801,"), std::string::npos) << q;
    EXPECT_EQ(q.find("2217700000"), std::string::npos) << "a raw subscriber id reached the quarantine";
}

TEST_F(ParquetIngest, TextParquetV2GivesTheStoreAndTheRejectsOfTheCsv) {
    TempDir a, b;
    auto csv = test::copy_fixture("ingest/basic", a.path());
    auto pq = test::copy_fixture("ingest/basic", b.path());
    fs::remove(pq / "events.csv");
    // Named without the extension: input.format = "parquet" selects the reader.
    fs::copy_file(test::fixture("parquet/ingest/events_text.parquet"), pq / "events.bin");
    Config cp = load(pq);
    cp.input.events = {(pq / "events.bin").string()};
    cp.input.format = "parquet";
    IngestResult rc = run_ingest(load(csv));
    IngestResult rp = run_ingest(cp);
    EXPECT_EQ(test::tree_bytes(csv / "work/store"), test::tree_bytes(pq / "work/store"));
    for (size_t r = 0; r < kRejectReasons; ++r) {
        Reject reason = static_cast<Reject>(r);
        if (reason == Reject::wrong_column_count || reason == Reject::invalid_utf8) continue;
        EXPECT_EQ(rp.qa.by_reason[r], rc.qa.by_reason[r]) << reject_name(reason);
    }
}

TEST_F(ParquetIngest, ParquetCellsFileGivesTheSamePlan) {
    Config c;
    CellPlan from_csv = CellPlan::load(test::fixture("ingest/basic/cells.csv"), c.input.cell_columns);
    CellPlan from_pq = CellPlan::load(test::fixture("parquet/ingest/cells.parquet"), c.input.cell_columns);
    ASSERT_EQ(from_pq.size(), from_csv.size());
    for (uint32_t i = 0; i < from_csv.size(); ++i) {
        const Cell& x = from_csv[i];
        const Cell& y = from_pq[i];
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.site_id, y.site_id);
        EXPECT_EQ(x.lat, y.lat);
        EXPECT_EQ(x.lon, y.lon);
        EXPECT_EQ(std::isnan(x.azimuth), std::isnan(y.azimuth));
        if (!std::isnan(x.azimuth)) {
            EXPECT_EQ(x.azimuth, y.azimuth);
        }
        EXPECT_EQ(x.technology, y.technology);
        EXPECT_EQ(x.valid_from, y.valid_from);
        EXPECT_EQ(x.valid_to, y.valid_to);
    }
    ASSERT_EQ(from_pq.problems().size(), 1u);  // the row with lat 'abc' (null in Parquet)
    EXPECT_EQ(from_pq.problems()[0].cell_id, "BAD");
    EXPECT_EQ(from_pq.problems()[0].line, from_csv.problems()[0].line);
}

// The ESS reference pipeline's bronze network events: binary user ids, string
// timestamps, integer MCC and PLMN, float coordinates, year / month / day folders.
TEST_F(ParquetIngest, BronzeHivePartitionedFoldersGiveTheStoreOfTheCsv) {
    TempDir a, b;
    const std::string config = R"([input]
events = ["EVENTS"]
cells = "cells.csv"
timezone = "Africa/Dakar"
local_mcc = 608
period_start = "2024-01-01"
period_end = "2024-01-03"
key_env = "MPDSTAT_TEST_KEY"
[input.columns]
user_id = "user_id"
timestamp = "timestamp"
cell_id = "cell_id"
mcc = "mcc"
mnc = "mnc"
plmn = "plmn"
lat = "latitude"
lon = "longitude"
[store]
buckets = 4
[run]
work_dir = "work"
out_dir = "out"
)";
    auto write_config = [&](const fs::path& dir, const std::string& events) {
        std::string text = config;
        text.replace(text.find("EVENTS"), 6, events);
        test::spit(dir / "mpdstat.toml", text);
        fs::copy_file(test::fixture("parquet/bronze_cells.csv"), dir / "cells.csv");
    };
    write_config(a.path(), "bronze_events.csv");
    fs::copy_file(test::fixture("parquet/bronze_events.csv"), a / "bronze_events.csv");
    write_config(b.path(), "bronze");  // a folder: every .parquet file beneath it
    fs::copy(test::fixture("parquet/bronze"), b / "bronze", fs::copy_options::recursive);
    IngestResult rc = run_ingest(load(a.path()));
    IngestResult rp = run_ingest(load(b.path()));
    EXPECT_EQ(rp.qa.files.size(), 3u);
    EXPECT_EQ(rp.qa.rows_read, 200u);
    EXPECT_GT(rp.qa.accepted, 100u);
    EXPECT_EQ(rp.qa.accepted, rc.qa.accepted);
    EXPECT_EQ(rp.qa.by_reason, rc.qa.by_reason);
    EXPECT_EQ(test::tree_bytes(a / "work/store"), test::tree_bytes(b / "work/store"));
}

TEST_F(ParquetIngest, PartitionFolderValuesAreFields) {
    TempDir t;
    fs::create_directories(t / "ev" / "source=east");
    fs::copy_file(test::fixture("parquet/ingest/events_typed.parquet"), t / "ev" / "source=east" / "part.parquet");
    // event_type mapped to the folder's key: every row gets "east" (an unknown type, so `other`).
    auto f = ParquetEventFile::open(t / "ev" / "source=east" / "part.parquet",
                                    EventColumns{"user_id", "timestamp", "cell_id", "source", "", "", "", "", "", ""}, 0);
    ParquetChunk chunk;
    ASSERT_TRUE(f->next(chunk));
    ParquetRows rows = f->decode(chunk);
    CsvRecord rec;
    TypedTime time;
    ASSERT_NE(rows.row(0, rec, time), nullptr);  // a TIMESTAMP column: the time comes typed
    EXPECT_TRUE(time.local);                     // DuckDB's TIMESTAMP is not adjusted to UTC
    EXPECT_EQ(time.ms, int64_t(day_from_civil(2024, 1, 1)) * kMsPerDay + 8 * 3600000);  // 2024-01-01 08:00:00
    ASSERT_EQ(rec.size(), 4u);
    EXPECT_EQ(rec[size_t(f->map().type)], "east");
    EXPECT_EQ(rec[size_t(f->map().cell)], "C1");
    EXPECT_EQ(rec[size_t(f->map().timestamp)], "");  // not formatted: not needed
}

TEST(HivePartitions, KeyValueFoldersPercentDecoded) {
    auto p = hive_partitions("/data/year=2024/month=01/x%3Dy=a%2Fb/region=__HIVE_DEFAULT_PARTITION__/month=02/part-0.parquet");
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[0], (std::pair<std::string, std::string>{"year", "2024"}));
    EXPECT_EQ(p[1], (std::pair<std::string, std::string>{"month", "02"}));  // the innermost wins
    EXPECT_EQ(p[2], (std::pair<std::string, std::string>{"x=y", "a/b"}));
    EXPECT_EQ(p[3], (std::pair<std::string, std::string>{"region", ""}));
    EXPECT_TRUE(hive_partitions("plain/folders/file.parquet").empty());
}

TEST_F(ParquetIngest, MissingColumnNamesTheFileAndTheColumns) {
    try {
        ParquetEventFile::open(test::fixture("parquet/ingest/events_typed.parquet"),
                               EventColumns{"msisdn", "timestamp", "cell_id", "", "", "", "", "", "", ""}, 0);
        FAIL();
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("events_typed.parquet: no column 'msisdn' (input.columns.user_id)"), std::string::npos) << m;
        EXPECT_NE(m.find("it has: user_id, timestamp, cell_id"), std::string::npos) << m;
    }
}

// Integer MNCs (1 for "01") and int64 MCC / PLMN from mpdstat's own writer
// give the store of the CSV with the usual spelling.
TEST_F(ParquetIngest, IntegerMncIsTheTwoDigitCode) {
    TempDir a, b;
    auto csv = test::copy_fixture("ingest/basic", a.path());
    auto pq = test::copy_fixture("ingest/basic", b.path());
    std::string text = "user_id,timestamp,cell_id,event_type,mcc,mnc,plmn,duration\n";
    using parquet::WriteColumn;
    std::vector<WriteColumn> cols(8);
    const char* names[] = {"user_id", "timestamp", "cell_id", "event_type", "mcc", "mnc", "plmn", "duration"};
    for (size_t i = 0; i < 8; ++i) {
        cols[i].name = names[i];
        cols[i].type = i >= 4 ? WriteColumn::Type::int64 : WriteColumn::Type::string;
    }
    for (int i = 0; i < 60; ++i) {
        int mnc = i % 3 == 0 ? 1 : 10;
        int plmn = i % 5 == 0 ? 20801 : 60800 + mnc;
        std::string ts = fmt::format("2024-01-0{} {:02}:{:02}:00", 1 + i % 3, i % 24, i % 60);
        text += fmt::format("2217800{:05},{},C{},data,608,{:02},{},{}\n", i % 7, ts, 1 + i % 2, mnc, plmn, i);
        cols[0].strings.push_back(fmt::format("2217800{:05}", i % 7));
        cols[1].strings.push_back(ts);
        cols[2].strings.push_back(fmt::format("C{}", 1 + i % 2));
        cols[3].strings.push_back("data");
        cols[4].ints.push_back(608);
        cols[5].ints.push_back(mnc);
        cols[6].ints.push_back(plmn);
        cols[7].ints.push_back(i);
    }
    test::spit(csv / "events.csv", text);
    fs::remove(pq / "events.csv");
    parquet::WriteOptions o;
    o.row_group_rows = 16;  // four row groups
    parquet::write_table(pq / "events.parquet", cols, o);
    Config cp = load(pq);
    cp.input.events = {(pq / "events.parquet").string()};
    IngestResult rc = run_ingest(load(csv));
    IngestResult rp = run_ingest(cp);
    EXPECT_EQ(rc.qa.rejected, rp.qa.rejected);
    EXPECT_EQ(reason(rp.qa, Reject::bad_mnc), 0u);
    EXPECT_GT(rp.qa.accepted, 40u);
    EXPECT_EQ(test::tree_bytes(csv / "work/store"), test::tree_bytes(pq / "work/store"));
}

}  // namespace
}  // namespace mpdstat
