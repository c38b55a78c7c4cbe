#include "ingest/row_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace mpdstat {
namespace {

// sort_rows gives the order of a stable sort by row_order_less.
void expect_sorted_like_stable_sort(std::vector<IngestRow> rows) {
    std::vector<IngestRow> expected = rows;
    std::stable_sort(expected.begin(), expected.end(), row_order_less);
    sort_rows(rows);
    ASSERT_EQ(rows.size(), expected.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].event.device, expected[i].event.device) << i;
        ASSERT_EQ(rows[i].event.time_ms, expected[i].event.time_ms) << i;
        ASSERT_EQ(rows[i].file, expected[i].file) << i;
        ASSERT_EQ(rows[i].line, expected[i].line) << i;
        ASSERT_EQ(rows[i].event.cell, expected[i].event.cell) << i;
    }
}

TEST(RowOrder, SortsLikeTheFullComparisonWithTiesByFileAndLine) {
    std::mt19937_64 rng(7);
    std::vector<IngestRow> rows(20000);
    for (auto& r : rows) {
        // Few devices and times, so equal (device, time) pairs are common.
        r.event.device = rng() % 50;
        r.event.time_ms = int64_t(rng() % 40);
        r.file = uint32_t(rng() % 3);
        r.line = rng() % 1000000;
        r.event.cell = uint32_t(rng());
    }
    expect_sorted_like_stable_sort(rows);
}

TEST(RowOrder, DevicesOverTheWholeRangeAreBinnedInOrder) {
    // Pseudonyms are uniform 64-bit hashes: the sort deals them into bins by
    // their top bits; the result must still be the full order.
    std::mt19937_64 rng(11);
    std::vector<uint64_t> devices(3000);
    for (auto& d : devices) d = rng();
    devices[0] = 0;
    devices[1] = ~uint64_t(0);
    std::vector<IngestRow> rows(100000);
    for (size_t i = 0; i < rows.size(); ++i) {
        IngestRow& r = rows[i];
        r.event.device = devices[rng() % devices.size()];
        r.event.time_ms = int64_t(rng() % 500);
        r.file = uint32_t(rng() % 2);
        r.line = i;
    }
    expect_sorted_like_stable_sort(rows);
}

TEST(RowOrder, OneScratchSortsBucketsOfEverySizeInTurn) {
    // As cleaning uses it: one scratch for bucket after bucket, its vectors
    // swapped with the caller's, larger and smaller buckets in turn. Rows come
    // as files give them, each device's in time order, interleaved.
    std::mt19937_64 rng(5);
    RowSortScratch scratch;
    for (size_t n : {50000u, 300u, 0u, 1u, 120000u, 7000u}) {
        std::vector<uint64_t> devices(n / 100 + 1);
        for (auto& d : devices) d = rng();
        std::vector<IngestRow> rows(n);
        for (size_t i = 0; i < n; ++i) {
            rows[i].event.device = devices[rng() % devices.size()];
            rows[i].event.time_ms = int64_t(i / 3);  // ties within a device now and then
            rows[i].line = i;
        }
        std::vector<IngestRow> expected = rows;
        std::stable_sort(expected.begin(), expected.end(), row_order_less);
        sort_rows(rows, scratch);
        ASSERT_EQ(rows.size(), n);
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(rows[i].line, expected[i].line) << "n " << n << ", row " << i;
    }
}

TEST(RowOrder, HandOrderedExample) {
    auto row = [](uint64_t d, int64_t t, uint32_t f, uint64_t l) {
        IngestRow r;
        r.event.device = d;
        r.event.time_ms = t;
        r.file = f;
        r.line = l;
        return r;
    };
    std::vector<IngestRow> rows{row(2, 5, 0, 1), row(1, 9, 0, 2), row(1, 3, 1, 4), row(1, 3, 0, 9), row(1, 3, 1, 2)};
    sort_rows(rows);
    std::vector<std::pair<uint32_t, uint64_t>> got;
    for (const auto& r : rows) got.emplace_back(r.file, r.line);
    EXPECT_EQ(got, (std::vector<std::pair<uint32_t, uint64_t>>{{0, 9}, {1, 2}, {1, 4}, {0, 2}, {0, 1}}));
}

}  // namespace
}  // namespace mpdstat
