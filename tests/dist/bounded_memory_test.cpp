// memory_limit far below the input: ingest spills to work_dir many times and
// cleans one bucket at a time, and the outputs are byte for byte the same as
// with a large budget.
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace mpdstat {
namespace {

using namespace mpdstat::test;

TEST(BoundedMemory, TinyLimitGivesIdenticalOutputs) {
    TempDir tmp;
    RunResult synth = run_cli("synth --preset test --out " + (tmp / "big").string());
    ASSERT_EQ(synth.exit_code, 0) << synth.out;
    fs::copy(tmp / "big", tmp / "small", fs::copy_options::recursive);
    // The scenario's config ends with its [run] table.
    spit(tmp / "big" / "mpdstat.toml", slurp(tmp / "big" / "mpdstat.toml") + "memory_limit = \"4GiB\"\nthreads = 2\n");
    spit(tmp / "small" / "mpdstat.toml", slurp(tmp / "small" / "mpdstat.toml") + "memory_limit = \"1MiB\"\nthreads = 2\n");
    RunResult big = run_cli("run --force " + (tmp / "big" / "mpdstat.toml").string());
    ASSERT_EQ(big.exit_code, 0) << big.out;
    RunResult small = run_cli("run --force " + (tmp / "small" / "mpdstat.toml").string());
    ASSERT_EQ(small.exit_code, 0) << small.out;

    // The test preset's rows take several MiB in memory: 1 MiB forces spills.
    std::string manifest = slurp(tmp / "small" / "out" / "manifest.json");
    EXPECT_NE(manifest.find("\"memory_limit\": 1048576"), std::string::npos);
    EXPECT_EQ(manifest.find("\"memory_spills\": 0,"), std::string::npos) << "no spill with a 1 MiB budget";
    auto a = tree_bytes(tmp / "big" / "out" / "tier2");
    auto b = tree_bytes(tmp / "small" / "out" / "tier2");
    ASSERT_GT(a.size(), 5u);
    EXPECT_EQ(a, b);
    EXPECT_EQ(slurp(tmp / "big" / "out" / "qa" / "ingest.json"), slurp(tmp / "small" / "out" / "qa" / "ingest.json"));
}

}  // namespace
}  // namespace mpdstat
