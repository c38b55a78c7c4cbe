#include "cli/pipeline.hpp"

#include <chrono>
#include <future>

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>

#include "common/error.hpp"
#include "common/file_checksums.hpp"
#include "common/manifest.hpp"
#include "common/publish.hpp"
#include "common/run_fingerprint.hpp"
#include "common/stage_markers.hpp"
#include "config/config.hpp"
#include "devices/device_pass.hpp"
#include "devices/pass_cache.hpp"
#include "dist/merge.hpp"
#include "dist/world.hpp"
#include "indicators/core_indicators.hpp"
#include "indicators/reference.hpp"
#include "ingest/ingest.hpp"
#include "ingest/pseudonymiser.hpp"
#include "privacy/table_snapshot.hpp"
#include "privacy/tier2_release.hpp"
#include "spatial/cell_plan.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::cli {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The per-device pass's results: the tables for disclosure control and what
// the summary line reports. Fresh from the pass, or from work_dir on resume.
struct PassResults {
    std::vector<AggregateTable> tables;
    json stats;
};

std::string devices_line(const json& s, const std::string& rules) {
    const double seconds = s["seconds"].get<double>();
    const double events = s["events"].get<double>();
    return fmt::format("Devices: {} devices, {} events in {:.1f} s ({:.2f} M events/s); anchors ({}): {} judged, {} with a "
                       "home, {} with a work place\n",
                       s["devices"].get<uint64_t>(), s["events"].get<uint64_t>(), seconds,
                       seconds > 0 ? events / seconds / 1e6 : 0.0, rules, s["judged"].get<uint64_t>(),
                       s["with_home"].get<uint64_t>(), s["with_work"].get<uint64_t>());
}

json incremental_json(const PassCacheReport& r, bool requested) {
    return {{"requested", requested},       {"buckets_reused", r.buckets_reused},
            {"buckets_recomputed", r.buckets_recomputed}, {"days_new", r.days_new},
            {"days_changed", r.days_changed}, {"days_unchanged", r.days_unchanged},
            {"settings_changed", r.settings_changed},     {"pass_seconds_saved", r.seconds_saved}};
}

std::string incremental_line(const json& s) {
    if (s["settings_changed"].get<bool>() && s["buckets_reused"].get<uint64_t>() == 0)
        return "Incremental: settings the pass depends on changed since the cached pass; every bucket recomputed\n";
    return fmt::format("Incremental: {} buckets reused, {} recomputed (days against the cached pass: {} new, {} changed, {} "
                       "unchanged); about {:.1f} s of bucket time saved\n",
                       s["buckets_reused"].get<uint64_t>(), s["buckets_recomputed"].get<uint64_t>(),
                       s["days_new"].get<uint64_t>(), s["days_changed"].get<uint64_t>(),
                       s["days_unchanged"].get<uint64_t>(), s["pass_seconds_saved"].get<double>());
}

}  // namespace

