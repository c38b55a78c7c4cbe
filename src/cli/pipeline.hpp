#pragma once
// The whole Tier I → Tier II job, shared by `mpdstat run` and `mpdstat demo`:
// ingest → spatial model → per-device pass and indicators → disclosure control.
#include <filesystem>

namespace mpdstat::cli {

struct PipelineOptions {
    bool force = false;  // continue past a FAILed input gate
};

// Returns the exit code; throws mpdstat::Error on configuration or data errors.
int run_pipeline(const std::filesystem::path& config_path, const PipelineOptions& options);

}  // namespace mpdstat::cli
