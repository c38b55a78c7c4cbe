#include "config/estimate_config.hpp"

#include <cmath>

#include "common/atomic_file.hpp"
#include "config/toml_section.hpp"

namespace mpdstat {

namespace fs = std::filesystem;
using toml_config::resolve;
using toml_config::Section;

std::string_view to_string(Calibration c) noexcept { return c == Calibration::zone ? "zone" : "global"; }
std::string_view to_string(SuppressedHandling s) noexcept { return s == SuppressedHandling::parent ? "parent" : "keep"; }

EstimateConfig parse_estimate_config(std::string_view text, const fs::path& base, const std::string& file) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw config_error(fmt::format("{}:{}:{}: {}", file, e.source().begin.line, e.source().begin.column, e.description()));
    }
    EstimateConfig c;
    Section top(&root, "", file);
    const toml::table* est = top.table("estimate");
    if (!est) throw config_error(fmt::format("{}: missing [estimate] section", file));
    Section s(est, "estimate", file);

    if (const toml::node* m = s.raw("mno")) {
        const toml::array* a = m->as_array();
        if (!a) s.fail(*m, "mno", "an array of tables ([[estimate.mno]])");
        for (const auto& e : *a) {
            if (!e.is_table()) s.fail(e, "mno", "an array of tables ([[estimate.mno]])");
            Section ms(e.as_table(), "estimate.mno", file);
            MnoInput mno;
            ms.get("name", mno.name);
            ms.get("tier2_dir", mno.tier2_dir);
            ms.get("market_share", mno.market_share);
            ms.get("devices_per_subscriber", mno.devices_per_subscriber);
            ms.get("inbound_factors", mno.inbound_factors);
            std::vector<std::string> variants;
            ms.get_strings("sensitivity_dirs", variants);
            if (mno.name.empty()) ms.invalid("name", "is required for every operator");
            if (mno.tier2_dir.empty()) ms.invalid("tier2_dir", "is required: the operator's out_dir holding tier2/");
            if (!(mno.market_share >= 0 && mno.market_share <= 1)) ms.invalid("market_share", "must be in (0, 1]");
            if (!(mno.devices_per_subscriber >= 1) || !std::isfinite(mno.devices_per_subscriber))
                ms.invalid("devices_per_subscriber", "must be a finite number >= 1");
            mno.tier2_dir = resolve(base, mno.tier2_dir);
            mno.inbound_factors = resolve(base, mno.inbound_factors);
            for (const auto& v : variants) mno.sensitivity_dirs.push_back(resolve(base, v));
            for (const auto& other : c.mnos)
                if (other.name == mno.name) ms.invalid("name", fmt::format("\"{}\" is given twice", mno.name));
            ms.reject_unknown();
            c.mnos.push_back(std::move(mno));
        }
    }
    if (c.mnos.empty()) s.invalid("mno", "is required: one [[estimate.mno]] table per operator (name, tier2_dir)");

    s.get("census", c.census);
    if (c.census.empty()) s.invalid("census", "is required: the reference population CSV");
    c.census = resolve(base, c.census);
    s.get("census_id_column", c.census_id_column);
    s.get("census_population_column", c.census_population_column);
    s.get("census_level", c.census_level);
    if (c.census_level.empty()) s.invalid("census_level", "is required: the zone level of the census ids");

    std::string calibration(to_string(c.calibration));
    s.get("calibration", calibration);
    if (calibration == "zone") c.calibration = Calibration::zone;
    else if (calibration == "global") c.calibration = Calibration::global;
    else s.invalid("calibration", "must be \"zone\" or \"global\"");
    s.get("calibration_level", c.calibration_level);
    if (c.calibration == Calibration::zone && c.calibration_level.empty())
        s.invalid("calibration_level", "is required with calibration = \"zone\": the level whose census fixes the factors");
    s.get("calibration_prior_devices", c.calibration_prior_devices);
    if (!(c.calibration_prior_devices >= 0) || !std::isfinite(c.calibration_prior_devices))
        s.invalid("calibration_prior_devices", "must be a finite number >= 0 (0 = each zone's own factor)");

    std::string suppressed(to_string(c.suppressed));
    s.get("suppressed", suppressed);
    if (suppressed == "parent") c.suppressed = SuppressedHandling::parent;
    else if (suppressed == "keep") c.suppressed = SuppressedHandling::keep;
    else s.invalid("suppressed", "must be \"parent\" or \"keep\"");
    s.get("rounding", c.rounding);
    if (!(c.rounding >= 1) || !std::isfinite(c.rounding)) s.invalid("rounding", "must be a finite number >= 1");
    s.get("multi_sim_factor", c.multi_sim_factor);
    if (!(c.multi_sim_factor >= 1) || !std::isfinite(c.multi_sim_factor))
        s.invalid("multi_sim_factor", "must be a finite number >= 1 (1 = nobody uses two of the listed operators)");
    s.get("confidence", c.confidence);
    if (!(c.confidence > 0 && c.confidence < 1)) s.invalid("confidence", "must be in (0, 1), e.g. 0.95");
    s.get_strings("tables", c.tables);
    s.get_strings("geo_tables", c.geo_tables);
    s.get("sdmx_agency", c.sdmx_agency);
    if (c.sdmx_agency.empty() || c.sdmx_agency.find_first_of(":(),\" ") != std::string::npos)
        s.invalid("sdmx_agency", "must be a non-empty SDMX agency id without ':', '(', ')', ',', quotes or spaces");
    s.get_strings("formats", c.formats);
    if (c.formats.empty()) s.invalid("formats", "must name at least one format: \"csv\" and / or \"parquet\"");
    for (const auto& f : c.formats)
        if (f != "csv" && f != "parquet") s.invalid("formats", fmt::format("holds \"{}\": each must be \"csv\" or \"parquet\"", f));
    s.get("out_dir", c.out_dir);
    s.reject_unknown();  // a misspelt key is named before the required one it replaces
    top.reject_unknown();
    if (c.out_dir.empty()) s.invalid("out_dir", "is required: the folder for Tier III outputs");
    c.out_dir = resolve(base, c.out_dir);

    // Weights need every operator's share; a global factor needs it too.
    const bool shares_needed = c.mnos.size() > 1 || c.calibration == Calibration::global;
    for (const auto& m : c.mnos)
        if (shares_needed && m.market_share <= 0)
            throw config_error(fmt::format("{}: estimate.mno '{}' needs market_share (in (0, 1]): {}", file, m.name,
                                           c.mnos.size() > 1 ? "several operators are combined with market-share weights"
                                                             : "calibration = \"global\" divides by it"));
    return c;
}

EstimateConfig load_estimate_config(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw config_error(fmt::format("{}: config file not found", path.string()));
    std::string text;
    try {
        text = read_file(path);
    } catch (const Error& e) {
        throw config_error(e.what());
    }
    EstimateConfig c = parse_estimate_config(text, fs::absolute(path).parent_path(), path.string());
    c.source = fs::absolute(path);
    return c;
}

}  // namespace mpdstat
