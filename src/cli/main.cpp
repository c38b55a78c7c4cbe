// mpdstat: official statistics from mobile phone data.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "dist/world.hpp"

int main(int argc, char** argv) {
    using namespace mpdstat;
    CLI::App app{"mpdstat: official statistics from mobile phone data (Tier I micro, Tier II aggregates, Tier III estimates)",
                 "mpdstat"};
    app.set_version_flag("--version", std::string("mpdstat ") + MPDSTAT_VERSION);
    app.require_subcommand(1);
    std::vector<cli::Command> commands = {cli::add_synth(app),   cli::add_ingest(app), cli::add_qa(app),
                                          cli::add_spatial(app), cli::add_run(app),    cli::add_demo(app), cli::add_validate(app),
                                          cli::add_estimate(app), cli::add_report(app), cli::add_audit(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "mpdstat: {}\nRun 'mpdstat --help' or 'mpdstat COMMAND --help' for usage.\n", e.what());
        return 2;
    }
    int rc = 2;
    try {
        for (auto& c : commands)
            if (c.app->parsed()) {
                rc = c.run();
                break;
            }
    } catch (const Error& e) {
        fmt::print(stderr, "mpdstat: error: {}\n", e.what());
        rc = e.exit_code();
        dist::World::abort_if_distributed(rc);
    } catch (const std::exception& e) {
        fmt::print(stderr, "mpdstat: error: {}\n", e.what());
        rc = 1;
        dist::World::abort_if_distributed(rc);
    }
    dist::World::finalize();
    return rc;
}
