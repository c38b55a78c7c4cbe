#pragma once
// The indicators' tables before disclosure control, saved in work_dir so that
// `run --resume` can release them without a second per-device pass. They hold
// unprotected small counts: Tier I, never written outside work_dir.
//
//   "MPDTABS" 0x01 | u64 body length | body | SHA-256 of the body (32 bytes)
//
// The body is a simple length-prefixed binary encoding of each table; values
// are the doubles' own bits, so released files are byte-identical to those of
// an uninterrupted run.
#include <filesystem>
#include <memory>
#include <vector>

#include "common/atomic_file.hpp"
#include "privacy/aggregate_table.hpp"

namespace mpdstat {

void save_table_snapshot(const std::filesystem::path& path, const std::vector<AggregateTable>& tables);
// The same in two steps: the bytes go to a temporary file now, and commit()
// (fsync, rename) can run on another thread while the tables are released.
std::unique_ptr<AtomicFile> stage_table_snapshot(const std::filesystem::path& path,
                                                 const std::vector<AggregateTable>& tables);

// data_error naming the file when it is missing, truncated or fails its checksum.
std::vector<AggregateTable> load_table_snapshot(const std::filesystem::path& path);

}  // namespace mpdstat
