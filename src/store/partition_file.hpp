#pragma once
// One partition of the event store: the events of one local day and one
// device bucket, sorted by (device, time), as a small columnar file:
//
//   "MPDSTOR" version | u32 header length | header (JSON) | u32 CRC-32 of header | column blocks
//
// The header names the format version, the schema, counts, the time range and,
// per column, its encoding, offset, sizes and the CRC-32 of its stored bytes.
// Columns are delta-encoded where sorted (device, time), integers as varints
// (format 2; format 1, still read, kept them at fixed width), and zstd-compressed.
// Cell ids are kept as strings in a per-file dictionary, so a file stays
// readable whatever cell plan is loaded later.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_time.hpp"
#include "spatial/cell_plan.hpp"
#include "store/event.hpp"

namespace mpdstat {

constexpr int kStoreFormatVersion = 2;  // written; 1 and 2 are read

struct PartitionInfo {
    Day day = 0;
    int bucket = 0;
    uint64_t rows = 0;
    uint64_t devices = 0;
    int64_t min_time_ms = 0, max_time_ms = 0;
};

// Writes events (sorted by device, time) atomically. `cells` maps Event::cell to ids.
PartitionInfo write_partition(const std::filesystem::path& path, Day day, int bucket, std::span<const Event> events,
                              const CellPlan& cells);

// Reads a partition, verifying every checksum; cells are mapped to versions of
// `cells` valid on the partition's day (kNoCell when the plan lacks them).
// Corruption is a data_error naming the file.
std::vector<Event> read_partition(const std::filesystem::path& path, const CellPlan& cells, PartitionInfo* info = nullptr);

// The same from a partition's bytes already in memory; `path` only names the
// file in errors. Any byte string is either decoded or refused with a
// data_error: sizes in the header are trusted only once the data backs them.
std::vector<Event> decode_partition(std::string_view bytes, const std::filesystem::path& path, const CellPlan& cells,
                                    PartitionInfo* info = nullptr);

// Buffers reused from partition to partition: once grown, reading a
// partition allocates (and page-faults) almost nothing.
struct PartitionBuffers {
    std::string file;
    std::vector<std::string> columns;  // decompressed, in the file's order
    std::string scratch;               // a varint column widened
    // Leave the duration_s column compressed (still checksummed) and every
    // event's duration_s 0: for readers that never look at durations.
    bool skip_durations = false;
};
// The same into `events` (replaced; empty when an error is thrown).
void read_partition(const std::filesystem::path& path, const CellPlan& cells, std::vector<Event>& events,
                    PartitionBuffers& buffers, PartitionInfo* info = nullptr);
void decode_partition(std::string_view bytes, const std::filesystem::path& path, const CellPlan& cells,
                      std::vector<Event>& events, PartitionBuffers& buffers, PartitionInfo* info = nullptr);

}  // namespace mpdstat
