#include "estimate/run_estimate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"
#include "estimate/geo_export.hpp"
#include "estimate/integrity.hpp"
#include "estimate/sdmx_export.hpp"
#include "estimate/tier3_csv.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

struct Variant {
    std::string label;
    EstimateConfig config;
    std::vector<const Tier2Folder*> folders;
    int level = -1;
};

nlohmann::ordered_json fill_json(const Tier3Result& r, const EstimateConfig& cfg) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& t : r.tables)
        for (size_t m = 0; m < t.fill.size(); ++m) {
            uint64_t rows = 0, released = 0, estimated = 0, suppressed = 0;
            for (const auto& row : t.rows) {
                ++rows;
                released += row.kind == RowKind::released;
                estimated += row.kind == RowKind::estimated;
                suppressed += row.kind == RowKind::suppressed;
            }
            j.push_back({{"table", t.spec->name}, {"operator", cfg.mnos[m].name}, {"tier2_estimated_from_parent", t.fill[m].estimated},
                         {"tier2_left_suppressed", t.fill[m].left_suppressed}, {"tier3_rows", rows}, {"tier3_released", released},
                         {"tier3_estimated", estimated}, {"tier3_suppressed", suppressed}});
        }
    return j;
}

}  // namespace

EstimateRun run_estimate(const EstimateConfig& cfg) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string src = cfg.source.string();
    std::vector<Tier2Folder> folders;
    for (const auto& m : cfg.mnos) folders.push_back(load_tier2_folder(m.tier2_dir, cfg.tables));
    const ZoneTree& zones = folders.front().zones;
    for (size_t m = 1; m < folders.size(); ++m)
        if (!folders[m].zones.same_as(zones))
            throw data_error(fmt::format("{}: its zones differ from those of {}: operators must publish on the same zones",
                                         (folders[m].dir / "geo").string(), (folders[0].dir / "geo").string()));
    const Census census = Census::load(cfg, zones);
    int level = -1;
    if (!cfg.calibration_level.empty()) {
        level = zones.level_index(cfg.calibration_level);
        if (level < 0)
            throw config_error(fmt::format("{}: estimate.calibration_level '{}' is not a zone level of the Tier II folders", src,
                                           cfg.calibration_level));
        if (static_cast<size_t>(level) > census.level)
            throw config_error(fmt::format("{}: estimate.calibration_level '{}' is finer than the census level '{}'", src,
                                           cfg.calibration_level, cfg.census_level));
    }
    EstimateInputs inputs;
    inputs.zones = &zones;
    inputs.census = &census;
    for (const auto& f : folders) inputs.folders.push_back(&f);
    for (const auto& m : cfg.mnos) inputs.inbound.push_back(m.inbound_factors.empty() ? InboundFactors{} : InboundFactors::load(m.inbound_factors));

    EstimateRun run;
    run.result = estimate_tier3(cfg, inputs, level);

    // Method variants for the sensitivity: the neighbouring calibration level,
    // the other calibration mode, and each operator's alternative Tier II.
    std::vector<Variant> variants;
    std::deque<Tier2Folder> variant_folders;  // stable addresses for the variants' pointers
    const bool shares = std::all_of(cfg.mnos.begin(), cfg.mnos.end(), [](const MnoInput& m) { return m.market_share > 0; });
    if (cfg.calibration == Calibration::zone) {
        const int other = level > 0 ? level - 1 : (static_cast<size_t>(level + 1) <= census.level && static_cast<size_t>(level + 1) < zones.levels.size() ? level + 1 : -1);
        if (other >= 0) variants.push_back({"zone calibration at " + zones.levels[static_cast<size_t>(other)].name, cfg, inputs.folders, other});
        if (shares) {
            Variant v{"global calibration", cfg, inputs.folders, level};
            v.config.calibration = Calibration::global;
            variants.push_back(std::move(v));
        }
    } else {
        Variant v{"zone calibration at " + zones.levels[level >= 0 ? static_cast<size_t>(level) : 0].name, cfg, inputs.folders,
                  level >= 0 ? level : 0};
        v.config.calibration = Calibration::zone;
        variants.push_back(std::move(v));
    }
    for (size_t m = 0; m < cfg.mnos.size(); ++m)
        for (const auto& dir : cfg.mnos[m].sensitivity_dirs) {
            variant_folders.push_back(load_tier2_folder(dir, cfg.tables));
            if (!variant_folders.back().zones.same_as(zones))
                throw data_error(fmt::format("{}: its zones differ from those of {}", (dir / "geo").string(), (folders[m].dir / "geo").string()));
            Variant v{fmt::format("{}: {}", cfg.mnos[m].name, dir.string()), cfg, inputs.folders, level};
            v.folders[m] = &variant_folders.back();
            variants.push_back(std::move(v));
        }
    std::vector<Tier3Result> variant_results;
    for (const auto& v : variants) {
        EstimateInputs vi = inputs;
        vi.folders = v.folders;
        variant_results.push_back(estimate_tier3(v.config, vi, v.level));
    }
    apply_sensitivity_and_quality(run.result, variant_results);
    run.quality = summarise_quality(run.result, zones);

    // Files.
    const fs::path tier3 = cfg.out_dir / "tier3", qa = cfg.out_dir / "qa";
    std::error_code ec;
    for (const auto& d : {tier3, qa}) {
        fs::create_directories(d, ec);
        if (ec) throw data_error(fmt::format("{}: cannot create folder: {}", d.string(), ec.message()));
    }
    nlohmann::ordered_json outputs = nlohmann::ordered_json::array();
    for (const auto& t : run.result.tables) {
        for (const auto& format : cfg.formats) {
            const fs::path p = tier3 / (std::string(t.spec->name) + "." + format);
            if (format == "csv") write_tier3_csv(t, p);
            else write_tier3_parquet(t, p);
            outputs.push_back(p.string());
        }
    }
    write_quality_csv(run.quality, tier3 / "quality.csv");
    outputs.push_back((tier3 / "quality.csv").string());
    for (const auto& p : write_geo_exports(run.result, zones, cfg, tier3)) outputs.push_back(p.string());
    for (const auto& p : write_sdmx_exports(run.result, zones, cfg, tier3 / "sdmx")) outputs.push_back(p.string());

    // qa/estimate.json: parameters, inputs, integrity checks, what was done.
    auto& j = run.report;
    j["mpdstat_version"] = MPDSTAT_VERSION;
    j["config_file"] = src;
    j["config_sha256"] = sha256_file(cfg.source);
    j["parameters"] = {{"calibration", std::string(to_string(cfg.calibration))},
                       {"calibration_level", cfg.calibration_level},
                       {"calibration_prior_devices", cfg.calibration_prior_devices},
                       {"census_level", cfg.census_level},
                       {"suppressed", std::string(to_string(cfg.suppressed))},
                       {"rounding", cfg.rounding},
                       {"multi_sim_factor", cfg.multi_sim_factor},
                       {"confidence", cfg.confidence},
                       {"variance_model", "analytic: Poisson / binomial counts over the row's support, calibration factor from "
                                          "the calibration zone's residents, delta method; log-normal interval"}};
    j["census"] = {{"file", cfg.census.string()}, {"sha256", sha256_file(cfg.census)}, {"total", census.total()},
                   {"zones_missing", census.missing_zones}};
    for (size_t m = 0; m < cfg.mnos.size(); ++m) {
        const auto& mno = cfg.mnos[m];
        nlohmann::ordered_json o;
        o["name"] = mno.name;
        o["tier2_dir"] = mno.tier2_dir.string();
        o["market_share"] = mno.market_share;
        o["devices_per_subscriber"] = mno.devices_per_subscriber;
        o["weight"] = run.result.weights[m];
        o["inbound_factors"] = mno.inbound_factors.string();
        o["calibration_fallbacks"] = run.result.calibration_fallbacks[m];
        o["residents_dispersion"] = run.result.residents_dispersion[m];
        for (const auto& [name, t] : folders[m].tables) o["tables"][name] = {{"file", t.file.string()}, {"sha256", sha256_file(t.file)}};
        o["integrity"] = integrity_checks(folders[m], run.result, m);
        j["operators"].push_back(std::move(o));
    }
    j["variants"] = nlohmann::ordered_json::array();
    for (const auto& v : variants) j["variants"].push_back(v.label);
    j["suppressed_rows"] = fill_json(run.result, cfg);
    j["skipped"] = run.result.skipped;
    for (const auto& q : run.quality)
        j["quality"].push_back({{"indicator", q.indicator}, {"zone_level", q.zone_level}, {"rows", q.rows},
                                {"coverage_ratio", std::isnan(q.coverage_ratio) ? nlohmann::ordered_json() : nlohmann::ordered_json(q.coverage_ratio)},
                                {"sensitivity", std::isnan(q.sensitivity) ? nlohmann::ordered_json() : nlohmann::ordered_json(q.sensitivity)},
                                {"quality", std::string(to_string(q.quality))}});
    j["outputs"] = outputs;
    j["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_file_atomically(qa / "estimate.json", j.dump(2) + "\n");

    run.text = fmt::format("Tier III: {} operator(s), {} calibration{}, suppressed rows {}; {} variant(s) for the sensitivity\n",
                           cfg.mnos.size(), to_string(cfg.calibration),
                           cfg.calibration == Calibration::zone ? " at " + cfg.calibration_level : std::string(),
                           cfg.suppressed == SuppressedHandling::parent ? "estimated from the parent level" : "kept suppressed",
                           variants.size());
    for (const auto& t : run.result.tables) {
        uint64_t released = 0, estimated = 0, suppressed = 0;
        for (const auto& r : t.rows) {
            released += r.kind == RowKind::released;
            estimated += r.kind == RowKind::estimated;
            suppressed += r.kind == RowKind::suppressed;
        }
        run.text += fmt::format("  {:<28} {:>8} rows {:>9} released {:>9} estimated {:>9} suppressed\n", std::string(t.spec->name) + ".csv",
                                t.rows.size(), released, estimated, suppressed);
    }
    for (const auto& s : run.result.skipped) run.text += fmt::format("  skipped {}\n", s);
    run.text += fmt::format("Outputs in {}; checks and parameters in {}\n", tier3.string(), (qa / "estimate.json").string());
    return run;
}

}  // namespace mpdstat
