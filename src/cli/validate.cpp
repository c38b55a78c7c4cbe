// mpdstat validate DIR: the accuracy study on a scenario made by `mpdstat synth`.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "synth/validation.hpp"

namespace mpdstat::cli {

Command add_validate(CLI::App& root) {
    auto* app = root.add_subcommand("validate", "Compare homes, work places, residents, present population and OD trips "
                                                "with the truth of a synthetic scenario, for each anchor rule set");
    auto dir = std::make_shared<std::string>();
    app->add_option("DIR", *dir, "a folder written by 'mpdstat synth'")->required();
    return {app, [dir] {
                auto report = synth::validate_scenario(*dir);
                fmt::print("{}", report.table());
                return 0;
            }};
}

}  // namespace mpdstat::cli
