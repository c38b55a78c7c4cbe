// The identities stage caches are keyed by (common/run_fingerprint.hpp): what
// changes a result changes its fingerprint, what does not leaves it alone.
#include "common/run_fingerprint.hpp"

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/config_test_util.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

struct Scenario {
    test::TempDir dir;
    Scenario() { test::spit(dir / "cells.csv", "cell_id,lat,lon\nA,14.7,-17.4\n"); }
    std::string parse(const std::string& extra = "", const std::string& key = "key1") const {
        Config c = parse_config(test::kMinimalConfig + extra, dir.path(), "test.toml");
        return parse_fingerprint(c, key);
    }
};

TEST(ParseFingerprint, SettingsThatChangeParsingChangeIt) {
    Scenario s;
    const std::string base = s.parse();
    EXPECT_EQ(base.size(), 64u);
    EXPECT_EQ(base, s.parse());
    EXPECT_NE(base, s.parse("", "key2"));                                    // another pseudonymisation key
    EXPECT_NE(base, s.parse("[cleaning]\nbbox = [-18, 12, -11, 17]\n"));      // the row rules' bounding box
    EXPECT_NE(base, s.parse("[input.cell_columns]\ncell_id = \"cgi\"\n"));   // how the cell plan is read
    EXPECT_NE(base, s.parse("[store]\nbuckets = 8\n"));                      // rows are grouped by bucket
    test::spit(s.dir / "cells.csv", "cell_id,lat,lon\nA,14.7,-17.5\n");       // the cell plan
    EXPECT_NE(base, s.parse());
}

TEST(ParseFingerprint, TheFileListDeviceRulesDisclosureAndResourcesDoNotChangeIt) {
    Scenario s;
    const std::string base = s.parse();
    std::string other_files = test::kMinimalConfig;
    other_files.replace(other_files.find("events/*.csv"), 12, "more/*.csv");
    EXPECT_EQ(base, parse_fingerprint(parse_config(other_files, s.dir.path(), "test.toml"), "key1"));
    EXPECT_EQ(base, s.parse("[sdc]\nmin_devices = 30\n"));
    EXPECT_EQ(base, s.parse("[cleaning]\njump_speed_mps = 30\nmachine_min_events = 50\n"));  // device rules act later
    std::string resources = test::kMinimalConfig;
    resources.replace(resources.find("[run]\n"), 6, "[run]\nthreads = 1\nmemory_limit = \"1GiB\"\n");
    EXPECT_EQ(base, parse_fingerprint(parse_config(resources, s.dir.path(), "test.toml"), "key1"));
}

TEST(Sha256Text, KnownDigest) {
    EXPECT_EQ(sha256_text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace mpdstat
