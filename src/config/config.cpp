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

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// Reads one TOML table, remembering which keys were read, so that every key
// left over is reported as unknown (a typo must not pass silently).
class Section {
public:
    Section(const toml::table* t, std::string path, const std::string& file) : t_(t), path_(std::move(path)), file_(file) {}

    template <class T>
    void get(const char* key, T& out) {
        known_.insert(key);
        if (!t_) return;
        const toml::node* n = t_->get(key);
        if (!n) return;
        if constexpr (std::is_same_v<T, bool>) {
            if (auto v = n->value_exact<bool>()) { out = *v; return; }
            fail(*n, key, "a boolean (true or false)");
        } else if constexpr (std::is_integral_v<T>) {
            if (auto v = n->value_exact<int64_t>()) { out = static_cast<T>(*v); return; }
            fail(*n, key, "an integer");
        } else if constexpr (std::is_floating_point_v<T>) {
            if (auto v = n->value<double>()) { out = *v; return; }
            fail(*n, key, "a number");
        } else if constexpr (std::is_same_v<T, fs::path>) {
            if (auto v = n->value_exact<std::string>()) { out = fs::path(*v); return; }
            fail(*n, key, "a path string");
        } else {
            if (auto v = n->value_exact<std::string>()) { out = *v; return; }
            fail(*n, key, "a string");
        }
    }

    void get_strings(const char* key, std::vector<std::string>& out) {
        known_.insert(key);
        if (!t_) return;
        const toml::node* n = t_->get(key);
        if (!n) return;
        if (auto s = n->value_exact<std::string>()) { out = {*s}; return; }
        const toml::array* a = n->as_array();
        if (!a) fail(*n, key, "a string or an array of strings");
        out.clear();
        for (const auto& e : *a) {
            auto s = e.value_exact<std::string>();
            if (!s) fail(e, key, "an array of strings");
            out.push_back(*s);
        }
    }

    const toml::node* raw(const char* key) {
        known_.insert(key);
        return t_ ? t_->get(key) : nullptr;
    }

    const toml::table* table(const char* key) {
        known_.insert(key);
        if (!t_) return nullptr;
        const toml::node* n = t_->get(key);
        if (!n) return nullptr;
        if (!n->is_table()) fail(*n, key, "a table");
        return n->as_table();
    }

