#pragma once
// The TOML configuration: every key, its default and its check live in
// config.cpp; docs/config.md documents the same keys. Unknown keys are errors.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "privacy/sdc_config.hpp"

namespace mpdstat {

struct EventColumns {  // name of each field's column in the events files; "" = absent
    std::string user_id = "user_id";
    std::string timestamp = "timestamp";
    std::string cell_id = "cell_id";
    std::string event_type;
    std::string mcc;
    std::string mnc;
    std::string plmn;
    std::string lat;
    std::string lon;
    std::string duration;
};

struct CellColumns {
    std::string cell_id = "cell_id";
    std::string lat = "lat";
    std::string lon = "lon";
    std::string site_id = "site_id";
    std::string azimuth = "azimuth";
    std::string beam_width = "beam_width";
    std::string range_m = "range_m";
    std::string technology = "technology";
    std::string valid_from = "valid_from";
    std::string valid_to = "valid_to";
};

struct InputConfig {
    std::vector<std::string> events;  // globs, resolved relative to the config file
    std::filesystem::path cells;
    std::string format = "csv";
    char delimiter = ',';
    bool header = true;
    std::string timestamp_format = "iso8601";  // iso8601 | epoch_s | epoch_ms | strftime pattern
    std::string timezone;
    int local_mcc = 0;
    Day period_start = 0;
    Day period_end = 0;  // inclusive
    bool already_pseudonymised = false;
    std::filesystem::path key_file;
    std::string key_env;
    EventColumns columns;
    CellColumns cell_columns;
};

struct CleaningConfig {
    double jump_distance_km = 10.0;
    double jump_speed_mps = 55.0;
    int machine_min_events = 10;
    double machine_modal_share = 0.7;
    int machine_gap_round_s = 300;
    int max_events_per_day = 5000;     // 0 = no hyperactivity filter
    int min_events_per_device = 1;
    double error_rate_warn = 0.01;
    double error_rate_fail = 0.05;
    double anomaly_sigma = 2.0;
    int anomaly_window_days = 7;
    std::optional<std::array<double, 4>> bbox;  // min_lon, min_lat, max_lon, max_lat
};

struct ZoneLevel {
    std::string name;
    std::filesystem::path path;
    std::string layer;
    std::string id_field = "id";
    std::string name_field = "name";
    std::string parent_field;  // empty on the top level
};

struct ZonesConfig {
    std::vector<ZoneLevel> levels;  // coarsest first
    std::filesystem::path census;
    std::string census_level;
};

struct FootprintConfig {  // [spatial.footprint]: the ESS coverage model (docs/spatial.md)
    double power_dbm = 40.0;            // emitted power at 1 m (10 W)
    double path_loss_exponent = 3.75;
    double antenna_height_m = 30.0;
    double range_m = 10000.0;           // for cells without range_m
    double beam_width = 65.0;           // horizontal 3 dB beam width for cells without one
    double back_attenuation_db = 30.0;  // front-to-back attenuation
    double midpoint_dbm = -92.5;        // signal dominance = 1 / (1 + exp(-steepness (S - midpoint)))
    double steepness = 0.2;
    double min_dominance = 0.01;        // pruned below
    double best_share = 0.9;            // pruned below this share of the best cell of the tile
};

struct SpatialConfig {
    std::string method = "voronoi";  // point | voronoi | footprint
    double grid_size_m = 0;          // 0 = no grid
    std::string crs = "auto";
    std::string weight_by = "area";  // area | population
    double tolerance_m2 = 10000;     // gaps / overlaps / containment slivers reported above this area
    double min_weight = 1e-6;        // cell -> zone weights below are dropped (then renormalised)
    FootprintConfig footprint;
};

struct DevicesConfig {  // [devices]: the per-device model (docs/devices.md)
    std::string segmentation = "ess";  // ess (continuity model) | gdf (speed hysteresis)
    int stay_min_minutes = 15;
    int same_stay_max_gap_hours = 12;
    int move_max_gap_minutes = 120;
    int padding_minutes = 5;
    int abroad_max_gap_hours = 72;
    double overlap_m = 1000;      // cells whose sites lie within this distance overlap
    double gdf_move_kmh = 10;     // gdf: a cell change faster than this is a move …
    double gdf_join_kmh = 3;      // … and following runs faster than this join it
    std::string daily_location = "last";  // last | most_frequent | majority
    int presence_window_minutes = 60;     // present population: nearest event within ± this
};

struct AnchorsConfig {  // [anchors]: usual environment, home and work (docs/anchors.md)
    std::string rules = "ess";  // ess | gdf | modal_last
    int day_start_hour = 4;     // the functional day starts at 04:00
    int night_start_hour = 18, night_end_hour = 8;
    int work_start_hour = 8, work_end_hour = 17;
    int ess_min_days = 50;      // devices observed on fewer days get no anchors
    double ess_ue_share = 0.7;  // usual environment: top zones holding this share of the score …
    double ess_gap_cut = 0.2;   // … none below this share of the top zone's score
    double ess_home_share = 0.8;
    double ess_work_share = 0.8;
    int gdf_top_locations = 4;
    int gdf_min_days = 5;
    int gdf_night_start_hour = 22, gdf_night_end_hour = 5;
    int gdf_home_night_days = 14;
    int gdf_home_weekend_days = 2;
    int gdf_work_days = 10;
    int gdf_work_max_weekend_days = 2;
    int modal_window_days = 28;
    std::vector<Day> holidays;  // treated like Sundays
    // Where in the zones the rule's home (and work) lies: "dominant_zone" (each
    // cell's dominant zone) or "posterior" (the tiles that best explain the
    // combination of cells observed, docs/anchors.md).
    std::string location = "posterior";
    double location_tile_m = 1000;    // tile size of the posterior's lattice
    double location_floor = 1e-3;     // P(cell | tile) never below: one odd event cannot veto a tile
};

struct TourismConfig {  // [tourism]: roaming and tourism indicators (docs/tourism.md)
    int inbound_trip_gap_hours = 24;     // a roamer's new trip starts after this long without an event
    double inbound_gap_pace_factor = 4.6; // ... and after this many times its own mean gap (ln 100: a silence that rare); 0 = off
    int night_hour = 4;                  // a night is counted when a trip spans this local hour
    double inbound_resident_share = 0.5;  // foreign SIMs seen across the period on this share of its days are residents
    int inbound_resident_stay_days = 28;  // ... or seen here from first to last day over this many days (a stay, not a visit); 0 = off
    int outbound_trip_gap_hours = 72;    // abroad events this close (same country, no event at home between) are one trip
    double outbound_min_hours = 3;       // a shorter trip without a night is a border blip, not a trip
    // travellers_estimated: a country with fewer travellers seen takes the pooled detection rate of all countries.
    int outbound_estimate_min_travellers = 100;
    // Domestic tourism: time outside the usual environment (home, work, and zones
    // visited on average at least domestic_usual_visits_per_week days a week).
    double domestic_usual_visits_per_week = 1;
    double domestic_min_hours = 3;       // a shorter time outside the usual environment is not a visit
    double domestic_overnight_hours = 5; // an overnight trip spans night_hour and lasts at least this long
    std::string domestic_level;          // level at which "outside the usual environment" is judged; empty = finest
    std::string domestic_origin_level;   // level of the origin column; empty = coarsest
};

struct MigrationConfig {  // [migration]: internal migration between two periods (docs/migration.md)
    bool enabled = false;
    Day previous_start = 0, previous_end = 0, new_start = 0, new_end = 0;  // 0: halves of the input period
    // Anchor rule set of the two homes: the most frequent night location suits migration best
    // (docs/migration.md); empty = anchors.rules.
    std::string rules = "modal_last";
    double max_overlap = 0.5;  // migrant: nights at the new home before + at the old home after < this
};

struct DisplacementConfig {  // [displacement]: residents of an affected area after a disaster (docs/displacement.md)
    std::optional<Day> event_date;           // unset: no displacement indicator
    std::vector<std::string> affected_zones; // zone ids of any level
    int baseline_days = 28;                  // the baseline home is taken over these days before the event
    int fill_nights = 3;                     // unobserved nights between two nights in one zone (at most this many) are spent there
};

struct IndicatorsConfig {  // [indicators]
    int present_interval_minutes = 60;
    // Present population: a time point outside every stay and move takes the nearest event
    // within this many minutes (sparse data leave most hours between events; docs/indicators.md).
    int present_window_minutes = 360;
    int od_min_stay_minutes = 30;  // shorter stays are stops on the way, not trip ends
    // Ping-pong: a device back on a cell of a stop it left at most this long ago
    // never left it (docs/indicators.md); 0 turns the filter off.
    int od_oscillation_minutes = 30;
    std::vector<std::string> levels;  // zone levels to publish; empty = all
};

struct StoreConfig {
    int buckets = 64;
};

struct OutputsConfig {  // [outputs]: how Tier II / III tables are written (docs/config.md, docs/parquet.md)
    std::vector<std::string> formats = {"csv"};  // "csv" and / or "parquet"
    bool csv() const;
    bool parquet() const;
};

struct RunConfig {
    std::filesystem::path work_dir;  // secure area: Tier I
    std::filesystem::path out_dir;   // Tier II / III
    int threads = 0;                 // 0 = all cores
    uint64_t memory_limit = 1ULL << 30;
    // Also write the benchmarks' reference indicators to work_dir/reference/
    // (indicators/reference.hpp); Tier I-ish, never released.
    bool reference_outputs = false;
    // Not a config key: where this process writes out_dir's files. `mpdstat
    // run` points it at a staging folder and publishes it whole at the end
    // (common/publish.hpp); empty means out_dir itself.
    std::filesystem::path write_dir;
    const std::filesystem::path& output_root() const noexcept { return write_dir.empty() ? out_dir : write_dir; }
};

struct Config {
    std::filesystem::path source;  // the TOML file
    std::string project_name = "mpdstat";
    InputConfig input;
    CleaningConfig cleaning;
    ZonesConfig zones;
    SpatialConfig spatial;
    DevicesConfig devices;
    AnchorsConfig anchors;
    IndicatorsConfig indicators;
    TourismConfig tourism;
    MigrationConfig migration;
    DisplacementConfig displacement;
    SdcConfig sdc;
    StoreConfig store;
    OutputsConfig outputs;
    RunConfig run;

    int thread_count() const;
};

// Loads and checks a config; throws config_error with "file:line:col: …".
Config load_config(const std::filesystem::path& path);
Config parse_config(std::string_view toml_text, const std::filesystem::path& base_dir,
                    const std::string& display_name = "config");

// The config as JSON for the manifest: paths and settings, never key material.
std::string config_to_json(const Config& c);

// "1GiB", "512MiB", "2000000" → bytes.
std::optional<uint64_t> parse_size(std::string_view text);

}  // namespace mpdstat
