// mpdstat run CONFIG: ingest → spatial model → per-device pass and indicators
// → disclosure control → Tier II files.
#include "cli/command.hpp"
#include "cli/pipeline.hpp"

namespace mpdstat::cli {

Command add_run(CLI::App& root) {
    auto* app = root.add_subcommand("run", "Run the whole job: ingest, spatial model, per-device pass, indicators and "
                                           "disclosure control; Tier II tables in out_dir/tier2/");
    auto config = std::make_shared<std::string>();
    auto force = std::make_shared<bool>(false);
    app->add_option("CONFIG", *config, "mpdstat TOML config")->required();
    auto resume = std::make_shared<bool>(false);
    app->add_flag("--force", *force, "continue although an input check FAILed (recorded in the manifest)");
    app->add_flag("--resume", *resume, "continue an interrupted run from its last completed stage (only when the inputs "
                                       "and the config are unchanged; otherwise every stage runs)");
    auto incremental = std::make_shared<bool>(false);
    app->add_flag("--incremental", *incremental,
                  "reuse the per-device pass of store buckets whose partitions and pass settings are unchanged since "
                  "the last run (work_dir/pass_cache); outputs are identical to a full run");
    return {app, [config, force, resume, incremental] {
                return run_pipeline(*config, PipelineOptions{*force, *resume, *incremental});
            }};
}

}  // namespace mpdstat::cli
