// mpdstat audit OUT_DIR [--truth DIR]: checks the released outputs against
// the disclosure rules and, on a synthetic run, attacks them (docs/audit.md).
#include <fmt/format.h>

#include "audit/audit.hpp"
#include "cli/command.hpp"

namespace mpdstat::cli {

Command add_audit(CLI::App& root) {
    auto* app = root.add_subcommand("audit", "Check the Tier II / III files of an output folder against the disclosure "
                                             "rules; with --truth, run reconstruction attacks on a synthetic run");
    auto options = std::make_shared<audit::AuditOptions>();
    auto out_dir = std::make_shared<std::string>();
    auto truth = std::make_shared<std::string>();
    app->add_option("OUT_DIR", *out_dir, "out_dir of a run")->required();
    app->add_option("--truth", *truth, "the truth/ folder of the synthetic scenario (mpdstat synth)");
    app->add_option("--min-k", options->min_k, "lowest threshold accepted; a run recorded with a smaller one fails")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t(1), uint64_t(1000000000)));
    return {app, [options, out_dir, truth] {
                options->out_dir = *out_dir;
                options->truth_dir = *truth;
                audit::AuditReport r = audit::run_audit(*options);
                fmt::print("{}", r.summary());
                fmt::print("Report: {}\n", (options->out_dir / "qa" / "audit.json").string());
                return r.ok() ? 0 : 1;
            }};
}

}  // namespace mpdstat::cli
