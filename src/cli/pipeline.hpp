#pragma once
// The whole Tier I → Tier II job, shared by `mpdstat run` and `mpdstat demo`:
// ingest → spatial model → per-device pass and indicators → disclosure control,
// with every out_dir file staged and published at once (common/publish.hpp)
// and each finished stage marked in work_dir/stages for --resume. The pass
// keeps its per-bucket partial aggregates in work_dir/pass_cache for --incremental.
#include <filesystem>

namespace mpdstat::cli {

struct PipelineOptions {
    bool force = false;   // continue past a FAILed input gate
    bool resume = false;  // skip the stages an interrupted run of the same inputs and config finished
    bool incremental = false;  // load the store buckets the pass cache holds for unchanged days and settings
};

// Returns the exit code; throws mpdstat::Error on configuration or data errors.
int run_pipeline(const std::filesystem::path& config_path, const PipelineOptions& options);

}  // namespace mpdstat::cli
