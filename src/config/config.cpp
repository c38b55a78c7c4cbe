#include "config/config.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "config/toml_section.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

using toml_config::Section;
using toml_config::resolve;

Day require_day(Section& s, const char* key, const std::string& text, bool required) {
    if (text.empty()) {
        if (required) s.invalid(key, "is required (a date such as \"2024-01-31\")");
        return 0;
    }
    auto d = parse_day(text);
    if (!d) s.invalid(key, fmt::format("is not a date YYYY-MM-DD: \"{}\"", text));
    return *d;
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == 0) return std::nullopt;
    double v = 0;
    try {
        v = std::stod(std::string(text.substr(0, i)));
    } catch (...) {
        return std::nullopt;
    }
    std::string unit(text.substr(i));
    unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::tolower(c); });
    double mult = 1;
    if (unit.empty() || unit == "b") mult = 1;
    else if (unit == "k" || unit == "kib" || unit == "kb") mult = 1024.0;
    else if (unit == "m" || unit == "mib" || unit == "mb") mult = 1024.0 * 1024;
    else if (unit == "g" || unit == "gib" || unit == "gb") mult = 1024.0 * 1024 * 1024;
    else if (unit == "t" || unit == "tib" || unit == "tb") mult = 1024.0 * 1024 * 1024 * 1024;
    else return std::nullopt;
    return static_cast<uint64_t>(v * mult);
}

bool OutputsConfig::csv() const { return std::find(formats.begin(), formats.end(), "csv") != formats.end(); }
bool OutputsConfig::parquet() const { return std::find(formats.begin(), formats.end(), "parquet") != formats.end(); }

