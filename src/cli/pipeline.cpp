#include "cli/pipeline.hpp"

#include <fmt/format.h>

#include "config/config.hpp"
#include "ingest/ingest.hpp"
#include "spatial/cell_plan.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::cli {

int run_pipeline(const std::filesystem::path& config_path, const PipelineOptions& options) {
    Config config = load_config(config_path);

    IngestResult ingest = run_ingest(config, IngestOptions{options.force});
    fmt::print("{}", ingest.qa.summary());
    if (ingest.gate_failed && !options.force) {
        fmt::print(stderr, "mpdstat: error: the input quality gate FAILed (see {}); fix the input or rerun with --force\n",
                   (config.run.out_dir / "qa" / "ingest.json").string());
        return 1;
    }

    CellPlan cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
    SpatialModel model = build_spatial_model(config, cells);
    SpatialOutputs geo = write_spatial_outputs(model, cells, config);
    fmt::print("Spatial model: {} method, {} zone levels, {} cells; {} errors, {} warnings (see {})\n", model.method,
               model.levels().size(), model.cell_count(), model.problem_count(Severity::error),
               model.problem_count(Severity::warning), (config.run.out_dir / "qa" / "spatial.json").string());

    fmt::print("Outputs in {} (Tier II / III); Tier I in {}\n", config.run.out_dir.string(), config.run.work_dir.string());
    return 0;
}

}  // namespace mpdstat::cli
