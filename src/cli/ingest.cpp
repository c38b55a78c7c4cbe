// mpdstat ingest CONFIG: raw events → event store, quarantine, QA report.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "config/config.hpp"
#include "ingest/ingest.hpp"

namespace mpdstat::cli {

Command add_ingest(CLI::App& root) {
    auto* app = root.add_subcommand("ingest", "Read, clean and pseudonymise raw events into the event store (Tier I), "
                                              "with a quarantine of rejected rows and the input quality report");
    auto config = std::make_shared<std::string>();
    auto force = std::make_shared<bool>(false);
    app->add_option("CONFIG", *config, "mpdstat TOML config")->required();
    app->add_flag("--force", *force, "continue although an input check FAILed (recorded in the manifest)");
    auto incremental = std::make_shared<bool>(false);
    app->add_flag("--incremental", *incremental,
                  "read only the input files work_dir/ingest_cache has not parsed yet (same results; "
                  "docs/incremental.md)");
    return {app, [config, force, incremental] {
                Config c = load_config(*config);
                IngestResult r = run_ingest(c, IngestOptions{*force, *incremental});
                fmt::print("{}", r.qa.summary());
                if (*incremental) fmt::print("{}", incremental_ingest_line(r));
                fmt::print("Ingested {} days in {:.1f} s; quarantine: {}; report: {}\n", r.days.size(), r.seconds,
                           r.quarantine.string(), (c.run.out_dir / "qa" / "ingest.json").string());
                if (r.gate_failed && !*force) {
                    fmt::print(stderr, "mpdstat: error: the input quality gate FAILed (see {}); fix the input or rerun "
                                       "with --force\n", (c.run.out_dir / "qa" / "ingest.json").string());
                    return 1;
                }
                return 0;
            }};
}

}  // namespace mpdstat::cli
