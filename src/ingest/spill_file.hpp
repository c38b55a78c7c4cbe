#pragma once
// Spill files of ingest: rows of one bucket written to work_dir when the
// buffered rows reach their share of memory_limit, read back when the bucket
// is cleaned. Each write appends one block of rows in a compact, lossless
// encoding (about a third of the 64-byte rows: fresh page-cache pages cost
// more than the encoding on the machines ingest runs on).
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "ingest/row_parser.hpp"

namespace mpdstat {

// Appends `rows` as one block; throws runtime_error when the file cannot be written.
void append_spill(const std::filesystem::path& path, std::span<const IngestRow> rows);

// Appends every row of the file's blocks to `rows`, in the order written. A
// missing file holds no rows. Throws runtime_error on a short or corrupt file.
void read_spill(const std::filesystem::path& path, std::vector<IngestRow>& rows);

// The number of rows the file holds (reads only the block headers).
uint64_t spill_rows(const std::filesystem::path& path);

// One block of the same encoding inside a larger file (the ingest's parse
// cache, ingest/parse_cache.hpp): where its payload starts, its row count and
// payload size, and the CRC-32 of the payload.
struct SpillBlock {
    uint64_t offset = 0, rows = 0, bytes = 0;
    uint32_t crc32 = 0;
};

// Appends one encoded block of `rows` to `out`: the row count (8 bytes), the
// payload size (8 bytes), then the payload. Returns the payload's CRC-32.
uint32_t encode_spill_block(std::span<const IngestRow> rows, std::string& out);

// Appends the rows of `blocks` of the file at `path` to `rows`, in block order.
// Throws runtime_error naming the file when a block is short or its CRC-32 or
// encoding is wrong.
void read_spill_blocks(const std::filesystem::path& path, std::span<const SpillBlock> blocks,
                       std::vector<IngestRow>& rows);

}  // namespace mpdstat