int Config::thread_count() const {
    if (run.threads > 0) return run.threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

Config parse_config(std::string_view text, const fs::path& base, const std::string& file) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw config_error(fmt::format("{}:{}:{}: {}", file, e.source().begin.line, e.source().begin.column,
                                       e.description()));
    }
    Config c;
    Section top(&root, "", file);

    Section project(top.table("project"), "project", file);
    project.get("name", c.project_name);
    project.reject_unknown();

    Section in(top.table("input"), "input", file);
    if (!top.table("input")) throw config_error(fmt::format("{}: missing [input] section", file));
    in.get_strings("events", c.input.events);
    if (c.input.events.empty()) in.invalid("events", "is required: one or more file paths or globs");
    for (auto& e : c.input.events) e = resolve(base, e).string();
    in.get("cells", c.input.cells);
    if (c.input.cells.empty()) in.invalid("cells", "is required: the cells CSV");
    c.input.cells = resolve(base, c.input.cells);
    in.get("format", c.input.format);
    if (c.input.format != "csv" && c.input.format != "parquet")
        in.invalid("format", "must be \"csv\" or \"parquet\" (files named *.parquet are read as Parquet either way)");
    std::string delim = ",";
    in.get("delimiter", delim);
    if (delim == "\\t" || delim == "tab") delim = "\t";
    if (delim.size() != 1 || delim[0] == '"' || delim[0] == '\n') in.invalid("delimiter", "must be one character such as \",\", \";\", \"|\" or \"\\t\"");
    c.input.delimiter = delim[0];
    in.get("header", c.input.header);
    if (!c.input.header) in.invalid("header", "must be true: columns are mapped by their header names");
    in.get("timestamp_format", c.input.timestamp_format);
    in.get("timezone", c.input.timezone);
    if (c.input.timezone.empty()) in.invalid("timezone", "is required: the IANA time zone of local time, e.g. \"Africa/Dakar\"");
    LocalClock check_zone(c.input.timezone);
    in.get("local_mcc", c.input.local_mcc);
    if (c.input.local_mcc < 100 || c.input.local_mcc > 999) in.invalid("local_mcc", "is required: the country's mobile country code, 100-999");
    std::string ps, pe;
    in.get("period_start", ps);
    in.get("period_end", pe);
    c.input.period_start = require_day(in, "period_start", ps, true);
    c.input.period_end = require_day(in, "period_end", pe, true);
    if (c.input.period_end < c.input.period_start) in.invalid("period_end", "is before period_start");
    in.get("already_pseudonymised", c.input.already_pseudonymised);
    in.get("key_file", c.input.key_file);
    c.input.key_file = resolve(base, c.input.key_file);
    in.get("key_env", c.input.key_env);

    Section cols(in.table("columns"), "input.columns", file);
    auto& ec = c.input.columns;
    for (auto [k, v] : {std::pair{"user_id", &ec.user_id}, {"timestamp", &ec.timestamp}, {"cell_id", &ec.cell_id},
                        {"event_type", &ec.event_type}, {"mcc", &ec.mcc}, {"mnc", &ec.mnc}, {"plmn", &ec.plmn},
                        {"lat", &ec.lat}, {"lon", &ec.lon}, {"duration", &ec.duration}})
        cols.get(k, *v);
    if (ec.user_id.empty() || ec.timestamp.empty()) cols.invalid("user_id", "and 'timestamp' columns are required");
    if (ec.lat.empty() != ec.lon.empty()) cols.invalid("lat", "and 'lon' must be given together");
    cols.reject_unknown();

    Section ccols(in.table("cell_columns"), "input.cell_columns", file);
    auto& cc = c.input.cell_columns;
    for (auto [k, v] : {std::pair{"cell_id", &cc.cell_id}, {"lat", &cc.lat}, {"lon", &cc.lon}, {"site_id", &cc.site_id},
                        {"azimuth", &cc.azimuth}, {"beam_width", &cc.beam_width}, {"range_m", &cc.range_m},
                        {"technology", &cc.technology}, {"valid_from", &cc.valid_from}, {"valid_to", &cc.valid_to}})
        ccols.get(k, *v);
    ccols.reject_unknown();
    in.reject_unknown();

    Section cl(top.table("cleaning"), "cleaning", file);
    auto& k = c.cleaning;
    cl.get("jump_distance_km", k.jump_distance_km);
    cl.get("jump_speed_mps", k.jump_speed_mps);
    cl.get("machine_min_events", k.machine_min_events);
    cl.get("machine_modal_share", k.machine_modal_share);
    cl.get("machine_gap_round_s", k.machine_gap_round_s);
    cl.get("max_events_per_day", k.max_events_per_day);
    cl.get("min_events_per_device", k.min_events_per_device);
    cl.get("error_rate_warn", k.error_rate_warn);
    cl.get("error_rate_fail", k.error_rate_fail);
    cl.get("anomaly_sigma", k.anomaly_sigma);
    cl.get("anomaly_window_days", k.anomaly_window_days);
    if (const toml::node* b = cl.raw("bbox")) {
        const toml::array* a = b->as_array();
        if (!a || a->size() != 4) cl.fail(*b, "bbox", "[min_lon, min_lat, max_lon, max_lat]");
        std::array<double, 4> box{};
        for (size_t i = 0; i < 4; ++i) {
            auto v = (*a)[i].value<double>();
            if (!v) cl.fail(*b, "bbox", "[min_lon, min_lat, max_lon, max_lat] of numbers");
            box[i] = *v;
        }
        if (box[0] >= box[2] || box[1] >= box[3]) cl.invalid("bbox", "needs min_lon < max_lon and min_lat < max_lat");
        k.bbox = box;
    }
    if (k.jump_distance_km <= 0) cl.invalid("jump_distance_km", "must be > 0");
    if (k.jump_speed_mps <= 0) cl.invalid("jump_speed_mps", "must be > 0");
    if (k.machine_modal_share <= 0 || k.machine_modal_share > 1) cl.invalid("machine_modal_share", "must be in (0, 1]");
    if (k.machine_gap_round_s <= 0) cl.invalid("machine_gap_round_s", "must be > 0");
    if (k.max_events_per_day < 0) cl.invalid("max_events_per_day", "must be >= 0 (0 turns the filter off)");
    if (k.error_rate_warn < 0 || k.error_rate_fail < k.error_rate_warn || k.error_rate_fail > 1)
        cl.invalid("error_rate_fail", "must be >= error_rate_warn, both in [0, 1]");
    if (k.anomaly_window_days < 1) cl.invalid("anomaly_window_days", "must be >= 1");
    cl.reject_unknown();

    Section zs(top.table("zones"), "zones", file);
    if (const toml::node* lv = zs.raw("levels")) {
        const toml::array* a = lv->as_array();
        if (!a) zs.fail(*lv, "levels", "an array of tables ([[zones.levels]])");
        for (const auto& e : *a) {
            if (!e.is_table()) zs.fail(e, "levels", "an array of tables ([[zones.levels]])");
            Section z(e.as_table(), "zones.levels", file);
            ZoneLevel l;
            z.get("name", l.name);
            z.get("path", l.path);
            z.get("layer", l.layer);
            z.get("id_field", l.id_field);
            z.get("name_field", l.name_field);
            z.get("parent_field", l.parent_field);
            if (l.name.empty()) z.invalid("name", "is required for every zone level");
            if (l.path.empty()) z.invalid("path", "is required for every zone level");
            l.path = resolve(base, l.path);
            z.reject_unknown();
            c.zones.levels.push_back(std::move(l));
        }
    }
    zs.get("census", c.zones.census);
    c.zones.census = resolve(base, c.zones.census);
    zs.get("census_level", c.zones.census_level);
    zs.reject_unknown();

    Section sp(top.table("spatial"), "spatial", file);
    sp.get("method", c.spatial.method);
    if (c.spatial.method != "point" && c.spatial.method != "voronoi" && c.spatial.method != "footprint")
        sp.invalid("method", "must be \"point\", \"voronoi\" or \"footprint\"");
    sp.get("grid_size_m", c.spatial.grid_size_m);
    if (c.spatial.grid_size_m < 0) sp.invalid("grid_size_m", "must be >= 0 (0 = no grid)");
    sp.get("crs", c.spatial.crs);
    sp.get("weight_by", c.spatial.weight_by);
    if (c.spatial.weight_by != "area" && c.spatial.weight_by != "population")
        sp.invalid("weight_by", "must be \"area\" or \"population\"");
    sp.get("tolerance_m2", c.spatial.tolerance_m2);
    if (!(c.spatial.tolerance_m2 >= 0)) sp.invalid("tolerance_m2", "must be >= 0 (square metres)");
    sp.get("min_weight", c.spatial.min_weight);
    if (!(c.spatial.min_weight >= 0 && c.spatial.min_weight < 0.5)) sp.invalid("min_weight", "must be in [0, 0.5)");
    if (c.spatial.method == "footprint" && c.spatial.grid_size_m <= 0)
        sp.invalid("method", "= \"footprint\" needs a grid: set spatial.grid_size_m (e.g. 1000)");
    if (c.spatial.weight_by == "population" && c.zones.census.empty())
        sp.invalid("weight_by", "= \"population\" needs a census: set zones.census (zone_id,population CSV)");
    {
        Section fp(sp.table("footprint"), "spatial.footprint", file);
        auto& f = c.spatial.footprint;
        fp.get("power_dbm", f.power_dbm);
        fp.get("path_loss_exponent", f.path_loss_exponent);
        fp.get("antenna_height_m", f.antenna_height_m);
        fp.get("range_m", f.range_m);
        fp.get("beam_width", f.beam_width);
        fp.get("back_attenuation_db", f.back_attenuation_db);
        fp.get("midpoint_dbm", f.midpoint_dbm);
        fp.get("steepness", f.steepness);
        fp.get("min_dominance", f.min_dominance);
        fp.get("best_share", f.best_share);
        if (!(f.path_loss_exponent > 0)) fp.invalid("path_loss_exponent", "must be > 0");
        if (!(f.antenna_height_m >= 0)) fp.invalid("antenna_height_m", "must be >= 0");
        if (!(f.range_m > 0)) fp.invalid("range_m", "must be > 0");
        if (!(f.beam_width > 0 && f.beam_width <= 360)) fp.invalid("beam_width", "must be in (0, 360]");
        if (!(f.back_attenuation_db >= 0)) fp.invalid("back_attenuation_db", "must be >= 0");
        if (!(f.steepness > 0)) fp.invalid("steepness", "must be > 0");
        if (!(f.min_dominance >= 0 && f.min_dominance < 1)) fp.invalid("min_dominance", "must be in [0, 1)");
        if (!(f.best_share >= 0 && f.best_share <= 1)) fp.invalid("best_share", "must be in [0, 1]");
        fp.reject_unknown();
    }
    sp.reject_unknown();

    Section sd(top.table("sdc"), "sdc", file);
    auto& q = c.sdc;
    int64_t min_devices = static_cast<int64_t>(q.min_devices);
    sd.get("min_devices", min_devices);
    if (min_devices < 1 || min_devices > 1000000000) sd.invalid("min_devices", "must be in 1..1000000000 (15 is the usual threshold)");
    q.min_devices = static_cast<uint64_t>(min_devices);
    std::string suppressed(to_string(q.suppressed));
    sd.get("suppressed", suppressed);
    if (auto m = parse_suppressed_mode(suppressed)) q.suppressed = *m;
    else sd.invalid("suppressed", "must be \"flag\" or \"drop\"");
    sd.get("secondary", q.secondary);
    std::string noise(to_string(q.noise));
    sd.get("noise", noise);
    if (auto m = parse_noise_mechanism(noise)) q.noise = *m;
    else sd.invalid("noise", "must be \"none\", \"laplace\" or \"gaussian\"");
    sd.get("epsilon", q.epsilon);
    if (!(q.epsilon > 0) || !std::isfinite(q.epsilon)) sd.invalid("epsilon", "must be a finite number > 0");
    if (q.noise == NoiseMechanism::gaussian && !(q.epsilon < 1))
        sd.invalid("epsilon", "must be < 1 with noise = \"gaussian\" (the classic Gaussian bound holds for epsilon in (0, 1))");
    sd.get("delta", q.delta);
    if (!(q.delta > 0 && q.delta < 1)) sd.invalid("delta", "must be in (0, 1), e.g. 1e-6");
    int64_t max_contributions = q.max_contributions;
    sd.get("max_contributions", max_contributions);
    if (max_contributions < 1 || max_contributions > 100000000) sd.invalid("max_contributions", "must be in 1..100000000");
    q.max_contributions = static_cast<uint32_t>(max_contributions);
    int64_t seed = 0;
    sd.get("seed", seed);
    if (seed < 0) sd.invalid("seed", "must be >= 0");
    q.seed = static_cast<uint64_t>(seed);
    sd.reject_unknown();

    Section st(top.table("store"), "store", file);
    st.get("buckets", c.store.buckets);
    if (c.store.buckets < 1 || c.store.buckets > 65536) st.invalid("buckets", "must be in 1..65536");
    st.reject_unknown();

    Section outs(top.table("outputs"), "outputs", file);
    outs.get_strings("formats", c.outputs.formats);
    if (c.outputs.formats.empty()) outs.invalid("formats", "must name at least one format: \"csv\" and / or \"parquet\"");
    for (size_t i = 0; i < c.outputs.formats.size(); ++i) {
        const auto& f = c.outputs.formats[i];
        if (f != "csv" && f != "parquet") outs.invalid("formats", fmt::format("holds \"{}\": each must be \"csv\" or \"parquet\"", f));
        if (std::find(c.outputs.formats.begin(), c.outputs.formats.begin() + static_cast<std::ptrdiff_t>(i), f) !=
            c.outputs.formats.begin() + static_cast<std::ptrdiff_t>(i))
            outs.invalid("formats", fmt::format("names \"{}\" twice", f));
    }
    outs.reject_unknown();

    Section run(top.table("run"), "run", file);
    if (!top.table("run")) throw config_error(fmt::format("{}: missing [run] section (work_dir, out_dir)", file));
    run.get("work_dir", c.run.work_dir);
    run.get("out_dir", c.run.out_dir);
    if (c.run.work_dir.empty()) run.invalid("work_dir", "is required: the secure folder for Tier I data");
    if (c.run.out_dir.empty()) run.invalid("out_dir", "is required: the folder for Tier II / III outputs");
    c.run.work_dir = resolve(base, c.run.work_dir);
    c.run.out_dir = resolve(base, c.run.out_dir);
    run.get("threads", c.run.threads);
    if (c.run.threads < 0) run.invalid("threads", "must be >= 0 (0 = all cores)");
    if (const toml::node* m = run.raw("memory_limit")) {
        if (auto s = m->value_exact<std::string>()) {
            auto v = parse_size(*s);
            if (!v || *v < (1ULL << 20)) run.invalid("memory_limit", "must be a size of at least 1MiB, e.g. \"2GiB\"");
            c.run.memory_limit = *v;
        } else if (auto i = m->value_exact<int64_t>()) {
            if (*i < (1LL << 20)) run.invalid("memory_limit", "must be at least 1MiB");
            c.run.memory_limit = static_cast<uint64_t>(*i);
        } else {
            run.fail(*m, "memory_limit", "a size such as \"2GiB\"");
        }
    }
    run.get("reference_outputs", c.run.reference_outputs);
    run.reject_unknown();

    Section dv(top.table("devices"), "devices", file);
    auto& d = c.devices;
    dv.get("segmentation", d.segmentation);
    if (d.segmentation != "ess" && d.segmentation != "gdf") dv.invalid("segmentation", "must be \"ess\" or \"gdf\"");
    dv.get("stay_min_minutes", d.stay_min_minutes);
    dv.get("same_stay_max_gap_hours", d.same_stay_max_gap_hours);
    dv.get("move_max_gap_minutes", d.move_max_gap_minutes);
    dv.get("padding_minutes", d.padding_minutes);
    dv.get("abroad_max_gap_hours", d.abroad_max_gap_hours);
    dv.get("overlap_m", d.overlap_m);
    dv.get("gdf_move_kmh", d.gdf_move_kmh);
    dv.get("gdf_join_kmh", d.gdf_join_kmh);
    dv.get("daily_location", d.daily_location);
    dv.get("presence_window_minutes", d.presence_window_minutes);
    if (d.daily_location != "last" && d.daily_location != "most_frequent" && d.daily_location != "majority")
        dv.invalid("daily_location", "must be \"last\", \"most_frequent\" or \"majority\"");
    for (auto [key, v] : {std::pair{"stay_min_minutes", d.stay_min_minutes}, {"same_stay_max_gap_hours", d.same_stay_max_gap_hours},
                          {"move_max_gap_minutes", d.move_max_gap_minutes}, {"abroad_max_gap_hours", d.abroad_max_gap_hours}})
        if (v <= 0) dv.invalid(key, "must be > 0");
    if (d.padding_minutes < 0 || d.presence_window_minutes < 0 || d.overlap_m < 0)
        dv.invalid("padding_minutes", "and presence_window_minutes, overlap_m must be >= 0");
    dv.reject_unknown();

    Section an(top.table("anchors"), "anchors", file);
    auto& a = c.anchors;
    an.get("rules", a.rules);
    if (a.rules != "ess" && a.rules != "gdf" && a.rules != "modal_last")
        an.invalid("rules", "must be \"ess\", \"gdf\" or \"modal_last\"");
    for (auto [key, v] : {std::pair{"day_start_hour", &a.day_start_hour}, {"night_start_hour", &a.night_start_hour},
                          {"night_end_hour", &a.night_end_hour}, {"work_start_hour", &a.work_start_hour},
                          {"work_end_hour", &a.work_end_hour}, {"gdf_night_start_hour", &a.gdf_night_start_hour},
                          {"gdf_night_end_hour", &a.gdf_night_end_hour}}) {
        an.get(key, *v);
        if (*v < 0 || *v > 23) an.invalid(key, "must be an hour 0-23");
    }
    for (auto [key, v] : {std::pair{"ess_min_days", &a.ess_min_days}, {"gdf_top_locations", &a.gdf_top_locations},
                          {"gdf_min_days", &a.gdf_min_days}, {"gdf_home_night_days", &a.gdf_home_night_days},
                          {"gdf_home_weekend_days", &a.gdf_home_weekend_days}, {"gdf_work_days", &a.gdf_work_days},
                          {"gdf_work_max_weekend_days", &a.gdf_work_max_weekend_days},
                          {"modal_window_days", &a.modal_window_days}}) {
        an.get(key, *v);
        if (*v < 0) an.invalid(key, "must be >= 0");
    }
    for (auto [key, v] : {std::pair{"ess_ue_share", &a.ess_ue_share}, {"ess_gap_cut", &a.ess_gap_cut},
                          {"ess_home_share", &a.ess_home_share}, {"ess_work_share", &a.ess_work_share}}) {
        an.get(key, *v);
        if (*v < 0 || *v > 1) an.invalid(key, "must be in [0, 1]");
    }
    std::vector<std::string> holidays;
    an.get_strings("holidays", holidays);
    for (const auto& h : holidays) {
        auto day = parse_day(h);
        if (!day) an.invalid("holidays", fmt::format("holds \"{}\", not a date YYYY-MM-DD", h));
        a.holidays.push_back(*day);
    }
    an.get("location", a.location);
    if (a.location != "dominant_zone" && a.location != "posterior")
        an.invalid("location", "must be \"dominant_zone\" or \"posterior\"");
    an.get("location_tile_m", a.location_tile_m);
    if (!(a.location_tile_m >= 50)) an.invalid("location_tile_m", "must be >= 50 (metres)");
    an.get("location_floor", a.location_floor);
    if (!(a.location_floor > 0 && a.location_floor < 1)) an.invalid("location_floor", "must be in (0, 1)");
    an.reject_unknown();

    Section tr(top.table("tourism"), "tourism", file);
    tr.get("inbound_trip_gap_hours", c.tourism.inbound_trip_gap_hours);
    if (c.tourism.inbound_trip_gap_hours <= 0) tr.invalid("inbound_trip_gap_hours", "must be > 0");
    tr.get("inbound_gap_pace_factor", c.tourism.inbound_gap_pace_factor);
    if (!(c.tourism.inbound_gap_pace_factor >= 0)) tr.invalid("inbound_gap_pace_factor", "must be >= 0");
    tr.get("night_hour", c.tourism.night_hour);
    if (c.tourism.night_hour < 0 || c.tourism.night_hour > 23) tr.invalid("night_hour", "must be an hour 0-23");
    tr.get("inbound_resident_share", c.tourism.inbound_resident_share);
    if (c.tourism.inbound_resident_share < 0 || c.tourism.inbound_resident_share > 1)
        tr.invalid("inbound_resident_share", "must be in [0, 1]");
    tr.get("inbound_resident_stay_days", c.tourism.inbound_resident_stay_days);
    if (c.tourism.inbound_resident_stay_days < 0) tr.invalid("inbound_resident_stay_days", "must be >= 0 (0: off)");
    tr.get("outbound_trip_gap_hours", c.tourism.outbound_trip_gap_hours);
    if (c.tourism.outbound_trip_gap_hours <= 0) tr.invalid("outbound_trip_gap_hours", "must be > 0");
    tr.get("outbound_min_hours", c.tourism.outbound_min_hours);
    if (c.tourism.outbound_min_hours < 0) tr.invalid("outbound_min_hours", "must be >= 0");
    tr.get("outbound_estimate_min_travellers", c.tourism.outbound_estimate_min_travellers);
    if (c.tourism.outbound_estimate_min_travellers < 0)
        tr.invalid("outbound_estimate_min_travellers", "must be >= 0 (0: every country by its own travellers)");
    tr.get("domestic_usual_visits_per_week", c.tourism.domestic_usual_visits_per_week);
    if (c.tourism.domestic_usual_visits_per_week <= 0 || c.tourism.domestic_usual_visits_per_week > 7)
        tr.invalid("domestic_usual_visits_per_week", "must be in (0, 7]");
    tr.get("domestic_min_hours", c.tourism.domestic_min_hours);
    if (c.tourism.domestic_min_hours < 1) tr.invalid("domestic_min_hours", "must be >= 1");
    tr.get("domestic_overnight_hours", c.tourism.domestic_overnight_hours);
    if (c.tourism.domestic_overnight_hours < 1) tr.invalid("domestic_overnight_hours", "must be >= 1");
    tr.get("domestic_level", c.tourism.domestic_level);
    tr.get("domestic_origin_level", c.tourism.domestic_origin_level);
    tr.reject_unknown();

    Section mg(top.table("migration"), "migration", file);
    {
        auto& m = c.migration;
        mg.get("enabled", m.enabled);
        mg.get("rules", m.rules);
        if (m.rules.empty()) m.rules = c.anchors.rules;
        mg.get("max_overlap", m.max_overlap);
        if (!(m.max_overlap > 0 && m.max_overlap <= 2)) mg.invalid("max_overlap", "must be in (0, 2]");
        if (!m.rules.empty() && m.rules != "ess" && m.rules != "gdf" && m.rules != "modal_last")
            mg.invalid("rules", "must be \"ess\", \"gdf\" or \"modal_last\"");
        std::string ps, pe, ns, ne;
        mg.get("previous_start", ps);
        mg.get("previous_end", pe);
        mg.get("new_start", ns);
        mg.get("new_end", ne);
        const Day half = c.input.period_start + (c.input.period_end - c.input.period_start + 1) / 2;
        m.previous_start = ps.empty() ? c.input.period_start : require_day(mg, "previous_start", ps, true);
        m.previous_end = pe.empty() ? half - 1 : require_day(mg, "previous_end", pe, true);
        m.new_start = ns.empty() ? half : require_day(mg, "new_start", ns, true);
        m.new_end = ne.empty() ? c.input.period_end : require_day(mg, "new_end", ne, true);
        if (m.previous_end < m.previous_start || m.new_end < m.new_start || m.new_start <= m.previous_end)
            mg.invalid("new_start", "must follow previous_end, each period with its start before its end");
        mg.reject_unknown();
    }

    Section dp(top.table("displacement"), "displacement", file);
    {
        auto& d = c.displacement;
        std::string date;
        dp.get("event_date", date);
        if (!date.empty()) d.event_date = require_day(dp, "event_date", date, true);
        dp.get_strings("affected_zones", d.affected_zones);
        dp.get("baseline_days", d.baseline_days);
        if (d.baseline_days < 1) dp.invalid("baseline_days", "must be >= 1");
        dp.get("fill_nights", d.fill_nights);
        if (d.fill_nights < 0) dp.invalid("fill_nights", "must be >= 0");
        if (d.event_date && d.affected_zones.empty()) dp.invalid("affected_zones", "is required with event_date");
        if (d.event_date && (*d.event_date <= c.input.period_start || *d.event_date > c.input.period_end))
            dp.invalid("event_date", "must fall inside the input period, after its first day (a baseline is needed)");
        dp.reject_unknown();
    }

    Section ind(top.table("indicators"), "indicators", file);
    ind.get("present_interval_minutes", c.indicators.present_interval_minutes);
    ind.get("present_window_minutes", c.indicators.present_window_minutes);
    if (c.indicators.present_window_minutes < 0 || c.indicators.present_window_minutes > 1440)
        ind.invalid("present_window_minutes", "must be in [0, 1440] (minutes)");
    if (c.indicators.present_interval_minutes <= 0 || 1440 % c.indicators.present_interval_minutes != 0)
        ind.invalid("present_interval_minutes", "must divide a day (e.g. 60, 30, 15)");
    ind.get("od_min_stay_minutes", c.indicators.od_min_stay_minutes);
    if (c.indicators.od_min_stay_minutes < 0 || c.indicators.od_min_stay_minutes > 1440)
        ind.invalid("od_min_stay_minutes", "must be in [0, 1440]");
    ind.get("od_oscillation_minutes", c.indicators.od_oscillation_minutes);
    if (c.indicators.od_oscillation_minutes < 0 || c.indicators.od_oscillation_minutes > 1440)
        ind.invalid("od_oscillation_minutes", "must be in [0, 1440]");
    ind.get_strings("levels", c.indicators.levels);
    ind.reject_unknown();

    top.reject_unknown();
    return c;
}

