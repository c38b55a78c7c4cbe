// `mpdstat ingest --incremental` (ingest/parse_cache.hpp): input files the
// parse cache holds are not read again, and the store, quarantine and QA
// report are byte-identical to an ingest from scratch.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/day_files_country.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

// With faults, so that the quarantine holds rows of both stages.
struct IngestCountry : test::DayFilesCountry {
    IngestCountry() : DayFilesCountry("duplicates=0.02,unknown_cells=0.01,malformed=0.01,jumps=0.01") {}
    fs::path config(size_t days) const {
        fs::path p = dir / "ingest.toml";
        test::spit(p, toml_over(days) + "\n[store]\nbuckets = 8\n");
        return p;
    }
    std::string ingest(const fs::path& config, const std::string& flags = "") const {
        auto r = test::run_cli("ingest --force " + flags + " " + config.string());
        EXPECT_EQ(r.exit_code, 0) << r.out;
        return r.out;
    }
    nlohmann::json incremental() const {
        return nlohmann::json::parse(test::slurp(dir / "out/manifest.json"))["stages"]["ingest"]["incremental"];
    }
    // The live partitions (without their version folders), the quarantine and the QA report.
    std::map<std::string, std::string> results() const {
        std::map<std::string, std::string> out;
        for (const auto& day : fs::directory_iterator(dir / "work/store")) {
            if (!day.is_directory()) continue;
            std::string version = test::slurp(day.path() / "CURRENT");
            while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back()))) version.pop_back();
            for (const auto& [name, bytes] : test::tree_bytes(day.path() / version))
                out[day.path().filename().string() + "/" + name] = bytes;
        }
        for (const auto& [name, bytes] : test::tree_bytes(dir / "work/quarantine")) out["quarantine/" + name] = bytes;
        out["qa/ingest.json"] = test::slurp(dir / "out/qa/ingest.json");
        return out;
    }
    std::map<std::string, std::string> from_scratch(const fs::path& config) const {
        fs::remove_all(dir / "work");
        fs::remove_all(dir / "out");
        ingest(config);
        return results();
    }
    // The names whose bytes differ between two results (readable, unlike the bytes).
    static std::vector<std::string> differences(const std::map<std::string, std::string>& a,
                                                const std::map<std::string, std::string>& b) {
        std::vector<std::string> out;
        for (const auto& [name, bytes] : a)
            if (!b.count(name) || b.at(name) != bytes) out.push_back(name);
        for (const auto& [name, bytes] : b)
            if (!a.count(name)) out.push_back(name);
        return out;
    }
    size_t entries() const {
        size_t n = 0;
        for (const auto& e : fs::directory_iterator(dir / "work/ingest_cache")) n += e.path().extension() == ".parsed";
        return n;
    }
};

TEST(IncrementalIngest, AddingADayReadsOnlyItsFile) {
    IngestCountry c;
    ASSERT_EQ(c.day_files.size(), 4u);
    c.ingest(c.config(3), "--incremental");
    EXPECT_EQ(c.incremental()["files_parsed"], 3) << c.incremental();
    const std::string out = c.ingest(c.config(4), "--incremental");
    EXPECT_NE(out.find("Incremental ingest: 3 input files from the parse cache, 1 read and parsed"), std::string::npos)
        << out;
    EXPECT_EQ(c.incremental()["files_from_cache"], 3) << c.incremental();
    EXPECT_EQ(c.entries(), 4u);
    // 8 buckets x 4 days; the new day's 8 partitions are written, earlier days kept unless they changed.
    EXPECT_EQ(c.incremental()["partitions"], 32) << c.incremental();
    EXPECT_LE(c.incremental()["partitions_kept"].get<int>(), 24) << c.incremental();
    EXPECT_GE(c.incremental()["partitions_kept"].get<int>(), 16) << c.incremental();
    // The three-day ingest's quarantine is its own file, which a full ingest does not make.
    auto day = [&](size_t i) { return c.day_files[i].substr(std::string("events/events_").size(), 10); };
    fs::remove(c.dir / "work/quarantine" / ("ingest-" + day(0) + "-" + day(2) + ".csv"));
    const auto incremental = c.results();
    ASSERT_GT(incremental.size(), 20u);
    EXPECT_GT(incremental.at("quarantine/ingest-" + day(0) + "-" + day(3) + ".csv").size(), 1000u);
    EXPECT_EQ(IngestCountry::differences(incremental, c.from_scratch(c.config(4))), std::vector<std::string>{});
}

