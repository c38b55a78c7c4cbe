// mpdstat estimate CONFIG: Tier II folders of one or more operators and a
// census → Tier III estimates with intervals and quality (docs/estimate.md).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "config/estimate_config.hpp"
#include "estimate/run_estimate.hpp"

namespace mpdstat::cli {

Command add_estimate(CLI::App& root) {
    auto* app = root.add_subcommand("estimate", "Tier III: calibrate one or more operators' Tier II tables to the census, combine "
                                                "them, add confidence intervals and quality; out_dir/tier3/");
    auto config = std::make_shared<std::string>();
    app->add_option("CONFIG", *config, "estimate TOML config ([estimate] with one [[estimate.mno]] per operator)")->required();
    return {app, [config] {
                EstimateRun run = run_estimate(load_estimate_config(*config));
                fmt::print("{}", run.text);
                return 0;
            }};
}

}  // namespace mpdstat::cli