Config load_config(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw config_error(fmt::format("{}: config file not found", path.string()));
    std::string text;
    try {
        text = read_file(path);
    } catch (const Error& e) {
        throw config_error(e.what());
    }
    Config c = parse_config(text, fs::absolute(path).parent_path(), path.string());
    c.source = fs::absolute(path);
    return c;
}

std::string config_to_json(const Config& c) {
    nlohmann::ordered_json j;
    j["source"] = c.source.string();
    j["project"]["name"] = c.project_name;
    auto& in = j["input"];
    in["events"] = c.input.events;
    in["cells"] = c.input.cells.string();
    in["format"] = c.input.format;
    in["delimiter"] = std::string(1, c.input.delimiter);
    in["timestamp_format"] = c.input.timestamp_format;
    in["timezone"] = c.input.timezone;
    in["local_mcc"] = c.input.local_mcc;
    in["period_start"] = format_day(c.input.period_start);
    in["period_end"] = format_day(c.input.period_end);
    in["already_pseudonymised"] = c.input.already_pseudonymised;
    // Where the key comes from is recorded; the key itself never is.
    in["key_source"] = !c.input.key_file.empty() ? "file" : (!c.input.key_env.empty() ? "env:" + c.input.key_env : "none");
    const auto& ec = c.input.columns;
    in["columns"] = {{"user_id", ec.user_id}, {"timestamp", ec.timestamp}, {"cell_id", ec.cell_id},
                     {"event_type", ec.event_type}, {"mcc", ec.mcc}, {"mnc", ec.mnc}, {"plmn", ec.plmn},
                     {"lat", ec.lat}, {"lon", ec.lon}, {"duration", ec.duration}};
    const auto& cc = c.input.cell_columns;
    in["cell_columns"] = {{"cell_id", cc.cell_id}, {"lat", cc.lat}, {"lon", cc.lon}, {"site_id", cc.site_id},
                          {"azimuth", cc.azimuth}, {"beam_width", cc.beam_width}, {"range_m", cc.range_m},
                          {"technology", cc.technology}, {"valid_from", cc.valid_from}, {"valid_to", cc.valid_to}};
    const auto& k = c.cleaning;
    j["cleaning"] = {{"jump_distance_km", k.jump_distance_km}, {"jump_speed_mps", k.jump_speed_mps},
                     {"machine_min_events", k.machine_min_events}, {"machine_modal_share", k.machine_modal_share},
                     {"machine_gap_round_s", k.machine_gap_round_s}, {"max_events_per_day", k.max_events_per_day},
                     {"min_events_per_device", k.min_events_per_device}, {"error_rate_warn", k.error_rate_warn},
                     {"error_rate_fail", k.error_rate_fail}, {"anomaly_sigma", k.anomaly_sigma},
                     {"anomaly_window_days", k.anomaly_window_days}};
    if (k.bbox) j["cleaning"]["bbox"] = *k.bbox;
    for (const auto& l : c.zones.levels)
        j["zones"]["levels"].push_back({{"name", l.name}, {"path", l.path.string()}, {"id_field", l.id_field},
                                        {"name_field", l.name_field}, {"parent_field", l.parent_field}});
    const auto& f = c.spatial.footprint;
    j["spatial"] = {{"method", c.spatial.method}, {"grid_size_m", c.spatial.grid_size_m}, {"crs", c.spatial.crs},
                    {"weight_by", c.spatial.weight_by}, {"tolerance_m2", c.spatial.tolerance_m2},
                    {"min_weight", c.spatial.min_weight},
                    {"footprint", {{"power_dbm", f.power_dbm}, {"path_loss_exponent", f.path_loss_exponent},
                                   {"antenna_height_m", f.antenna_height_m}, {"range_m", f.range_m},
                                   {"beam_width", f.beam_width}, {"back_attenuation_db", f.back_attenuation_db},
                                   {"midpoint_dbm", f.midpoint_dbm}, {"steepness", f.steepness},
                                   {"min_dominance", f.min_dominance}, {"best_share", f.best_share}}}};
    const auto& d = c.devices;
    j["devices"] = {{"segmentation", d.segmentation}, {"stay_min_minutes", d.stay_min_minutes},
                    {"same_stay_max_gap_hours", d.same_stay_max_gap_hours}, {"move_max_gap_minutes", d.move_max_gap_minutes},
                    {"padding_minutes", d.padding_minutes}, {"abroad_max_gap_hours", d.abroad_max_gap_hours},
                    {"overlap_m", d.overlap_m}, {"gdf_move_kmh", d.gdf_move_kmh}, {"gdf_join_kmh", d.gdf_join_kmh},
                    {"daily_location", d.daily_location}, {"presence_window_minutes", d.presence_window_minutes}};
    const auto& a = c.anchors;
    std::vector<std::string> holidays;
    for (Day h : a.holidays) holidays.push_back(format_day(h));
    j["anchors"] = {{"rules", a.rules}, {"day_start_hour", a.day_start_hour}, {"night_start_hour", a.night_start_hour},
                    {"night_end_hour", a.night_end_hour}, {"work_start_hour", a.work_start_hour},
                    {"work_end_hour", a.work_end_hour}, {"ess_min_days", a.ess_min_days}, {"ess_ue_share", a.ess_ue_share},
                    {"ess_gap_cut", a.ess_gap_cut}, {"ess_home_share", a.ess_home_share},
                    {"ess_work_share", a.ess_work_share}, {"gdf_top_locations", a.gdf_top_locations},
                    {"gdf_min_days", a.gdf_min_days}, {"gdf_night_start_hour", a.gdf_night_start_hour},
                    {"gdf_night_end_hour", a.gdf_night_end_hour}, {"gdf_home_night_days", a.gdf_home_night_days},
                    {"gdf_home_weekend_days", a.gdf_home_weekend_days}, {"gdf_work_days", a.gdf_work_days},
                    {"gdf_work_max_weekend_days", a.gdf_work_max_weekend_days},
                    {"modal_window_days", a.modal_window_days}, {"holidays", holidays},
                    {"location", a.location}, {"location_tile_m", a.location_tile_m}, {"location_floor", a.location_floor}};
    j["indicators"] = {{"present_interval_minutes", c.indicators.present_interval_minutes},
                       {"present_window_minutes", c.indicators.present_window_minutes},
                       {"od_min_stay_minutes", c.indicators.od_min_stay_minutes},
                       {"od_oscillation_minutes", c.indicators.od_oscillation_minutes},
                       {"levels", c.indicators.levels}};
    const auto& t = c.tourism;
    j["tourism"] = {{"inbound_trip_gap_hours", t.inbound_trip_gap_hours},
                    {"inbound_gap_pace_factor", t.inbound_gap_pace_factor}, {"night_hour", t.night_hour},
                    {"inbound_resident_share", t.inbound_resident_share},
                    {"inbound_resident_stay_days", t.inbound_resident_stay_days},
                    {"outbound_trip_gap_hours", t.outbound_trip_gap_hours}, {"outbound_min_hours", t.outbound_min_hours},
                    {"outbound_estimate_min_travellers", t.outbound_estimate_min_travellers},
                    {"domestic_usual_visits_per_week", t.domestic_usual_visits_per_week},
                    {"domestic_min_hours", t.domestic_min_hours}, {"domestic_overnight_hours", t.domestic_overnight_hours},
                    {"domestic_level", t.domestic_level}, {"domestic_origin_level", t.domestic_origin_level}};
    const auto& m = c.migration;
    j["migration"] = {{"enabled", m.enabled}, {"rules", m.rules},
                      {"max_overlap", m.max_overlap}};
    if (m.enabled && m.previous_start != 0)
        j["migration"].update({{"previous_start", format_day(m.previous_start)}, {"previous_end", format_day(m.previous_end)},
                               {"new_start", format_day(m.new_start)}, {"new_end", format_day(m.new_end)}});
    const auto& dp = c.displacement;
    j["displacement"] = {{"event_date", dp.event_date ? format_day(*dp.event_date) : ""},
                         {"affected_zones", dp.affected_zones}, {"baseline_days", dp.baseline_days}, {"fill_nights", dp.fill_nights}};
    // The noise seed is a secret (it removes the noise): only whether one was set is recorded.
    j["sdc"] = {{"min_devices", c.sdc.min_devices}, {"suppressed", std::string(to_string(c.sdc.suppressed))},
                {"secondary", c.sdc.secondary}, {"noise", std::string(to_string(c.sdc.noise))}, {"epsilon", c.sdc.epsilon},
                {"delta", c.sdc.delta}, {"max_contributions", c.sdc.max_contributions},
                {"seed_set", c.sdc.seed != 0}};
    // anchors and indicators above also tell a reader of the outputs (mpdstat
    // audit) which hours each day / night mean covers.
    j["store"] = {{"buckets", c.store.buckets}};
    j["outputs"] = {{"formats", c.outputs.formats}};
    j["run"] = {{"work_dir", c.run.work_dir.string()}, {"out_dir", c.run.out_dir.string()}, {"threads", c.run.threads},
                {"memory_limit", c.run.memory_limit}};
    if (c.run.reference_outputs) j["run"]["reference_outputs"] = true;
    return j.dump(2);
}

}  // namespace mpdstat
