#pragma once
// The estimate config: a standalone TOML file for `mpdstat estimate`, which
// turns the Tier II folders of one or more operators and a census into Tier
// III estimates (docs/estimate.md). Every key, its default and its check live
// in estimate_config.cpp and are documented in docs/config.md.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mpdstat {

enum class Calibration : uint8_t { zone, global };
enum class SuppressedHandling : uint8_t { parent, keep };

struct MnoInput {
    std::string name;
    std::filesystem::path tier2_dir;   // the operator's out_dir: tier2/, qa/, geo/, manifest.json
    double market_share = 0;           // share of the population subscribing to this operator; 0 = not given
    double devices_per_subscriber = 1; // SIM cards of this operator per subscriber (multi-SIM on one network)
    std::filesystem::path inbound_factors;  // country,factor CSV: visitors per roaming device; empty = none
    std::vector<std::filesystem::path> sensitivity_dirs;  // the same operator's Tier II under other method variants
};

struct EstimateConfig {
    std::filesystem::path source;  // the TOML file
    std::vector<MnoInput> mnos;
    std::filesystem::path census;
    std::string census_id_column = "zone_id";
    std::string census_population_column = "population";
    std::string census_level;          // required: the zone level of the census ids
    Calibration calibration = Calibration::zone;
    std::string calibration_level;     // zone calibration: required
    // Zone calibration: a zone's factor is shrunk toward its parent's, on the
    // log scale, with weight residents / (residents + this); 0 = no shrinkage.
    double calibration_prior_devices = 0;
    SuppressedHandling suppressed = SuppressedHandling::parent;
    double rounding = 10;              // estimated-from-parent rows: estimate and interval rounded to multiples of this
    double multi_sim_factor = 1;       // listed operators per subscriber (≥ 1): de-duplicates people on several networks
    double confidence = 0.95;
    std::vector<std::string> tables;   // Tier II tables to estimate; empty = every estimable one present
    std::vector<std::string> geo_tables = {"usual_environment", "day_night_population", "commuting",
                                           "od_daily_locations", "tourism_inbound", "tourism_outbound"};
    std::string sdmx_agency = "MPDSTAT";
    std::vector<std::string> formats = {"csv"};  // of tier3/<table>: "csv" and / or "parquet" 
    std::filesystem::path out_dir;
};

// Loads and checks an estimate config; throws config_error "file:line:col: …".
EstimateConfig load_estimate_config(const std::filesystem::path& path);
EstimateConfig parse_estimate_config(std::string_view toml_text, const std::filesystem::path& base_dir,
                                     const std::string& display_name = "estimate config");

std::string_view to_string(Calibration c) noexcept;
std::string_view to_string(SuppressedHandling s) noexcept;

}  // namespace mpdstat
