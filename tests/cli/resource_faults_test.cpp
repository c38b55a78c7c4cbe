// Resource faults: a full disk, an input that cannot be read, a missing day.
// Each ends in a clear one-line error (nothing published, the previous outputs
// intact) or a QA warning — never a partial output marked complete.
#include <gtest/gtest.h>

#include <sys/mount.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/publish.hpp"
#include "synth/generator.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

// A small tmpfs at `dir`, unmounted on destruction; mounted() is false where
// mounting is not permitted (not root, or a container without the right).
class SmallDisk {
public:
    SmallDisk(const fs::path& dir, const char* size) : dir_(dir) {
        fs::create_directories(dir);
        std::string options = std::string("size=") + size;
        mounted_ = ::geteuid() == 0 && ::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
    ~SmallDisk() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }

private:
    fs::path dir_;
    bool mounted_ = false;
};

fs::path faults_scenario(const test::TempDir& t) {
    synth::generate(synth::preset_options("test"), t.path());
    return t / "mpdstat.toml";
}

void set_in_config(const fs::path& config, const std::string& from, const std::string& to) {
    std::string toml = test::slurp(config);
    ASSERT_NE(toml.find(from), std::string::npos);
    toml.replace(toml.find(from), from.size(), to);
    test::spit(config, toml);
}

size_t lines_starting(const std::string& text, const std::string& prefix) {
    size_t n = 0;
    for (size_t at = 0; (at = text.find(prefix, at)) != std::string::npos; ++at) n += at == 0 || text[at - 1] == '\n';
    return n;
}

TEST(ResourceFaults, FullOutputDiskLeavesThePreviousOutputsIntact) {
    test::TempDir t;
    auto config = faults_scenario(t);
    SmallDisk disk(t / "out", "2m");  // room for one set of outputs (about 1.5 MB), not for two
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root and the mount right): disk-full test skipped";
    auto first = test::run_cli("run --force " + config.string());
    ASSERT_EQ(first.exit_code, 0) << first.out;
    const auto previous = test::tree_bytes(t / "out/tier2");
    test::spit(config, test::slurp(config) + "\n[sdc]\nmin_devices = 20\n");

    auto r = test::run_cli("run --force " + config.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(lines_starting(r.out, "mpdstat: error: "), 1u) << r.out;
    EXPECT_TRUE(r.out.find("disk is full") != std::string::npos || r.out.find("No space left") != std::string::npos) << r.out;
    EXPECT_EQ(verify_published(t / "out"), std::vector<std::string>{}) << "the previous outputs are still complete";
    EXPECT_EQ(test::tree_bytes(t / "out/tier2"), previous);
}

TEST(ResourceFaults, FullWorkDiskStopsWithAClearErrorAndPublishesNothing) {
    test::TempDir t;
    auto config = faults_scenario(t);
    SmallDisk disk(t / "work", "1m");  // the store needs about 3 MB
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root and the mount right): disk-full test skipped";
    auto r = test::run_cli("run --force " + config.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(lines_starting(r.out, "mpdstat: error: "), 1u) << r.out;
    // Whichever write meets the full disk first: a store partition or an ingest scratch file.
    EXPECT_TRUE(r.out.find("No space left on device") != std::string::npos || r.out.find("disk full") != std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find((t / "work").string()), std::string::npos) << "the error names the file: " << r.out;
    EXPECT_FALSE(fs::exists(t / "out/manifest.json"));
    EXPECT_FALSE(fs::exists(t / "out/tier2"));
}

TEST(ResourceFaults, UnreadableInputsAreClearErrors) {
    // Root reads any file whatever its mode, so "unreadable" is made with a
    // folder where a file is expected.
    test::TempDir t;
    auto config = faults_scenario(t);
    fs::rename(t / "cells.csv", t / "cells.bak");
    fs::create_directories(t / "cells.csv");
    auto r = test::run_cli("run --force " + config.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("cells.csv: is not a regular file (input.cells)"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(t / "out/manifest.json"));
    fs::remove(t / "cells.csv");
    fs::rename(t / "cells.bak", t / "cells.csv");

    // Every events file a folder: the glob matches no file.
    set_in_config(config, "events = [\"events/*.csv.gz\"]", "events = [\"dirs/*\"]");
    fs::create_directories(t / "dirs/events_2024-03-28.csv.gz");
    r = test::run_cli("run --force " + config.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("no input file matches"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(t / "out/manifest.json"));
}

TEST(ResourceFaults, MissingDayIsAQualityWarningRecordedWithTheOutputs) {
    test::TempDir t;
    auto config = faults_scenario(t);
    fs::remove(t / "events/events_2024-03-30.csv.gz");
    auto r = test::run_cli("run --force " + config.string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("[WARN] missing_days           1 days of the period have no data"), std::string::npos) << r.out;
    auto qa = nlohmann::json::parse(test::slurp(t / "out/qa/ingest.json"));
    EXPECT_EQ(qa["period_days_without_data"], nlohmann::json::array({"2024-03-30"}));
    auto manifest = nlohmann::json::parse(test::slurp(t / "out/manifest.json"));
    EXPECT_EQ(manifest["stages"]["ingest"]["quality_gate"], "WARN") << "the warning travels with the outputs";
    EXPECT_EQ(manifest["outputs"]["status"], "complete");
    EXPECT_TRUE(verify_published(t / "out").empty());
}

}  // namespace
}  // namespace mpdstat
