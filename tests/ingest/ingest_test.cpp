#include "ingest/ingest.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "ingest/pseudonymiser.hpp"
#include "spatial/cell_plan.hpp"
#include "store/event_store.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

class IngestBasic : public ::testing::Test {
protected:
    void SetUp() override { ::setenv("MPDSTAT_TEST_KEY", "a-test-key-of-more-than-16-bytes", 1); }
    Config load(const fs::path& dir, int threads = 1) {
        Config c = load_config(dir / "mpdstat.toml");
        c.run.threads = threads;
        return c;
    }
};

uint64_t reason(const IngestQa& qa, Reject r) { return qa.by_reason[size_t(r)]; }

// The fixture's 39 rows are annotated in tests/data/ingest/basic/events.csv's
// generator: every rule fires, and 9 rows of 5 devices survive.
TEST_F(IngestBasic, EveryRuleCountsItsRowsAndNothingIsLost) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    IngestResult r = run_ingest(load(dir));
    const IngestQa& qa = r.qa;
    EXPECT_EQ(qa.rows_read, 39u);
    EXPECT_EQ(qa.accepted, 9u);
    EXPECT_EQ(qa.rejected, 30u);
    EXPECT_EQ(qa.rows_read, qa.accepted + qa.rejected);
    EXPECT_EQ(reason(qa, Reject::duplicate), 1u);
    EXPECT_EQ(reason(qa, Reject::duplicate_conflict), 1u);
    EXPECT_EQ(reason(qa, Reject::impossible_jump), 1u);
    EXPECT_EQ(reason(qa, Reject::cell_not_valid), 1u);
    EXPECT_EQ(reason(qa, Reject::unknown_cell), 1u);
    EXPECT_EQ(reason(qa, Reject::bad_timestamp), 1u);
    EXPECT_EQ(reason(qa, Reject::outside_period), 1u);
    EXPECT_EQ(reason(qa, Reject::missing_user_id), 1u);
    EXPECT_EQ(reason(qa, Reject::bad_mcc), 1u);
    EXPECT_EQ(reason(qa, Reject::bad_mnc), 1u);
    EXPECT_EQ(reason(qa, Reject::bad_plmn), 1u);
    EXPECT_EQ(reason(qa, Reject::wrong_column_count), 1u);
    EXPECT_EQ(reason(qa, Reject::missing_cell_id), 1u);
    EXPECT_EQ(reason(qa, Reject::invalid_utf8), 1u);
    EXPECT_EQ(reason(qa, Reject::device_machine), 10u);
    EXPECT_EQ(reason(qa, Reject::device_hyperactive), 6u);
    EXPECT_EQ(qa.machine_devices, 1u);
    EXPECT_EQ(qa.hyperactive_devices, 1u);
    EXPECT_EQ(qa.duplicate_conflicts_kept, 1u);
    EXPECT_EQ(qa.suspicious_jumps_kept, 0u);  // once the jump is dropped its neighbours are consistent
    EXPECT_EQ(qa.devices, 5u);
    EXPECT_EQ(qa.devices_by_domain[0], 3u);
    EXPECT_EQ(qa.devices_by_domain[1], 1u);
    EXPECT_EQ(qa.devices_by_domain[2], 1u);
    ASSERT_EQ(qa.days.size(), 3u);
    EXPECT_EQ(qa.days[0].events, 3u);
    EXPECT_EQ(qa.days[0].devices, 1u);
    EXPECT_EQ(qa.days[1].events, 4u);
    EXPECT_EQ(qa.days[1].devices, 3u);
    EXPECT_EQ(qa.days[1].events_by_domain[2], 2u);
    EXPECT_EQ(qa.days[2].events, 2u);
    EXPECT_EQ(qa.days[2].devices, 2u);
    // The cells file's bad row is reported; the cell with no event is listed.
    EXPECT_EQ(qa.cell_plan_problems.size(), 1u);
    EXPECT_EQ(qa.cells_in_plan, 5u);
    ASSERT_EQ(qa.cells_never_seen.size(), 2u);  // C3 (only the machine used it) and C4 (jump dropped)
    EXPECT_EQ(qa.cells_never_seen[0], "C3");
    EXPECT_EQ(qa.cells_never_seen[1], "C4");
    ASSERT_EQ(qa.unknown_cells.size(), 1u);
    EXPECT_EQ(qa.unknown_cells[0].first, "C9");
    // 13 syntactic / referential errors of 39 rows: far above the 5 % gate.
    EXPECT_EQ(qa.overall(), CheckStatus::fail);
    EXPECT_TRUE(r.gate_failed);
}