    [[noreturn]] void fail(const toml::node& n, std::string_view key, std::string_view expected) const {
        throw config_error(fmt::format("{}:{}:{}: '{}' must be {}", file_, n.source().begin.line, n.source().begin.column,
                                       qualified(key), expected));
    }
    [[noreturn]] void invalid(std::string_view key, std::string_view why) const {
        const toml::node* n = t_ ? t_->get(key) : nullptr;
        if (n)
            throw config_error(fmt::format("{}:{}:{}: '{}' {}", file_, n->source().begin.line, n->source().begin.column,
                                           qualified(key), why));
        throw config_error(fmt::format("{}: '{}' {}", file_, qualified(key), why));
    }
    std::string qualified(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

    // Reports the first key that no get() asked for.
    void reject_unknown() const {
        if (!t_) return;
        for (const auto& [k, v] : *t_) {
            std::string key(k.str());
            if (known_.count(key)) continue;
            std::string best;
            size_t best_d = 3;
            for (const auto& cand : known_) {
                size_t d = edit_distance(key, cand);
                if (d < best_d) { best_d = d; best = cand; }
            }
            std::string hint = best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", qualified(best));
            const auto& at = k.source().begin ? k.source() : v.source();
            throw config_error(fmt::format("{}:{}:{}: unknown key '{}'{}", file_, at.begin.line, at.begin.column,
                                           qualified(key), hint));
        }
    }

private:
    const toml::table* t_;
    std::string path_;
    const std::string& file_;
    std::set<std::string> known_;
};

fs::path resolve(const fs::path& base, const fs::path& p) {
    if (p.empty() || p.is_absolute()) return p;
    return (base / p).lexically_normal();
}

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
    if (c.input.format != "csv") in.invalid("format", "must be \"csv\"");
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
            if (!v || *v < (16ULL << 20)) run.invalid("memory_limit", "must be a size of at least 16MiB, e.g. \"2GiB\"");
            c.run.memory_limit = *v;
        } else if (auto i = m->value_exact<int64_t>()) {
            if (*i < (16LL << 20)) run.invalid("memory_limit", "must be at least 16MiB");
            c.run.memory_limit = static_cast<uint64_t>(*i);
        } else {
            run.fail(*m, "memory_limit", "a size such as \"2GiB\"");
        }
    }
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
    an.reject_unknown();

    Section tr(top.table("tourism"), "tourism", file);
    tr.get("inbound_trip_gap_hours", c.tourism.inbound_trip_gap_hours);
    if (c.tourism.inbound_trip_gap_hours <= 0) tr.invalid("inbound_trip_gap_hours", "must be > 0");
    tr.get("night_hour", c.tourism.night_hour);
    if (c.tourism.night_hour < 0 || c.tourism.night_hour > 23) tr.invalid("night_hour", "must be an hour 0-23");
    tr.get("inbound_resident_share", c.tourism.inbound_resident_share);
    if (c.tourism.inbound_resident_share < 0 || c.tourism.inbound_resident_share > 1)
        tr.invalid("inbound_resident_share", "must be in [0, 1]");
    tr.get("outbound_trip_gap_hours", c.tourism.outbound_trip_gap_hours);
    if (c.tourism.outbound_trip_gap_hours <= 0) tr.invalid("outbound_trip_gap_hours", "must be > 0");
    tr.get("outbound_min_hours", c.tourism.outbound_min_hours);
    if (c.tourism.outbound_min_hours < 0) tr.invalid("outbound_min_hours", "must be >= 0");
    tr.reject_unknown();

    Section mg(top.table("migration"), "migration", file);
    {
        auto& m = c.migration;
        mg.get("enabled", m.enabled);
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
        if (d.event_date && d.affected_zones.empty()) dp.invalid("affected_zones", "is required with event_date");
        if (d.event_date && (*d.event_date <= c.input.period_start || *d.event_date > c.input.period_end))
            dp.invalid("event_date", "must fall inside the input period, after its first day (a baseline is needed)");
        dp.reject_unknown();
    }

    Section ind(top.table("indicators"), "indicators", file);
    ind.get("present_interval_minutes", c.indicators.present_interval_minutes);
    if (c.indicators.present_interval_minutes <= 0 || 1440 % c.indicators.present_interval_minutes != 0)
        ind.invalid("present_interval_minutes", "must divide a day (e.g. 60, 30, 15)");
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
    const auto& k = c.cleaning;
    j["cleaning"] = {{"jump_distance_km", k.jump_distance_km}, {"jump_speed_mps", k.jump_speed_mps},
                     {"machine_min_events", k.machine_min_events}, {"machine_modal_share", k.machine_modal_share},
                     {"machine_gap_round_s", k.machine_gap_round_s}, {"max_events_per_day", k.max_events_per_day},
                     {"min_events_per_device", k.min_events_per_device}, {"error_rate_warn", k.error_rate_warn},
                     {"error_rate_fail", k.error_rate_fail}, {"anomaly_sigma", k.anomaly_sigma},
                     {"anomaly_window_days", k.anomaly_window_days}};
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
    // The noise seed is a secret (it removes the noise): only whether one was set is recorded.
    j["sdc"] = {{"min_devices", c.sdc.min_devices}, {"suppressed", std::string(to_string(c.sdc.suppressed))},
                {"secondary", c.sdc.secondary}, {"noise", std::string(to_string(c.sdc.noise))}, {"epsilon", c.sdc.epsilon},
                {"delta", c.sdc.delta}, {"max_contributions", c.sdc.max_contributions},
                {"seed_set", c.sdc.seed != 0}};
    // The time windows of the day / night population, so that a reader of the
    // outputs (mpdstat audit) knows which hours each mean covers.
    std::vector<std::string> holidays;
    for (Day d : c.anchors.holidays) holidays.push_back(format_day(d));
    j["anchors"] = {{"rules", c.anchors.rules},
                    {"night_start_hour", c.anchors.night_start_hour}, {"night_end_hour", c.anchors.night_end_hour},
                    {"work_start_hour", c.anchors.work_start_hour},   {"work_end_hour", c.anchors.work_end_hour},
                    {"holidays", holidays}};
    j["indicators"] = {{"present_interval_minutes", c.indicators.present_interval_minutes}};
    j["store"] = {{"buckets", c.store.buckets}};
    j["run"] = {{"work_dir", c.run.work_dir.string()}, {"out_dir", c.run.out_dir.string()}, {"threads", c.run.threads},
                {"memory_limit", c.run.memory_limit}};
    return j.dump(2);
}

}  // namespace mpdstat
