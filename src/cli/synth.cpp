// `mpdstat synth`: the synthetic country generator (docs/synth.md).
#include <thread>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "common/civil_time.hpp"
#include "common/error.hpp"
#include "synth/generator.hpp"

namespace mpdstat::cli {

Command add_synth(CLI::App& root) {
    struct Args {
        std::string out, preset = "demo", start, faults, compression, timezone;
        uint64_t seed = 1, devices = 0;
        int days = 0, threads = 0, level = 0;
        bool quiet = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* app = root.add_subcommand("synth", "Generate a synthetic country: MNO input files, a ready mpdstat.toml and the ground truth");
    app->add_option("--out", a->out, "Output folder (created)")->required();
    app->add_option("--preset", a->preset, "test | demo | cdr | xdr | bench")->capture_default_str();
    app->add_option("--seed", a->seed, "Random seed: same seed, same bytes")->capture_default_str();
    app->add_option("--devices", a->devices, "Number of devices (SIM cards), approximately; default from the preset");
    app->add_option("--days", a->days, "Number of days; default from the preset");
    app->add_option("--start", a->start, "First day, YYYY-MM-DD; default from the preset");
    app->add_option("--timezone", a->timezone, "IANA time zone of local time (default Africa/Dakar)");
    app->add_option("--compression", a->compression, "Event files: none | gzip | zstd (default: gzip, zstd for bench)");
    app->add_option("--level", a->level, "Compression level (default 1)");
    app->add_option("--faults", a->faults,
                    "Faults to inject, e.g. duplicates=0.01,unknown_cells=0.001,malformed=0.001,jumps=0.001,outage_day=3,"
                    "outage_hour=2:14 (day index:hour), or none");
    app->add_option("--threads", a->threads, "Threads (0 = all cores)");
    app->add_flag("--quiet", a->quiet, "No summary line");
    return {app, [a]() -> int {
                synth::SynthOptions o = synth::preset_options(a->preset);
                o.seed = a->seed;
                if (a->devices) o.devices = a->devices;
                if (a->days) {
                    o.days = a->days;
                    if (o.disaster_day >= o.days) o.disaster_day = o.days > 2 ? o.days * 2 / 3 : -1;
                    if (o.faults.outage_hour_day >= o.days) o.faults.outage_hour_day = -1;
                    if (o.faults.outage_day >= o.days) o.faults.outage_day = -1;
                }
                if (!a->start.empty()) {
                    auto d = parse_day(a->start);
                    if (!d) throw usage_error(fmt::format("--start: not a date YYYY-MM-DD: '{}'", a->start));
                    o.start = *d;
                }
                if (!a->timezone.empty()) o.timezone = a->timezone;
                if (!a->compression.empty()) {
                    if (a->compression == "none") o.compression = synth::OutCompression::none;
                    else if (a->compression == "gzip") o.compression = synth::OutCompression::gzip;
                    else if (a->compression == "zstd") o.compression = synth::OutCompression::zstd;
                    else throw usage_error(fmt::format("--compression must be none, gzip or zstd, not '{}'", a->compression));
                }
                if (a->level) o.compression_level = a->level;
                if (!a->faults.empty()) o.faults = synth::parse_faults(a->faults);
                o.threads = a->threads;
                auto st = synth::generate(o, a->out, !a->quiet);
                if (!a->quiet)
                    fmt::print("synth: {} events of {} devices ({} persons) over {} days, {} cells, {} zones -> {} in {:.1f} s ({:.0f} events/s)\n",
                               st.events, st.devices, st.persons, o.days, st.cells, st.zones, a->out, st.seconds,
                               st.seconds > 0 ? st.events / st.seconds : 0.0);
                return 0;
            }};
}

}  // namespace mpdstat::cli