TEST_F(IngestBasic, QuarantineHoldsEveryRejectedRowAndNoRawIdentifier) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    IngestResult r = run_ingest(load(dir));
    std::string q = test::slurp(r.quarantine);
    size_t lines = static_cast<size_t>(std::count(q.begin(), q.end(), '\n'));
    EXPECT_EQ(lines, 1 + r.qa.rejected);  // header + one line per rejected row
    EXPECT_EQ(q.find("2217700000"), std::string::npos) << "a raw subscriber id reached the quarantine";
    EXPECT_NE(q.find(",device_machine,"), std::string::npos);
    EXPECT_NE(q.find(",bad_plmn,plmn,"), std::string::npos);
    // A row whose fields do not line up is described, not shown: its id could sit in any field.
    EXPECT_NE(q.find(",wrong_column_count,row,\"(4 fields, the header has 8; row not shown)\""), std::string::npos) << q;
    EXPECT_NE(q.find("\\xFF"), std::string::npos) << "invalid bytes are shown escaped";
    // Nothing of Tier I outside work_dir, and no raw id in any output.
    for (const auto& [name, bytes] : test::tree_bytes(dir / "out"))
        EXPECT_EQ(bytes.find("2217700000"), std::string::npos) << name;
    for (const auto& [name, bytes] : test::tree_bytes(dir / "work"))
        EXPECT_EQ(bytes.find("2217700000"), std::string::npos) << name;
}

TEST_F(IngestBasic, StoreYieldsEachDeviceInTimeOrder) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    Config c = load(dir);
    run_ingest(c);
    EventStore store = EventStore::open(c.run.work_dir);
    EXPECT_EQ(store.days().size(), 3u);
    CellPlan cells = CellPlan::load(c.input.cells, c.input.cell_columns);
    Pseudonymiser p = Pseudonymiser::with_key("a-test-key-of-more-than-16-bytes");
    std::map<uint64_t, std::vector<Event>> seen;
    for (int b = 0; b < store.buckets(); ++b)
        store.for_each_device(b, c.input.period_start, c.input.period_end, cells,
                              [&](uint64_t d, std::span<const Event> ev) {
                                  EXPECT_EQ(EventStore::bucket_of(d, store.buckets()), b);
                                  EXPECT_TRUE(std::is_sorted(ev.begin(), ev.end(), [](const Event& x, const Event& y) {
                                      return x.time_ms < y.time_ms;
                                  }));
                                  seen[d].assign(ev.begin(), ev.end());
                              });
    EXPECT_EQ(seen.size(), 5u);
    const auto& u1 = seen.at(p.device("221770000001"));
    ASSERT_EQ(u1.size(), 4u);
    // 2024-01-01 08:00 in Dakar (UTC+0) = 1704096000 s.
    EXPECT_EQ(u1[0].time_ms, 1704096000000LL);
    EXPECT_EQ(cells[u1[0].cell].id, "C1");
    EXPECT_EQ(cells[u1[1].cell].id, "C2");
    EXPECT_TRUE(u1[1].flags & event_flags::duplicate_conflict);
    EXPECT_EQ(u1[0].type, EventType::call);
    EXPECT_EQ(u1[0].duration_s, 60u);
    const auto& u2 = seen.at(p.device("221770000002"));
    ASSERT_EQ(u2.size(), 1u);
    EXPECT_EQ(cells[u2[0].cell].id, "2367") << "2367.0 and 2367 are one cell";
    const auto& u3 = seen.at(p.device("221770000003"));
    EXPECT_EQ(u3[0].domain, Domain::inbound);
    EXPECT_EQ(u3[0].mcc, 208);
    const auto& u4 = seen.at(p.device("221770000004"));
    ASSERT_EQ(u4.size(), 2u);
    EXPECT_EQ(u4[0].domain, Domain::outbound);
    EXPECT_EQ(u4[0].cell, kNoCell);
    EXPECT_EQ(u4[1].serving_mcc, 310);
    EXPECT_EQ(u4[1].serving_mnc, 260);
    EXPECT_EQ(seen.at(p.device("221770000009"))[0].type, EventType::other);
}

