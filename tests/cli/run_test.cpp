// End to end: a tiny synthetic country through `mpdstat run`.
#include <gtest/gtest.h>

#include "ingest/csv.hpp"
#include "synth/generator.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

fs::path scenario(const fs::path& dir, int threads) {
    synth::generate(synth::preset_options("test"), dir);
    std::string toml = test::slurp(dir / "mpdstat.toml");
    toml.replace(toml.find("[run]\n"), 6, "[run]\nthreads = " + std::to_string(threads) + "\n");
    test::spit(dir / "mpdstat.toml", toml);
    return dir / "mpdstat.toml";
}

TEST(Run, SameTier2FilesWithOneAndTwoThreadsAndNoSmallValues) {
    test::TempDir a, b;
    auto ca = scenario(a.path(), 1), cb = scenario(b.path(), 2);
    auto ra = test::run_cli("run --force " + ca.string());
    ASSERT_EQ(ra.exit_code, 0) << ra.out;
    auto rb = test::run_cli("run --force " + cb.string());
    ASSERT_EQ(rb.exit_code, 0) << rb.out;
    auto ta = test::tree_bytes(a / "out/tier2"), tb = test::tree_bytes(b / "out/tier2");
    ASSERT_EQ(ta.size(), 15u);
    EXPECT_EQ(ta, tb);
    for (const char* f : {"present_population.csv", "usual_environment.csv", "od_trips.csv", "commuting.csv",
                          "mobility.csv", "day_night_population.csv", "od_daily_locations.csv",
                          "tourism_domestic.csv", "tourism_inbound.csv", "tourism_outbound.csv", "activity.csv", "activity_devices.csv",
                          "activity_active_90d.csv",
                          "displacement.csv", "displacement_change.csv"})
        EXPECT_TRUE(ta.count(f)) << f;
    EXPECT_EQ(test::slurp(a / "out/tier2/present_population.csv").substr(0, 46),
              "zone_level,zone_id,time,devices,status,support");
    // Every released value rests on at least 15 devices; suppressed rows show nothing.
    for (const auto& [name, text] : ta) {
        CsvFileReader reader(a / "out/tier2" / name, ',', 0);
        const auto& header = reader.header();
        size_t status = std::find(header.begin(), header.end(), "status") - header.begin();
        size_t support = std::find(header.begin(), header.end(), "support") - header.begin();
        ASSERT_LT(support, header.size()) << name;
        CsvChunk chunk;
        CsvRecord rec;
        size_t rows = 0;
        while (reader.next(chunk)) {
            RecordCursor cur(chunk);
            std::string_view line;
            uint64_t n;
            while (cur.next(line, n)) {
                ASSERT_TRUE(rec.split(line, ','));
                ++rows;
                if (rec[status] == "ok") {
                    EXPECT_GE(std::stoul(std::string(rec[support])), 15u) << name << ": " << line;
                } else {
                    EXPECT_EQ(rec[status], "suppressed");
                    EXPECT_EQ(rec[support], "") << name << ": " << line;
                }
            }
        }
        EXPECT_GT(rows, 0u) << name;
        EXPECT_EQ(text.find("pseudonym"), std::string::npos);
    }
    // Tier I micro data stays in work_dir.
    EXPECT_TRUE(fs::exists(a / "work/micro/anchors/bucket-0000.csv"));
    EXPECT_FALSE(fs::exists(a / "out/micro"));
}

TEST(Run, WritesEveryStage) {
    test::TempDir t;
    // The demo preset takes a few seconds; the test preset checks the same wiring.
    synth::generate(synth::preset_options("test"), t.path());
    auto r = test::run_cli("run --force " + (t / "mpdstat.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const char* f : {"qa/ingest.json", "qa/spatial.json", "qa/sdc.json", "manifest.json", "geo/spatial.gpkg"})
        EXPECT_TRUE(fs::exists(t / "out" / f)) << f;
    std::string m = test::slurp(t / "out/manifest.json");
    EXPECT_NE(m.find("\"indicators\""), std::string::npos);
}

}  // namespace
}  // namespace mpdstat

namespace mpdstat {
namespace {

TEST(Run, GridLevelForPresence) {
    test::TempDir t;
    synth::generate(synth::preset_options("test"), t.path());
    std::string toml = test::slurp(t / "mpdstat.toml");
    test::spit(t / "mpdstat.toml", toml + "\n[spatial]\ngrid_size_m = 5000\n");
    auto r = test::run_cli("run --force " + (t / "mpdstat.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    std::string pp = test::slurp(t / "out/tier2/present_population.csv");
    EXPECT_NE(pp.find("\ngrid,"), std::string::npos) << "grid rows in the present population";
    EXPECT_NE(test::slurp(t / "out/tier2/day_night_population.csv").find("\ngrid,"), std::string::npos);
    // Anchor-based indicators stay on zone levels.
    EXPECT_EQ(test::slurp(t / "out/tier2/usual_environment.csv").find("\ngrid,"), std::string::npos);
}

}  // namespace
}  // namespace mpdstat
