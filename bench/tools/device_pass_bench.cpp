// device_pass_bench CONFIG [--threads N] [--repeat R] [--no-handlers] [--no-micro] [--tables FILE] [--buckets B]
// Times the per-device pass with every core indicator on an ingested store
// (after `mpdstat run CONFIG` or `mpdstat ingest CONFIG`), the stage `mpdstat
// run` calls "devices": wall seconds, CPU seconds (user + sys of the process
// during the pass) and events per second per core = events / CPU seconds.
// --no-handlers builds the device views only; --no-micro skips the Tier I
// micro files; --tables saves the Tier II tables before disclosure control
// (privacy/table_snapshot.hpp) to FILE, to compare two builds byte for byte;
// --buckets runs only the first B buckets (a quicker sample for profiling).
// Prints, never asserts; writes only to a scratch micro folder and FILE.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "config/config.hpp"
#include "devices/device_pass.hpp"
#include "indicators/core_indicators.hpp"
#include "privacy/table_snapshot.hpp"
#include "spatial/cell_plan.hpp"
#include "spatial/spatial_model.hpp"
#include "store/event_store.hpp"

using namespace mpdstat;
namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: device_pass_bench CONFIG [--threads N] [--repeat R] [--no-handlers] [--no-micro] [--tables FILE] [--buckets B]\n");
        return 2;
    }
    Config config = load_config(argv[1]);
    int repeat = 1;
    bool handlers_on = true, micro_on = true;
    fs::path tables_file;
    BucketRange range;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) config.run.threads = std::atoi(argv[++i]);
        else if (a == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else if (a == "--no-handlers") handlers_on = false;
        else if (a == "--no-micro") micro_on = false;
        else if (a == "--tables" && i + 1 < argc) tables_file = argv[++i];
        else if (a == "--buckets" && i + 1 < argc) range.last = std::atoi(argv[++i]);
    }
    CellPlan cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
    SpatialModel model = build_spatial_model(config, cells);
    ZoneSpace space(model, config);
    EventStore store = EventStore::open(config.run.work_dir);
    const fs::path micro = micro_on ? config.run.work_dir / "micro-bench" : fs::path();
    if (micro_on) {
        fs::create_directories(micro / "anchors");
        fs::create_directories(micro / "days");
    }
    for (int r = 0; r < repeat; ++r) {
        CoreIndicators core(space, config, cells);
        std::vector<DeviceHandler*> handlers;
        if (handlers_on) handlers = core.handlers();
        const double cpu0 = cpu_seconds();
        DevicePassStats s = run_device_pass(store, cells, space.places(), config, handlers, micro, range);
        const double cpu = cpu_seconds() - cpu0;
        fmt::print("devices {} events {} threads {} wall {:.2f} s cpu {:.2f} s: {:.2f} M events/s, {:.2f} M events/s per "
                   "core\n",
                   s.devices, s.events, config.thread_count(), s.seconds, cpu, double(s.events) / s.seconds / 1e6,
                   double(s.events) / cpu / 1e6);
        if (!tables_file.empty() && handlers_on) save_table_snapshot(tables_file, core.tables());
    }
    if (micro_on) fs::remove_all(micro);
    return 0;
}