int run_pipeline(const fs::path& config_path, const PipelineOptions& options) {
    Config config = load_config(config_path);
    // Under mpirun / srun every rank runs this function on its share of the
    // files and buckets; only the root prints, releases and writes outputs.
    const dist::World& world = dist::World::get();
    const bool root = world.root();
    if (world.distributed() && options.resume)
        throw usage_error("--resume runs in one process: rerun without mpirun, or without --resume");
    // Every stage runs on the configured threads, no more (but for the thread
    // that builds the spatial model during ingest, and short-lived I/O threads).
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                    static_cast<size_t>(config.thread_count()));
    const fs::path out_dir = config.run.out_dir;
    const StageMarkers markers(config.run.work_dir / "stages");
    const fs::path snapshot = markers.dir() / "tables.mpdtabs";
    const fs::path micro = config.run.work_dir / "micro";
    const std::string key_fingerprint = Pseudonymiser::from_config(config.input).key_fingerprint();

    // Resume only what was computed from these very inputs and settings.
    bool resume = options.resume;
    std::string fingerprint;
    if (resume) {
        fingerprint = run_fingerprint(config, hash_files(expand_inputs(config.input.events)), key_fingerprint);
        if (markers.last_fingerprint() != fingerprint) {
            fmt::print("Resume: {}; running every stage\n", markers.last_fingerprint().empty()
                                                                ? "no interrupted run to resume"
                                                                : "the inputs or the config changed since the interrupted run");
            resume = false;
        }
    }
    if (root && !resume) markers.clear();
    // Every out_dir file of this run goes to a staging folder, published whole at the end.
    if (root) prepare_staging(out_dir, resume);
    world.barrier();
    config.run.write_dir = staging_dir(out_dir);

    // ---- the spatial model (cells and zones only, about half a second on one
    // thread) is built while ingest runs, and used once ingest has passed its gate.
    // Its files are written there too (GDAL's writing, another half second, would
    // otherwise leave a core idle between ingest and the pass); published only
    // with the rest of the run's outputs.
    struct Spatial {
        CellPlan cells;
        SpatialModel model;
    };
    auto build_spatial = [&config, root] {
        auto s = std::make_unique<Spatial>();
        s->cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
        s->model = build_spatial_model(config, s->cells);
        if (root) write_spatial_outputs(s->model, s->cells, config);
        return s;
    };
    std::future<std::unique_ptr<Spatial>> spatial_build =
        std::async(config.thread_count() > 1 ? std::launch::async : std::launch::deferred, build_spatial);

    // ---- ingest
    std::future<void> old_versions_removed;  // waited for on leaving, whatever the outcome
    auto ingest_done = resume ? markers.done("ingest", fingerprint) : std::nullopt;
    std::error_code ec;
    if (ingest_done && !fs::exists(config.run.write_dir / "qa" / "ingest.json", ec)) ingest_done.reset();
    bool gate_failed = false;
    if (ingest_done) {
        gate_failed = (*ingest_done)["details"]["gate_failed"].get<bool>();
        fmt::print("Resume: ingest done ({} days in the store)\n", (*ingest_done)["details"]["days"].get<uint64_t>());
    } else {
        IngestResult ingest = run_ingest(config, IngestOptions{options.force, options.incremental});
        // The replaced store versions are removed while the run goes on.
        old_versions_removed = std::move(ingest.old_versions_removed);
        if (root) fmt::print("{}", ingest.qa.summary());
        if (root && options.incremental) fmt::print("{}", incremental_ingest_line(ingest));
        gate_failed = ingest.gate_failed;
        if (root && fingerprint.empty()) {
            std::vector<std::pair<fs::path, std::string>> sums;
            const auto inputs = expand_inputs(config.input.events);
            for (size_t i = 0; i < inputs.size(); ++i) sums.emplace_back(inputs[i], ingest.qa.files.at(i).sha256);
            fingerprint = run_fingerprint(config, sums, key_fingerprint);
        }
        if (root) markers.mark("ingest", fingerprint, {{"gate_failed", gate_failed}, {"days", ingest.days.size()}});
    }
    if (gate_failed && !options.force) {
        if (root)
            fmt::print(stderr, "mpdstat: error: the input quality gate FAILed (see {}); fix the input or rerun with --force; "
                           "nothing was published\n", (config.run.write_dir / "qa" / "ingest.json").string());
        return 1;
    }

    // ---- spatial model
    const std::unique_ptr<Spatial> spatial = spatial_build.get();
    const CellPlan& cells = spatial->cells;
    const SpatialModel& model = spatial->model;
    if (root) {
        fmt::print("Spatial model: {} method, {} zone levels, {} cells; {} errors, {} warnings (see {})\n", model.method,
                   model.levels().size(), model.cell_count(), model.problem_count(Severity::error),
                   model.problem_count(Severity::warning), (out_dir / "qa" / "spatial.json").string());
    }

    // ---- per-device pass and indicators
    ZoneSpace space(model, config);
    PassResults pass;
    bool snapshot_pending = false;  // tables computed now, their snapshot not yet written
    auto pass_done = resume ? markers.done("device_pass", fingerprint) : std::nullopt;
    if (pass_done) {
        verify_checksums(micro);  // Tier I micro data of the interrupted run, used only when intact
        pass.tables = load_table_snapshot(snapshot);
        pass.stats = (*pass_done)["details"];
        fmt::print("Resume: per-device pass done\n");
    } else {
        EventStore store = EventStore::open(config.run.work_dir);
        CoreIndicators core(space, config, cells);
        ReferenceIndicators reference(space, config, cells);
        std::vector<DeviceHandler*> handlers = core.handlers();
        if (config.run.reference_outputs) handlers.push_back(&reference);
        // Only --incremental runs read and write the cache, so plain runs pay nothing
        // for it. Under MPI ranks own bucket ranges on possibly separate disks: no cache.
        std::optional<PassCache> cache;
        if (!world.distributed() && options.incremental)
            cache.emplace(config.run.work_dir / "pass_cache", pass_fingerprint(config, key_fingerprint),
                          options.incremental);
        else if (options.incremental && root)
            fmt::print("Incremental: not under mpirun (a full pass runs; see docs/incremental.md)\n");
        DevicePassStats stats = run_device_pass(store, cells, space.places(), config, handlers, micro,
                                                dist::share(store.buckets(), world.rank(), world.size()),
                                                cache ? &*cache : nullptr);
        dist::merge_on_root(world, handlers, stats);
        if (!root) return 0;
        if (config.run.reference_outputs) reference.write(config.run.work_dir / "reference");
        pass.tables = core.tables();
        pass.stats = {{"devices", stats.devices},          {"events", stats.events},
                      {"seconds", stats.seconds},          {"judged", core.usual.judged()},
                      {"with_home", core.usual.with_home()}, {"with_work", core.usual.with_work()}};
        if (options.incremental && cache) pass.stats["incremental"] = incremental_json(cache->report(), true);
        snapshot_pending = true;
    }
    fmt::print("{}", devices_line(pass.stats, config.anchors.rules));
    if (pass.stats.contains("incremental")) fmt::print("{}", incremental_line(pass.stats["incremental"]));

    // ---- disclosure control, then publish. The snapshot that lets --resume skip
    // the pass is written first (the tables then move into disclosure control)
    // and flushed to disk meanwhile, on a thread of its own when there are
    // threads to spare; it always completes: a failed release resumes after the pass.
    Tier2Summary tier2;
    double release_seconds = 0;  // disclosure control and writing the Tier II files
    auto release = [&] {
        const auto started = std::chrono::steady_clock::now();
        tier2 = release_tier2(std::move(pass.tables), space.hierarchy(), config);
        release_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    if (snapshot_pending) {
        const std::unique_ptr<AtomicFile> staged = stage_table_snapshot(snapshot, pass.tables);
        auto commit_snapshot = [&] {
            staged->commit();
            markers.mark("device_pass", fingerprint, pass.stats);
        };
        if (config.thread_count() > 1) {
            auto saved = std::async(std::launch::async, commit_snapshot);  // waited for even if release throws
            release();
            saved.get();
        } else {
            commit_snapshot();
            release();
        }
    } else {
        release();
    }
    fmt::print("{}", tier2.text);
    json section;
    section["devices"] = pass.stats["devices"];
    section["events"] = pass.stats["events"];
    section["device_pass_seconds"] = pass.stats["seconds"];
    if (world.distributed()) section["ranks"] = world.size();
    section["anchor_rules"] = config.anchors.rules;
    section["devices_with_home"] = pass.stats["with_home"];
    section["devices_with_work"] = pass.stats["with_work"];
    section["resumed"] = resume;
    if (pass.stats.contains("incremental")) section["incremental"] = pass.stats["incremental"];
    section["disclosure_control_seconds"] = release_seconds;
    section["disclosure_control"] = tier2.json;
    update_manifest(config, "indicators", section);
    auto published = publish_staging(out_dir);
    markers.mark("published", fingerprint, {{"files", published.size()}});
    fmt::print("Outputs in {} ({} files listed with their SHA-256 in manifest.json); Tier I in {}\n", out_dir.string(),
               published.size(), config.run.work_dir.string());
    return 0;
}

}  // namespace mpdstat::cli
