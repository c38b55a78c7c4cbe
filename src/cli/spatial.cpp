// mpdstat spatial CONFIG: builds the spatial model (zones, grid, cell -> zone
// weights) alone, writes its outputs and prints a short summary.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "common/error.hpp"
#include "config/config.hpp"
#include "spatial/cell_plan.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::cli {

Command add_spatial(CLI::App& root) {
    auto* app = root.add_subcommand("spatial", "Build the spatial model alone: zones, grid, cell -> zone weights, GeoJSON / GeoPackage");
    struct Options {
        std::string config;
        bool strict = false;
        size_t show = 10;
    };
    auto o = std::make_shared<Options>();
    app->add_option("config", o->config, "the TOML config")->required();
    app->add_flag("--strict", o->strict, "exit 1 when a problem of severity 'error' was found");
    app->add_option("--show", o->show, "problems listed on the terminal (default 10; all are in qa/spatial.json)");
    return {app, [o]() -> int {
                Config cfg = load_config(o->config);
                CellPlan cells = CellPlan::load(cfg.input.cells, cfg.input.cell_columns, cfg.input.delimiter);
                SpatialModel m = build_spatial_model(cfg, cells);
                SpatialOutputs out = write_spatial_outputs(m, cells, cfg);

                fmt::print("spatial: method {}, weight_by {}, CRS {}\n", m.method, m.weight_by, m.crs);
                std::vector<std::string> lv;
                for (const auto& l : m.levels()) lv.push_back(fmt::format("{} {}", l.name, l.zones.size()));
                fmt::print("zones:   {} (coarsest first)\n", fmt::join(lv, ", "));
                size_t n[3] = {0, 0, 0};
                for (uint32_t c = 0; c < m.cell_count(); ++c) ++n[static_cast<int>(m.status(c))];
                fmt::print("cells:   {} versions: {} mapped, {} outside the country, {} outside the period; {} sites\n", m.cell_count(), n[0],
                           n[1], n[2], m.sites().size());
                if (!m.grid().empty()) fmt::print("grid:    {} m, {} tiles\n", m.grid().size_m, m.grid().tiles.size());
                size_t ne = m.problem_count(Severity::error), nw = m.problem_count(Severity::warning), ni = m.problem_count(Severity::info);
                fmt::print("problems: {} errors, {} warnings, {} info\n", ne, nw, ni);
                size_t shown = 0;
                for (Severity s : {Severity::error, Severity::warning, Severity::info})
                    for (const auto& p : m.problems()) {
                        if (p.severity != s || shown >= o->show) continue;
                        ++shown;
                        fmt::print("  {:7} {:22} {}{}{}\n", to_string(p.severity), p.code, p.level.empty() ? "" : p.level + " ",
                                   p.id.empty() ? "" : "'" + p.id + "': ", p.message);
                    }
                if (ne + nw + ni > shown) fmt::print("  … {} more in {}\n", ne + nw + ni - shown, out.files.back().string());
                const auto& t = m.timings();
                fmt::print("time:    {:.2f} s (zones {:.2f}, checks {:.2f}, grid {:.2f}, weights {:.2f})\n", t.total_s, t.zones_s, t.checks_s,
                           t.grid_s, t.weights_s);
                fmt::print("written: {}\n", out.files.front().parent_path().string());
                for (const auto& f : out.files) fmt::print("  {}\n", f.filename().string());
                return o->strict && ne > 0 ? 1 : 0;
            }};
}

}  // namespace mpdstat::cli
