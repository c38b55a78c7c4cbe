// Truncated and corrupted files never crash the reader: every outcome is
// either a file read or a data error (mpdstat::Error). Runs under ASan and
// UBSan in CI's sanitizer build, which turns any out-of-bounds access into a failure.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <random>

#include "common/error.hpp"
#include "parquet/file_reader.hpp"
#include "test_util.hpp"

namespace mpdstat::parquet {
namespace {

// Reads the whole file; true when it read, false on a data error. Any other
// exception escapes and fails the test.
bool reads(const std::string& bytes) {
    try {
        read_all_for_fuzz(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
        return true;
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 1);
        EXPECT_NE(std::string(e.what()).find("fuzz input: "), std::string::npos) << e.what();
        return false;
    }
}

class CorruptFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CorruptFixture, TruncatedAtEveryByteIsADataError) {
    const std::string file = test::slurp(test::fixture("parquet/" + GetParam()));
    ASSERT_TRUE(reads(file));
    for (size_t n = 0; n < file.size(); ++n) EXPECT_FALSE(reads(file.substr(0, n))) << "cut at " << n;
}

// The footer kept, the data cut short: column chunks that point past the data.
TEST_P(CorruptFixture, BytesRemovedBeforeTheFooterAreADataError) {
    const std::string file = test::slurp(test::fixture("parquet/" + GetParam()));
    uint32_t footer_len;
    std::memcpy(&footer_len, file.data() + file.size() - 8, 4);
    const size_t footer_start = file.size() - 8 - footer_len;
    for (size_t cut = 4; cut < footer_start; cut += 7) {
        std::string damaged = file.substr(0, cut) + file.substr(footer_start);
        reads(damaged);  // may read nothing sensible, must not crash
    }
}

TEST_P(CorruptFixture, FlippedBytesNeverCrash) {
    const std::string file = test::slurp(test::fixture("parquet/" + GetParam()));
    std::mt19937_64 rng(20240105);
    int failures = 0;
    for (int round = 0; round < 1500; ++round) {
        std::string damaged = file;
        int flips = 1 + int(rng() % 4);
        for (int k = 0; k < flips; ++k) {
            size_t at = rng() % damaged.size();
            damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(1 + rng() % 255));
        }
        failures += !reads(damaged);
    }
    EXPECT_GT(failures, 0);  // the damage is noticed, not always read as data
}

INSTANTIATE_TEST_SUITE_P(SmallDuckDbFiles, CorruptFixture,
                         ::testing::Values("types_v2_zstd.parquet", "types_v1_snappy.parquet", "types_v2_gzip.parquet",
                                           "types_v1_uncompressed.parquet", "types_v2_uncompressed.parquet",
                                           "row_groups_v2_zstd.parquet", "ingest/events_typed.parquet",
                                           "ingest/cells.parquet"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

}  // namespace
}  // namespace mpdstat::parquet