TEST_F(IngestBasic, SameOutputsWithOneAndTwoThreads) {
    TempDir a, b;
    auto da = test::copy_fixture("ingest/basic", a.path());
    auto db = test::copy_fixture("ingest/basic", b.path());
    run_ingest(load(da, 1));
    run_ingest(load(db, 2));
    auto ta = test::tree_bytes(da / "work"), tb = test::tree_bytes(db / "work");
    EXPECT_EQ(ta, tb);
    EXPECT_EQ(test::slurp(da / "out/qa/ingest.json"), test::slurp(db / "out/qa/ingest.json"));
}

TEST_F(IngestBasic, ReingestingReplacesTheDaysWithIdenticalContent) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    Config c = load(dir);
    run_ingest(c);
    auto first = test::tree_bytes(dir / "work/store/day=2024-01-02/v1");
    run_ingest(c);
    EXPECT_FALSE(fs::exists(dir / "work/store/day=2024-01-02/v1")) << "the old version is removed";
    EXPECT_EQ(test::slurp(dir / "work/store/day=2024-01-02/CURRENT"), "v2\n");
    EXPECT_EQ(test::tree_bytes(dir / "work/store/day=2024-01-02/v2"), first);
}

TEST_F(IngestBasic, ManifestRecordsInputsWithoutTheKey) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    run_ingest(load(dir));
    std::string m = test::slurp(dir / "out/manifest.json");
    auto j = nlohmann::json::parse(m);
    EXPECT_EQ(j["stages"]["ingest"]["rows_read"], 39);
    ASSERT_EQ(j["stages"]["ingest"]["input_files"].size(), 1u);
    EXPECT_EQ(j["stages"]["ingest"]["input_files"][0]["sha256"].get<std::string>().size(), 64u);
    EXPECT_EQ(j["config"]["input"]["key_source"], "env:MPDSTAT_TEST_KEY");
    EXPECT_EQ(m.find("a-test-key-of-more-than-16-bytes"), std::string::npos);
}

std::string gzip(const std::string& data) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, data.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

TEST_F(IngestBasic, GzipInputGivesTheSameStore) {
    TempDir a, b;
    auto da = test::copy_fixture("ingest/basic", a.path());
    auto db = test::copy_fixture("ingest/basic", b.path());
    test::spit(db / "events.csv.gz", gzip(test::slurp(db / "events.csv")));
    fs::remove(db / "events.csv");
    run_ingest(load(da));
    IngestResult r = run_ingest(load(db));
    EXPECT_EQ(r.qa.files[0].compression, "gzip");
    EXPECT_EQ(test::tree_bytes(da / "work/store"), test::tree_bytes(db / "work/store"));
}

TEST_F(IngestBasic, TruncatedGzipIsReportedAndEveryRowAccountedFor) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    std::string gz = gzip(test::slurp(dir / "events.csv"));
    test::spit(dir / "events.csv.gz", gz.substr(0, gz.size() * 2 / 3));
    fs::remove(dir / "events.csv");
    IngestResult r = run_ingest(load(dir));
    ASSERT_EQ(r.qa.files.size(), 1u);
    EXPECT_EQ(r.qa.files[0].status, "truncated");
    EXPECT_FALSE(r.qa.files[0].error.empty());
    EXPECT_GT(r.qa.rows_read, 0u);
    EXPECT_LT(r.qa.rows_read, 39u);
    EXPECT_EQ(r.qa.rows_read, r.qa.accepted + r.qa.rejected);
    EXPECT_TRUE(r.gate_failed);
}

TEST_F(IngestBasic, EmptyFileIsAWarningNotACrash) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    test::spit(dir / "events_empty.csv", "");
    IngestResult r = run_ingest(load(dir));
    ASSERT_EQ(r.qa.files.size(), 2u);
    EXPECT_EQ(r.qa.files[1].status, "empty");
    EXPECT_EQ(r.qa.rows_read, 39u);
}

TEST_F(IngestBasic, MissingInputIsAClearError) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    fs::remove(dir / "events.csv");
    try {
        run_ingest(load(dir));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 1);
        EXPECT_NE(std::string(e.what()).find("no input file matches"), std::string::npos);
    }
}

TEST_F(IngestBasic, MissingColumnNamesFileAndColumn) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    std::string ev = test::slurp(dir / "events.csv");
    ev.replace(0, 7, "msisdn,");
    test::spit(dir / "events.csv", ev);
    try {
        run_ingest(load(dir));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("events.csv:1"), std::string::npos) << m;
        EXPECT_NE(m.find("'user_id'"), std::string::npos) << m;
    }
}

