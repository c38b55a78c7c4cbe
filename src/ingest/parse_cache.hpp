#pragma once
// Tier I cache of what parsing each input file produced, in
// work_dir/ingest_cache/, so that `ingest --incremental` (and `run
// --incremental`) reads and parses only the files it has not seen: a daily
// run re-reads one new day, not the whole period. Cleaning (the device rules)
// still runs over every row of the period, from the cached rows, so the store,
// quarantine and QA report are byte-identical to a full ingest.
//
// An entry is valid for one input file's content (SHA-256), its place in the
// input list and its displayed name, under one parse fingerprint
// (common/run_fingerprint.hpp). Its rows are the parse stage's accepted rows,
// grouped in blocks by store bucket, in the spill encoding
// (ingest/spill_file.hpp):
//
//   "MPDPRS01" | records... | trailer (archive) | u64 trailer size | u32 CRC-32 | u32 0 | "MPDPEND1"
//   record: u64 tag | tag < buckets: a spill block of bucket `tag` (+ u32 CRC-32 of its payload)
//                   | tag = kQuarantineTag: u64 size | parse-stage quarantine lines
//
// The CRC-32 at the end covers everything but the row payloads (which carry
// their own): record headers, quarantine lines and trailer, checked on opening.
// Entries are written under a temporary name and renamed when complete.
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <ostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_time.hpp"
#include "ingest/reject_reason.hpp"
#include "ingest/spill_file.hpp"

namespace mpdstat {

// What parsing one input file produced besides its rows: the reading
// counts of the QA report, in the order the parse stage met them.
struct ParsedFileSummary {
    uint64_t size = 0;            // bytes on disk
    std::string compression;
    uint64_t records = 0;
    RejectCounts rejects{};
    // Unknown cell ids in order of first appearance, with the file's totals; at
    // most kUnknownCellsKept (the QA's own cap: an id not among the first that
    // many can never enter it).
    std::vector<std::pair<std::string, uint64_t>> unknown_cells;
    static constexpr size_t kUnknownCellsKept = 100000;
    std::set<Day> days;           // local days of the accepted rows
};

// A complete entry: its summary, and where its rows and quarantine lines are.
struct ParseCacheEntry {
    std::filesystem::path path;
    ParsedFileSummary summary;
    std::vector<std::vector<SpillBlock>> blocks;  // by bucket
    std::vector<std::pair<uint64_t, uint64_t>> quarantine;  // (offset, size) of each text block
    uint64_t rows(int bucket) const;
    // Appends the entry's quarantine lines to `out`.
    void copy_quarantine(std::ostream& out) const;
};

// Writes one entry, a parsed chunk at a time, in input order.
class ParseCacheWriter {
public:
    ParseCacheWriter(std::filesystem::path final_path, std::filesystem::path temp_path, int buckets);
    ~ParseCacheWriter();
    ParseCacheWriter(const ParseCacheWriter&) = delete;
    ParseCacheWriter& operator=(const ParseCacheWriter&) = delete;

    // One parsed chunk: its encoded row blocks (encode_chunk_blocks) and quarantine lines.
    void add(std::string_view encoded_blocks, std::string_view quarantine);
    // Writes the trailer. `keep`: renamed into the cache; otherwise left at the
    // temporary path for this ingest only (the caller removes it).
    ParseCacheEntry finish(const ParsedFileSummary& summary, bool keep);

private:
    std::filesystem::path final_, temp_;
    std::FILE* f_ = nullptr;
    uint64_t at_ = 0;
    uint32_t crc_ = 0;  // of all but the row payloads
    ParseCacheEntry entry_;
};

// Encodes a chunk's accepted rows (by bucket) as the records of an entry.
void encode_chunk_blocks(const std::vector<std::vector<IngestRow>>& rows_by_bucket, std::string& out);

class ParseCache {
public:
    ParseCache(std::filesystem::path dir, std::string fingerprint);

    // The entry name for the file at `index` of the input list.
    std::string key(size_t index, std::string_view shown_name, std::string_view sha256) const;
    // The complete entry named `key`; nullopt when there is none, or when it
    // is malformed (reported on stderr, naming it, and removed).
    std::optional<ParseCacheEntry> open(const std::string& key, int buckets) const;
    std::unique_ptr<ParseCacheWriter> writer(const std::string& key, const std::filesystem::path& temp_dir,
                                             int buckets) const;
    // Removes every entry not named in `keys` (files no longer in the input
    // list, or parsed under other settings).
    void keep_only(const std::set<std::string>& keys) const;

    const std::filesystem::path& dir() const noexcept { return dir_; }

private:
    std::filesystem::path dir_;
    std::string fingerprint_;
};

}  // namespace mpdstat
