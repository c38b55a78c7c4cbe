// mpdstat demo --out DIR: a synthetic country generated with the `demo` preset,
// then every stage of the pipeline that exists run on it.
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "common/error.hpp"
#include "config/estimate_config.hpp"
#include "estimate/run_estimate.hpp"
#include "synth/generator.hpp"

namespace mpdstat::cli {

Command add_demo(CLI::App& root) {
    auto* app = root.add_subcommand("demo", "Generate a small synthetic country (the 'demo' preset of 'mpdstat synth') "
                                            "and run the whole pipeline on it");
    auto out = std::make_shared<std::string>();
    auto seed = std::make_shared<uint64_t>(1);
    app->add_option("--out", *out, "folder for the scenario, the work area and the outputs")->required();
    app->add_option("--seed", *seed, "random seed of the synthetic country")->capture_default_str();
    return {app, [out, seed] {
                namespace fs = std::filesystem;
                fs::path dir = *out;
                std::error_code ec;
                if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
                    throw usage_error(fmt::format("--out {}: exists and is not a folder", dir.string()));
                synth::SynthOptions o = synth::preset_options("demo");
                o.seed = *seed;
                auto stats = synth::generate(o, dir, true);
                fmt::print("Synthetic country: {} devices, {} cells, {} events over {} days in {}\n", stats.devices,
                           stats.cells, stats.events, o.days, dir.string());
                int rc = run_pipeline(dir / "mpdstat.toml", PipelineOptions{});
                if (rc != 0) return rc;
                fmt::print("{}", run_estimate(load_estimate_config(dir / "estimate.toml")).text);
                return run_report(dir / "out");
            }};
}

}  // namespace mpdstat::cli
