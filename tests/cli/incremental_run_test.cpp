// `mpdstat run --incremental` (devices/pass_cache.hpp): the store buckets
// whose partitions and pass settings are unchanged are loaded from
// work_dir/pass_cache, the others recomputed, and every Tier II file is
// byte-identical to a run from scratch over the same store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/day_files_country.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

struct Country : test::DayFilesCountry {
    // A config over the first `days` event files, with `extra` appended.
    fs::path config(size_t days, const std::string& extra = "", const std::string& name = "run.toml") const {
        std::string t = toml_over(days);
        std::string tail = extra;
        if (tail.rfind("[run]\n", 0) == 0) {  // settings of the config's own [run] table
            t.replace(t.find("[run]\n"), 6, tail);
            tail.clear();
        }
        fs::path p = dir / name;
        test::spit(p, t + "\n[store]\nbuckets = 8\n" + tail);
        return p;
    }
    std::string run(const fs::path& config, const std::string& flags = "") const {
        auto r = test::run_cli("run --force " + flags + " " + config.string());
        EXPECT_EQ(r.exit_code, 0) << r.out;
        return r.out;
    }
    std::map<std::string, std::string> tier2() const { return test::tree_bytes(dir / "out/tier2"); }
    nlohmann::json incremental() const {
        return nlohmann::json::parse(test::slurp(dir / "out/manifest.json"))["stages"]["indicators"]["incremental"];
    }
    // Tier II of a run from scratch (no store, no cache) with `config`.
    std::map<std::string, std::string> from_scratch(const fs::path& config) const {
        fs::remove_all(dir / "work");
        fs::remove_all(dir / "out");
        run(config);
        return tier2();
    }
};

TEST(IncrementalRun, AddingADayGivesTheFilesOfAFullRun) {
    Country c;
    ASSERT_EQ(c.day_files.size(), 4u);
    c.run(c.config(3), "--incremental");
    const std::string out = c.run(c.config(4), "--incremental");
    EXPECT_NE(out.find("Incremental: "), std::string::npos) << out;
    const auto incremental = c.tier2();
    const auto summary = c.incremental();
    EXPECT_EQ(summary["days_new"], 1) << summary;
    EXPECT_EQ(summary["days_unchanged"], 3) << summary;
    // Every bucket holds devices active on the new day, so each is recomputed.
    EXPECT_EQ(summary["buckets_recomputed"], 8) << summary;
    ASSERT_GT(incremental.size(), 10u);
    EXPECT_EQ(incremental, c.from_scratch(c.config(4)));
}

TEST(IncrementalRun, OnlyTheBucketsOfAChangedDayOrADamagedStateAreRecomputed) {
    Country c;
    c.run(c.config(4, "[run]\nthreads = 2\n", "two.toml"), "--incremental");  // the cache does not depend on the thread count
    // Unchanged inputs: everything is reused.
    c.run(c.config(4, "[run]\nthreads = 1\n", "one.toml"), "--incremental");
    EXPECT_EQ(c.incremental()["buckets_reused"], 8) << c.incremental();
    EXPECT_EQ(c.incremental()["days_unchanged"], 4) << c.incremental();

    // Re-ingest day 2 without one event (the first data line): one device, one bucket.
    const fs::path day2 = c.dir / c.day_files[1];
    std::string text = test::slurp(day2);
    const size_t first = text.find('\n') + 1;
    text.erase(first, text.find('\n', first) + 1 - first);
    test::spit(day2, text);
    const fs::path config = c.config(4);
    c.run(config, "--incremental");
    const auto summary = c.incremental();
    EXPECT_EQ(summary["days_changed"], 1) << summary;
    EXPECT_EQ(summary["days_unchanged"], 3) << summary;
    EXPECT_EQ(summary["buckets_recomputed"], 1) << summary;
    EXPECT_EQ(summary["buckets_reused"], 7) << summary;
    EXPECT_FALSE(summary["settings_changed"].get<bool>());
    const auto incremental = c.tier2();

    // A damaged state file is reported, naming it, and its bucket recomputed.
    fs::path state = c.dir / "work/pass_cache/bucket-0003.state";
    std::string bytes = test::slurp(state);
    bytes[bytes.size() / 2] ^= 1;
    test::spit(state, bytes);
    const std::string out = c.run(config, "--incremental");
    EXPECT_NE(out.find("bucket-0003.state: corrupt pass cache state"), std::string::npos) << out;
    EXPECT_EQ(c.incremental()["buckets_recomputed"], 1) << c.incremental();
    EXPECT_EQ(c.tier2(), incremental);

    EXPECT_EQ(incremental, c.from_scratch(config));
}

TEST(IncrementalRun, ChangedPassSettingsRecomputeEverythingDisclosureSettingsDoNot) {
    Country c;
    c.run(c.config(4), "--incremental");
    // A disclosure setting acts after the pass: the cache stays valid.
    const fs::path stricter = c.config(4, "[sdc]\nmin_devices = 20\n", "sdc.toml");
    c.run(stricter, "--incremental");
    EXPECT_EQ(c.incremental()["buckets_reused"], 8) << c.incremental();
    const auto strict_incremental = c.tier2();
    // An indicator parameter: every bucket is recomputed, and the summary says why.
    const std::string out = c.run(c.config(4, "[indicators]\npresent_interval_minutes = 120\n", "hourly.toml"), "--incremental");
    EXPECT_NE(out.find("settings the pass depends on changed"), std::string::npos) << out;
    EXPECT_EQ(c.incremental()["buckets_reused"], 0) << c.incremental();
    EXPECT_TRUE(c.incremental()["settings_changed"].get<bool>());
    EXPECT_EQ(strict_incremental, c.from_scratch(stricter));
}

}  // namespace
}  // namespace mpdstat
