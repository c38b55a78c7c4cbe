// The ingest's parse cache (ingest/parse_cache.hpp): an entry written a
// chunk at a time is read back whole (rows by bucket, quarantine lines in
// order, the reading counts); a damaged entry is refused, never half-used.
#include "ingest/parse_cache.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

IngestRow row(uint64_t device, int64_t time_ms, uint32_t cell, uint64_t line) {
    IngestRow r;
    r.event.device = device;
    r.event.time_ms = time_ms;
    r.event.cell = cell;
    r.file = 3;
    r.line = line;
    return r;
}

// Two chunks over 4 buckets: bucket 1 gets rows from both, bucket 2 none.
struct Written {
    test::TempDir dir;
    ParseCache cache{dir / "cache", "fingerprint"};
    std::string key = cache.key(3, "events/day1.csv", "abc");
    ParsedFileSummary summary;
    ParseCacheEntry entry;
    Written() {
        fs::create_directories(dir / "tmp");
        auto w = cache.writer(key, dir / "tmp", 4);
        std::vector<std::vector<IngestRow>> chunk1(4), chunk2(4);
        chunk1[0] = {row(8, 1000, 5, 2), row(8, 2000, 6, 3)};
        chunk1[1] = {row(1, 500, 7, 4)};
        chunk2[1] = {row(5, 100, 1, 9)};
        chunk2[3] = {row(3, 300, 2, 10), row(3, 200, 2, 11), row(4, 50, 0, 12)};
        std::string blocks;
        encode_chunk_blocks(chunk1, blocks);
        w->add(blocks, "q1\n");
        blocks.clear();
        encode_chunk_blocks(chunk2, blocks);
        w->add(blocks, "");
        w->add("", "q2\nq3\n");
        summary.size = 1234;
        summary.compression = "gzip";
        summary.records = 9;
        summary.rejects[2] = 3;
        summary.unknown_cells = {{"X1", 3}, {"X2", 1}};
        summary.days = {19800, 19801};
        entry = w->finish(summary, true);
    }
    fs::path path() const { return dir / "cache" / (key + ".parsed"); }
};

std::vector<std::pair<uint64_t, uint64_t>> devices_lines(const ParseCacheEntry& e, int bucket) {
    std::vector<IngestRow> rows;
    read_spill_blocks(e.path, e.blocks[size_t(bucket)], rows);
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (const auto& r : rows) out.emplace_back(r.event.device, r.line);
    return out;
}

TEST(ParseCache, AnEntryReadsBackAsWritten) {
    Written w;
    EXPECT_EQ(w.entry.path, w.path());
    auto e = w.cache.open(w.key, 4);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->rows(0), 2u);
    EXPECT_EQ(e->rows(1), 2u);
    EXPECT_EQ(e->rows(2), 0u);
    EXPECT_EQ(e->rows(3), 3u);
    using V = std::vector<std::pair<uint64_t, uint64_t>>;
    EXPECT_EQ(devices_lines(*e, 1), (V{{1, 4}, {5, 9}}));
    EXPECT_EQ(devices_lines(*e, 3), (V{{3, 10}, {3, 11}, {4, 12}}));
    std::vector<IngestRow> rows;
    read_spill_blocks(e->path, e->blocks[0], rows);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].event.time_ms, 2000);
    EXPECT_EQ(rows[1].event.cell, 6u);
    EXPECT_EQ(rows[1].file, 3u);
    std::ostringstream q;
    e->copy_quarantine(q);
    EXPECT_EQ(q.str(), "q1\nq2\nq3\n");
    EXPECT_EQ(e->summary.size, 1234u);
    EXPECT_EQ(e->summary.compression, "gzip");
    EXPECT_EQ(e->summary.records, 9u);
    EXPECT_EQ(e->summary.rejects[2], 3u);
    EXPECT_EQ(e->summary.unknown_cells, w.summary.unknown_cells);
    EXPECT_EQ(e->summary.days, w.summary.days);
    // The writer's own index is the one open() finds.
    for (int b = 0; b < 4; ++b) EXPECT_EQ(w.entry.rows(b), e->rows(b)) << b;
}

