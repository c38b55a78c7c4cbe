#pragma once
// Each command lives in its own file and registers itself on the CLI app.
// `run` is called after parsing when the command was chosen; it returns the
// exit code or throws mpdstat::Error.
#include <filesystem>
#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

namespace mpdstat::cli {

struct Command {
    CLI::App* app;
    std::function<int()> run;
};

Command add_ingest(CLI::App& root);
Command add_qa(CLI::App& root);
Command add_demo(CLI::App& root);
Command add_spatial(CLI::App& root);
Command add_synth(CLI::App& root);
Command add_run(CLI::App& root);
Command add_validate(CLI::App& root);
Command add_audit(CLI::App& root);
Command add_estimate(CLI::App& root);
Command add_report(CLI::App& root);

// Writes OUT_DIR/report/index.html and prints a summary line (for `report` and `demo`).
int run_report(const std::filesystem::path& out_dir);

}  // namespace mpdstat::cli
