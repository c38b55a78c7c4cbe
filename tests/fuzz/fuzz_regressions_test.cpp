// Every input that crashed a fuzz target (tests/data/fuzz/<target>/) and the
// committed seed corpus (fuzz/corpus/<target>/) replayed through the real
// target code, so that a fixed crash stays fixed in the ordinary and the
// sanitizer test runs; plus the behaviour each fix promised.
#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/timestamp_parser.hpp"
#include "test_util.hpp"

// The targets' entry points under distinct names (they all define the libFuzzer one).
#define LLVMFuzzerTestOneInput fuzz_csv_timestamp_one
#include "../fuzz/fuzz_csv_timestamp.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_config_one
#include "../fuzz/fuzz_config.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_partition_one
#include "../fuzz/fuzz_partition.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_parquet_one
#include "../fuzz/fuzz_parquet.cpp"
#undef LLVMFuzzerTestOneInput

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

// Replays every file of the crash folder and the corpus; returns how many.
size_t replay(const std::string& target, int (*one)(const uint8_t*, size_t)) {
    size_t n = 0;
    for (fs::path dir : {test::fixture("fuzz/" + target), fs::path(MPDSTAT_SOURCE_DIR) / "fuzz/corpus" / target}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            std::string bytes = test::slurp(e.path());
            EXPECT_EQ(one(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0) << e.path();
            ++n;
        }
    }
    return n;
}

TEST(FuzzRegressions, CsvAndTimestampInputsReplay) { EXPECT_GE(replay("csv_timestamp", fuzz_csv_timestamp_one), 9u); }
TEST(FuzzRegressions, ConfigInputsReplay) { EXPECT_GE(replay("config", fuzz_config_one), 3u); }
TEST(FuzzRegressions, PartitionInputsReplay) { EXPECT_GE(replay("partition", fuzz_partition_one), 2u); }
TEST(FuzzRegressions, ParquetInputsReplay) { EXPECT_GE(replay("parquet", fuzz_parquet_one), 7u); }

// Found by fuzz_csv_timestamp: a 16-digit epoch overflowed int64 when scaled
// to milliseconds (undefined behaviour). It is now refused as implausible.
TEST(FuzzRegressions, HugeEpochIsRefusedNotOverflowed) {
    TimestampParser s("epoch_s", "UTC"), ms("epoch_ms", "UTC");
    EXPECT_FALSE(s.parse("9999999999999999"));
    EXPECT_FALSE(s.parse("-9223372036854775808"));
    EXPECT_FALSE(s.parse("9223372036854775807.5"));
    EXPECT_FALSE(ms.parse("9223372036854775807"));
    EXPECT_EQ(s.parse("1711600000"), 1711600000000LL);
}

}  // namespace
}  // namespace mpdstat