TEST_F(IngestBasic, DurationsAreReadWholeOrFractionalAndOutOfRangeOnesRejected) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    // One row per device (no device rule fires): the duration text, and the
    // seconds expected in the store (-1: rejected as bad_duration).
    const std::vector<std::pair<std::string, int64_t>> cases = {
        {"0060", 60},     {"7", 7},     {"12.4", 12},    {"12.5", 13},     {"10000000", 10000000},
        {"1e3", 1000},    {" 42 ", 42}, {"", 0},         {"10000001", -1}, {"-5", -1},
        {"abc", -1},      {"999999999", -1},             {"1234567890", -1}};
    std::string ev = "user_id,timestamp,cell_id,event_type,mcc,mnc,plmn,duration\n";
    for (size_t i = 0; i < cases.size(); ++i)
        ev += fmt::format("22177100{:04},2024-01-01 10:{:02}:00,C1,call,608,01,60801,{}\n", i, i, cases[i].first);
    test::spit(dir / "events.csv", ev);
    Config c = load(dir);
    IngestResult r = run_ingest(c);
    EXPECT_EQ(reason(r.qa, Reject::bad_duration), 5u);
    EventStore store = EventStore::open(c.run.work_dir);
    CellPlan cells = CellPlan::load(c.input.cells, c.input.cell_columns);
    Pseudonymiser p = Pseudonymiser::with_key("a-test-key-of-more-than-16-bytes");
    std::map<uint64_t, uint32_t> duration;
    for (int b = 0; b < store.buckets(); ++b)
        store.for_each_device(b, c.input.period_start, c.input.period_end, cells,
                              [&](uint64_t d, std::span<const Event> e) { duration[d] = e[0].duration_s; });
    for (size_t i = 0; i < cases.size(); ++i) {
        auto at = duration.find(p.device(fmt::format("22177100{:04}", i)));
        if (cases[i].second < 0) EXPECT_EQ(at, duration.end()) << "'" << cases[i].first << "'";
        else if (at == duration.end()) ADD_FAILURE() << "'" << cases[i].first << "' was rejected";
        else EXPECT_EQ(at->second, uint32_t(cases[i].second)) << "'" << cases[i].first << "'";
    }
}

TEST_F(IngestBasic, RefusesToRunWithoutAKey) {
    TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    ::unsetenv("MPDSTAT_TEST_KEY");
    EXPECT_THROW(run_ingest(load(dir)), Error);
}

// Many rows through a small memory limit: buckets spill to disk, and the
// store is the same as without spilling.
TEST(IngestSpill, SmallMemoryLimitGivesTheSameStore) {
    ::setenv("MPDSTAT_TEST_KEY", "a-test-key-of-more-than-16-bytes", 1);
    TempDir a, b;
    std::string ev = "user_id,timestamp,cell_id,event_type,mcc,mnc,plmn,duration\n";
    const char* cells[] = {"C1", "C2", "C3"};
    for (int i = 0; i < 200000; ++i) {
        int dev = (i * 7919) % 5000;
        int sec = (i * 37) % 86400;
        ev += fmt::format("2217{:08},2024-01-0{} {:02}:{:02}:{:02},{},data,608,01,60801,\n", dev, 1 + i % 3, sec / 3600,
                          (sec / 60) % 60, sec % 60, cells[(i / 3) % 3]);
    }
    for (auto* d : {&a, &b}) {
        test::copy_fixture("ingest/basic", d->path());
        test::spit(d->path() / "events.csv", ev);
    }
    Config ca = load_config(a / "mpdstat.toml");
    Config cb = load_config(b / "mpdstat.toml");
    ca.cleaning.max_events_per_day = 0;
    cb.cleaning.max_events_per_day = 0;
    ca.run.memory_limit = 16ULL << 20;  // spills every 65,536 rows
    cb.run.memory_limit = 4ULL << 30;
    IngestResult ra = run_ingest(ca);
    IngestResult rb = run_ingest(cb);
    EXPECT_EQ(ra.qa.rows_read, 200000u);
    EXPECT_EQ(ra.qa.rows_read, ra.qa.accepted + ra.qa.rejected);
    EXPECT_EQ(test::tree_bytes(a / "work/store"), test::tree_bytes(b / "work/store"));
    EXPECT_EQ(test::slurp(a / "out/qa/ingest.json"), test::slurp(b / "out/qa/ingest.json"));
}

}  // namespace
}  // namespace mpdstat
