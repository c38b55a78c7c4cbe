#pragma once
// The ingest stage: raw event files → clean, pseudonymised events in the
// event store, with every rejected row counted by reason and quarantined, and
// the input quality report (out_dir/qa/ingest.json) and manifest written.
//
// Flow: files are read as chunks of whole records; chunks are parsed in
// parallel (syntactic and referential rules, pseudonymisation) and handed on
// in input order to per-bucket buffers that spill to work_dir when memory runs
// short; then each bucket is sorted by (device, time) and the device rules run
// (duplicates, jumps, device filters) before its day partitions are written.
// Results do not depend on the thread count.
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ingest/qa_report.hpp"

namespace mpdstat {

struct IngestOptions {
    bool force = false;  // continue past a FAILed input gate (recorded in the manifest)
    // Read only the input files work_dir/ingest_cache has not parsed yet
    // (ingest/parse_cache.hpp); outputs are the same as without it.
    bool incremental = false;
};

struct IngestResult {
    IngestQa qa;
    std::vector<Day> days;  // days written
    std::filesystem::path quarantine;
    double seconds = 0;
    bool gate_failed = false;
    // --incremental: input files whose parse came from the cache, and files parsed.
    bool used_parse_cache = false;
    uint64_t files_from_cache = 0, files_parsed = 0;
    // --incremental: store partitions whose events did not change (kept as they were), of all written.
    uint64_t partitions_kept = 0, partitions = 0;
    // Ready once the store versions the new days replace are removed (in the
    // background); destroying the result waits for that. Not valid (nothing
    // to wait for) on MPI ranks other than the root, which commits.
    std::future<void> old_versions_removed;
};

// Expands the input globs (sorted, de-duplicated); data_error when one matches nothing.
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::string>& globs);

IngestResult run_ingest(const Config& config, const IngestOptions& options = {});

// The run summary's line for an --incremental ingest ("" under mpirun, which reads every file).
std::string incremental_ingest_line(const IngestResult& r);

}  // namespace mpdstat