TEST(ParseCache, EveryPartOfTheKeyNamesAnotherEntry) {
    test::TempDir dir;
    ParseCache a(dir / "c", "fingerprint"), b(dir / "c", "other settings");
    const std::string k = a.key(0, "events/d.csv", "sum");
    EXPECT_NE(k, b.key(0, "events/d.csv", "sum"));
    EXPECT_NE(k, a.key(1, "events/d.csv", "sum"));
    EXPECT_NE(k, a.key(0, "events/e.csv", "sum"));
    EXPECT_NE(k, a.key(0, "events/d.csv", "other"));
    EXPECT_EQ(k, a.key(0, "events/d.csv", "sum"));
    EXPECT_FALSE(a.open(k, 4));  // none yet
}

TEST(ParseCache, AnEntryLeftAtItsTemporaryPathIsNotInTheCache) {
    test::TempDir dir;
    ParseCache cache(dir / "cache", "f");
    fs::create_directories(dir / "tmp");
    auto w = cache.writer("k", dir / "tmp", 2);
    std::vector<std::vector<IngestRow>> rows(2);
    rows[1] = {row(1, 1, 1, 1)};
    std::string blocks;
    encode_chunk_blocks(rows, blocks);
    w->add(blocks, "");
    const ParseCacheEntry e = w->finish({}, false);  // e.g. a truncated file
    EXPECT_EQ(e.path, dir / "tmp" / "k.parsed");
    EXPECT_EQ(devices_lines(e, 1).size(), 1u);  // usable by this ingest
    EXPECT_FALSE(cache.open("k", 2));
}

TEST(ParseCache, AnIncompleteOrForeignEntryIsRefusedAndRemoved) {
    {
        Written w;
        std::string bytes = test::slurp(w.path());
        test::spit(w.path(), bytes.substr(0, bytes.size() - 5));  // cut short
        EXPECT_FALSE(w.cache.open(w.key, 4));
        EXPECT_FALSE(fs::exists(w.path()));
    }
    {
        Written w;
        EXPECT_FALSE(w.cache.open(w.key, 2));  // a block of bucket 3 under 2 buckets
        EXPECT_FALSE(fs::exists(w.path()));
    }
    // A flipped bit outside the row payloads: in a quarantine line, in the trailer's counts.
    for (const std::string& where : {std::string("q2\nq3"), std::string("gzip")}) {
        Written w;
        std::string bytes = test::slurp(w.path());
        const size_t at = bytes.find(where);
        ASSERT_NE(at, std::string::npos) << where;
        bytes[at + 1] ^= 0x01;
        test::spit(w.path(), bytes);
        EXPECT_FALSE(w.cache.open(w.key, 4)) << where;
        EXPECT_FALSE(fs::exists(w.path())) << where;
    }
}

TEST(ParseCache, ADamagedBlockIsAnErrorWhenRead) {
    Written w;
    auto e = w.cache.open(w.key, 4);
    ASSERT_TRUE(e);
    std::string bytes = test::slurp(w.path());
    const SpillBlock& b = e->blocks[3][0];
    bytes[b.offset + b.bytes / 2] ^= 0x10;
    test::spit(w.path(), bytes);
    std::vector<IngestRow> rows;
    EXPECT_THROW(read_spill_blocks(e->path, e->blocks[3], rows), Error);
    rows.clear();
    read_spill_blocks(e->path, e->blocks[1], rows);  // the other blocks are intact
    EXPECT_EQ(rows.size(), 2u);
}

TEST(ParseCache, KeepOnlyRemovesTheOtherEntries) {
    Written w;
    test::spit(w.dir / "cache" / "stale.parsed", "x");
    test::spit(w.dir / "cache" / "notes.txt", "x");
    w.cache.keep_only({w.key});
    EXPECT_TRUE(fs::exists(w.path()));
    EXPECT_FALSE(fs::exists(w.dir / "cache" / "stale.parsed"));
    EXPECT_FALSE(fs::exists(w.dir / "cache" / "notes.txt"));
}

}  // namespace
}  // namespace mpdstat
