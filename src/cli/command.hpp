#pragma once
// Each command lives in its own file and registers itself on the CLI app.
// `run` is called after parsing when the command was chosen; it returns the
// exit code or throws mpdstat::Error.
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

}  // namespace mpdstat::cli
