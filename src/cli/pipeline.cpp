#include "cli/pipeline.hpp"

#include <fmt/format.h>

#include "common/manifest.hpp"
#include "config/config.hpp"
#include "devices/device_pass.hpp"
#include "dist/merge.hpp"
#include "dist/world.hpp"
#include "indicators/core_indicators.hpp"
#include "indicators/reference.hpp"
#include "privacy/tier2_release.hpp"
#include "ingest/ingest.hpp"
#include "spatial/cell_plan.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::cli {

int run_pipeline(const std::filesystem::path& config_path, const PipelineOptions& options) {
    Config config = load_config(config_path);
    // Under mpirun / srun every rank runs this function on its share of the
    // files and buckets; only the root prints, releases and writes outputs.
    const dist::World& world = dist::World::get();
    const bool root = world.root();

    IngestResult ingest = run_ingest(config, IngestOptions{options.force});
    if (root) fmt::print("{}", ingest.qa.summary());
    if (ingest.gate_failed && !options.force) {
        if (root)
            fmt::print(stderr,
                       "mpdstat: error: the input quality gate FAILed (see {}); fix the input or rerun with --force\n",
                       (config.run.out_dir / "qa" / "ingest.json").string());
        return 1;
    }

    CellPlan cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
    SpatialModel model = build_spatial_model(config, cells);
    if (root) {
        write_spatial_outputs(model, cells, config);
        fmt::print("Spatial model: {} method, {} zone levels, {} cells; {} errors, {} warnings (see {})\n", model.method,
                   model.levels().size(), model.cell_count(), model.problem_count(Severity::error),
                   model.problem_count(Severity::warning), (config.run.out_dir / "qa" / "spatial.json").string());
    }

    EventStore store = EventStore::open(config.run.work_dir);
    ZoneSpace space(model, config);
    CoreIndicators core(space, config, cells);
    ReferenceIndicators reference(space, config, cells);
    std::vector<DeviceHandler*> handlers = core.handlers();
    if (config.run.reference_outputs) handlers.push_back(&reference);
    DevicePassStats pass = run_device_pass(store, cells, space.places(), config, handlers,
                                           config.run.work_dir / "micro",
                                           dist::share(store.buckets(), world.rank(), world.size()));
    dist::merge_on_root(world, handlers, pass);
    if (!root) return 0;
    if (config.run.reference_outputs) reference.write(config.run.work_dir / "reference");
    fmt::print("Devices: {} devices, {} events in {:.1f} s ({:.2f} M events/s); anchors ({}): {} judged, {} with a home, "
               "{} with a work place\n",
               pass.devices, pass.events, pass.seconds, pass.seconds > 0 ? double(pass.events) / pass.seconds / 1e6 : 0.0,
               config.anchors.rules, core.usual.judged(), core.usual.with_home(), core.usual.with_work());

    Tier2Summary tier2 = release_tier2(core.tables(), space.hierarchy(), config);
    fmt::print("{}", tier2.text);

    nlohmann::ordered_json section;
    section["devices"] = pass.devices;
    section["events"] = pass.events;
    section["device_pass_seconds"] = pass.seconds;
    if (world.distributed()) section["ranks"] = world.size();
    section["anchor_rules"] = config.anchors.rules;
    section["devices_with_home"] = core.usual.with_home();
    section["devices_with_work"] = core.usual.with_work();
    section["disclosure_control"] = tier2.json;
    update_manifest(config, "indicators", section);
    fmt::print("Outputs in {} (Tier II / III); Tier I in {}\n", config.run.out_dir.string(), config.run.work_dir.string());
    return 0;
}

}  // namespace mpdstat::cli
