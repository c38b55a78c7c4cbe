// mpdstat qa CONFIG: print the input quality summary of the last ingest.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "config/config.hpp"
#include "ingest/qa_report.hpp"
#include "store/event_store.hpp"

namespace mpdstat::cli {

Command add_qa(CLI::App& root) {
    auto* app = root.add_subcommand("qa", "Print the input quality summary of the ingested event store");
    auto config = std::make_shared<std::string>();
    app->add_option("CONFIG", *config, "mpdstat TOML config")->required();
    return {app, [config] {
                Config c = load_config(*config);
                IngestQa qa = load_ingest_qa(c.run.out_dir / "qa" / "ingest.json");
                EventStore store = EventStore::open(c.run.work_dir);
                auto days = store.days();
                fmt::print("{}", qa.summary());
                if (!days.empty())
                    fmt::print("Event store: {} days ({} to {}), {} buckets, time zone {}\n", days.size(),
                               format_day(days.front()), format_day(days.back()), store.buckets(), store.timezone());
                return qa.overall() == CheckStatus::fail ? 1 : 0;
            }};
}

}  // namespace mpdstat::cli
