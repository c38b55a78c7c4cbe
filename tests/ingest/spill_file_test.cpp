#include "ingest/spill_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

uint32_t bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

// Every field equal, floats bit for bit (NaN payloads and -0 included).
bool same_fields(const IngestRow& a, const IngestRow& b) {
    const Event &x = a.event, &y = b.event;
    return x.device == y.device && x.time_ms == y.time_ms && x.cell == y.cell && x.duration_s == y.duration_s &&
           x.mcc == y.mcc && x.mnc == y.mnc && x.serving_mcc == y.serving_mcc && x.serving_mnc == y.serving_mnc &&
           bits(x.lat) == bits(y.lat) && bits(x.lon) == bits(y.lon) && x.type == y.type && x.domain == y.domain &&
           x.flags == y.flags && a.file == b.file && a.pad == b.pad && a.line == b.line;
}

std::vector<IngestRow> random_rows(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<IngestRow> rows(n);
    for (size_t i = 0; i < n; ++i) {
        IngestRow r;
        Event& e = r.event;
        e.device = rng();
        e.time_ms = int64_t(1'700'000'000'000LL + int64_t(rng() % 1'000'000'000)) * (rng() % 50 == 0 ? -1 : 1);
        e.cell = rng() % 7 == 0 ? kNoCell : uint32_t(rng() % 100000);
        e.duration_s = rng() % 5 == 0 ? uint32_t(rng()) : uint32_t(rng() % 600);
        e.mcc = uint16_t(rng() % 3 == 0 ? rng() : 608);
        e.mnc = uint16_t(rng() % 4);
        e.serving_mcc = uint16_t(rng() % 9 == 0 ? 208 : 0);
        e.serving_mnc = uint16_t(rng() % 2);
        if (rng() % 4 == 0) {
            e.lat = float(rng() % 18000) / 100.f - 90.f;
            e.lon = -0.0f;
        }
        e.type = EventType(rng() % 5);
        e.domain = Domain(rng() % 3);
        e.flags = uint8_t(rng() % 4);
        r.file = uint32_t(rng() % 3 == 0 ? rng() : 1);
        r.pad = rng() % 100 == 0 ? uint32_t(rng()) : 0;
        r.line = rng() % 10 == 0 ? rng() : i + 2;
        rows[i] = r;
    }
    return rows;
}

TEST(SpillFile, BlocksReadBackByteForByte) {
    fs::path p = fs::temp_directory_path() / ("mpdstat-spill-test-" + std::to_string(::getpid()));
    fs::remove(p);
    std::vector<IngestRow> a = random_rows(5000, 1), b = random_rows(1, 2), c = random_rows(20000, 3);
    append_spill(p, a);
    append_spill(p, b);
    append_spill(p, std::span<const IngestRow>());
    append_spill(p, c);
    EXPECT_EQ(spill_rows(p), a.size() + b.size() + c.size());
    std::vector<IngestRow> got = random_rows(3, 4), expected;  // read_spill appends
    // In a loop: GCC 12 at -O3 in a unity build takes the inserts after a 3-row copy for overflows.
    for (const auto* rows : {&got, &a, &b, &c}) expected.insert(expected.end(), rows->begin(), rows->end());
    read_spill(p, got);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) ASSERT_TRUE(same_fields(got[i], expected[i])) << i;
    fs::remove(p);
}

TEST(SpillFile, MissingFileHoldsNoRowsAndShortFileIsAnError) {
    fs::path p = fs::temp_directory_path() / ("mpdstat-spill-test-short-" + std::to_string(::getpid()));
    fs::remove(p);
    std::vector<IngestRow> rows;
    read_spill(p, rows);
    EXPECT_TRUE(rows.empty());
    EXPECT_EQ(spill_rows(p), 0u);
    append_spill(p, random_rows(100, 5));
    fs::resize_file(p, fs::file_size(p) - 3);
    EXPECT_THROW(read_spill(p, rows), std::exception);
    fs::remove(p);
}

}  // namespace
}  // namespace mpdstat