TEST(IncrementalIngest, AChangedFileIsReadAgainAndItsOldEntryRemoved) {
    IngestCountry c;
    const fs::path config = c.config(4);
    c.ingest(config, "--incremental");
    const fs::path day2 = c.dir / c.day_files[1];
    std::string text = test::slurp(day2);
    const size_t first = text.find('\n') + 1;
    text.erase(first, text.find('\n', first) + 1 - first);  // one row fewer
    test::spit(day2, text);
    c.ingest(config, "--incremental");
    EXPECT_EQ(c.incremental()["files_from_cache"], 3) << c.incremental();
    EXPECT_EQ(c.incremental()["files_parsed"], 1) << c.incremental();
    EXPECT_EQ(c.entries(), 4u);
    EXPECT_LT(c.incremental()["partitions_kept"].get<int>(), 32) << "the changed day's partition is written";
    // Unchanged inputs: nothing is read, every partition kept.
    c.ingest(config, "--incremental");
    EXPECT_EQ(c.incremental()["files_from_cache"], 4) << c.incremental();
    EXPECT_EQ(c.incremental()["partitions_kept"], 32) << c.incremental();
    // A damaged live partition is not kept: it is written anew.
    const fs::path day = c.dir / "work/store" / ("day=" + c.day_files[2].substr(std::string("events/events_").size(), 10));
    std::string version = test::slurp(day / "CURRENT");
    while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back()))) version.pop_back();
    const fs::path damaged = day / version / "bucket-0003.mpds";
    ASSERT_TRUE(fs::exists(damaged)) << damaged;
    {
        std::string bytes = test::slurp(damaged);
        bytes[bytes.size() - 3] ^= 0x20;
        fs::remove(damaged);  // a new inode: the damage must not reach other versions' links
        test::spit(damaged, bytes);
    }
    c.ingest(config, "--incremental");
    EXPECT_EQ(c.incremental()["partitions_kept"], 31) << c.incremental();
    const auto incremental = c.results();
    EXPECT_EQ(IngestCountry::differences(incremental, c.from_scratch(config)), std::vector<std::string>{});
}

TEST(IncrementalIngest, ADamagedEntryIsReadAgainOrRefusedWithTheWayOut) {
    IngestCountry c;
    const fs::path config = c.config(4);
    c.ingest(config, "--incremental");
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(c.dir / "work/ingest_cache")) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    // Cut short: refused on opening, and the file is read again.
    std::string bytes = test::slurp(entries[0]);
    test::spit(entries[0], bytes.substr(0, bytes.size() / 2));
    auto r = test::run_cli("ingest --force --incremental " + config.string());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("parse cache entry is incomplete; the file is read again"), std::string::npos) << r.out;
    EXPECT_EQ(c.incremental()["files_parsed"], 1) << c.incremental();
    // A flipped bit in the rows: found by its CRC-32 when read, an error that says what to do, and the entry goes.
    bytes = test::slurp(entries[1]);
    bytes[bytes.size() / 3] ^= 0x04;
    test::spit(entries[1], bytes);
    r = test::run_cli("ingest --force --incremental " + config.string());
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("the parse cache entry is removed: run the ingest again"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(entries[1]));
    c.ingest(config, "--incremental");  // reads that file again
    EXPECT_EQ(c.incremental()["files_parsed"], 1) << c.incremental();
    EXPECT_EQ(c.incremental()["files_from_cache"], 3) << c.incremental();
    // Without --incremental the cache is not used.
    const auto plain = [&] {
        c.ingest(config);
        return c.results();
    }();
    EXPECT_EQ(IngestCountry::differences(plain, c.from_scratch(config)), std::vector<std::string>{});
}

}  // namespace
}  // namespace mpdstat
