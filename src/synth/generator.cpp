#include "synth/generator.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/progress.hpp"
#include "synth/diary.hpp"
#include "synth/event_format.hpp"
#include "synth/geography.hpp"
#include "synth/network.hpp"
#include "synth/population.hpp"
#include "synth/truth.hpp"

namespace mpdstat::synth {

namespace fs = std::filesystem;

namespace {

constexpr size_t kBlock = 256;           // persons per parallel task
constexpr size_t kChunkEvents = 131072;  // events per compressed chunk

// Hourly rhythm of calls / SMS and of data sessions (relative weights).
constexpr double kVoiceRhythm[24] = {0.25, 0.12, 0.07, 0.05, 0.06, 0.2, 0.6, 1.3, 2.0, 2.4, 2.6, 2.8,
                                     3.0,  2.8,  2.6,  2.6,  2.8,  3.1, 3.4, 3.6, 3.3, 2.6, 1.6, 0.7};
constexpr double kDataRhythm[24] = {1.0, 0.8, 0.6, 0.5, 0.5, 0.7, 1.2, 1.8, 2.2, 2.4, 2.5, 2.6,
                                    2.7, 2.6, 2.5, 2.5, 2.6, 2.8, 3.0, 3.2, 3.2, 2.9, 2.2, 1.5};

void write_key(const fs::path& path, uint64_t seed) {
    Rng r = Rng::stream(seed, 0x4B45);
    unsigned char key[32];
    for (int i = 0; i < 4; ++i) {
        uint64_t v = r.next();
        std::memcpy(key + 8 * i, &v, 8);
    }
    fs::path tmp = path;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw runtime_error(fmt::format("{}: cannot create: {}", tmp.string(), std::strerror(errno)));
    ::fchmod(fd, 0600);
    bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw runtime_error(fmt::format("{}: write failed", tmp.string()));
    fs::rename(tmp, path);
}

struct Generator {
    const SynthOptions& o;
    const fs::path& out;
    Geography& geo;
    Network& net;
    Population& pop;
    DiaryContext ctx;
    std::vector<double> rhythm_cum;
    std::vector<std::string> cell_ids;

    // Events of one device for one day, appended to `evs`.
    void device_day(const Person& p, uint32_t dev, Day day, int day_index, const std::vector<Segment>& diary,
                    const std::vector<bool>& hour_missing, std::vector<Ev>& evs, DayAcc& acc) const {
        Rng rng = Rng::stream(o.seed, 0xE7E, dev, static_cast<uint64_t>(day));
        const Device& d = pop.devices[dev];
        const size_t first = evs.size();
        const Faults& f = o.faults;
        uint64_t true_events = 0;
        auto emit = [&](Ev e, Vec2 pos) {
            ++true_events;
            bool dropped = f.outage_day == day_index || (f.outage_hour_day == day_index && static_cast<int>(e.sec / 3600) == f.outage_hour) ||
                           hour_missing[e.sec / 3600];
            // Fault draws happen whether or not the event is dropped, so the stream stays aligned.
            double uj = rng.uniform(), uu = rng.uniform(), um = rng.uniform(), ud = rng.uniform();
            uint64_t kind = rng.below(5);
            if (dropped) return;
            bool jumped = false;
            if (e.cell != UINT32_MAX && uj < f.jumps) {
                uint32_t c = net.far_cell(pos, day, rng);
                if (c != UINT32_MAX) e.cell = c, jumped = true;
            }
            if (e.cell != UINT32_MAX && uu < f.unknown_cells) e.fault = RowFault::unknown_cell;
            else if (um < f.malformed) e.fault = static_cast<RowFault>(static_cast<int>(RowFault::bad_timestamp) + kind);
            // Fault counts are of rows: a duplicated faulty row counts twice.
            int copies = ud < f.duplicates ? 2 : 1;
            for (int k = 0; k < copies; ++k) {
                evs.push_back(e);
                if (e.fault != RowFault::none) ++acc.faults[static_cast<int>(e.fault)];
                if (jumped) ++acc.faults[kRowFaultKinds + 1];
            }
            if (copies == 2) ++acc.faults[kRowFaultKinds];
        };
        auto draw_type = [&](Ev& e) {
            double u = rng.uniform();
            if (u < o.data_share) {
                e.type = EvType::data;
                e.duration = static_cast<uint32_t>(std::clamp(rng.lognormal(std::log(120.0), 1.2), 1.0, 7200.0));
            } else if (rng.chance(0.55)) {
                e.type = EvType::call;
                e.duration = static_cast<uint32_t>(std::clamp(rng.lognormal(std::log(60.0), 1.0), 1.0, 7200.0));
            } else {
                e.type = EvType::sms;
                e.duration = 0;
            }
        };

        if (p.kind == PersonKind::iot) {
            const Place& pl = p.places[p.home[0]];
            uint32_t cell = net.best(pl.cells, day);
            if (cell == UINT32_MAX) return;
            for (uint32_t t = p.iot_phase_s; t < 86400; t += p.iot_period_s) {
                Ev e;
                int64_t s = static_cast<int64_t>(t) + static_cast<int64_t>(rng.below(7)) - 3;
                e.sec = static_cast<uint32_t>(std::clamp<int64_t>(s, 0, 86399));
                e.device = dev;
                e.cell = cell;
                e.type = EvType::data;
                e.duration = 1 + static_cast<uint32_t>(rng.below(3));
                emit(e, pl.pos);
            }
        } else {
            bool present = false;
            for (const auto& s : diary) present = present || s.type != SegType::absent;
            if (!present) return;
            DayKind dk = day_kind(day);
            double mean = d.activity * rng.lognormal(0.0, 0.35) * (dk.rest ? 0.9 : 1.0);
            uint32_t n = rng.poisson(mean);
            std::vector<uint32_t> times(n);
            for (auto& t : times) t = static_cast<uint32_t>(rng.pick_cumulative(rhythm_cum) * 3600 + rng.below(3600));
            std::sort(times.begin(), times.end());
            size_t si = 0;
            for (uint32_t t : times) {
                while (si < diary.size() && diary[si].t1 <= static_cast<int32_t>(t)) ++si;
                if (si >= diary.size()) break;
                const Segment& s = diary[si];
                Ev e;
                e.sec = t;
                e.device = dev;
                Vec2 pos = s.a;
                if (s.type == SegType::absent) continue;
                if (s.type == SegType::abroad) {
                    if (!rng.chance(0.5)) continue;  // roaming is expensive: less activity abroad
                    e.plmn = static_cast<uint16_t>(s.country + 1);
                } else if (s.type == SegType::stay) {
                    if (!s.ncell) continue;
                    float r = static_cast<float>(rng.uniform()) * s.cum[s.ncell - 1];
                    int k = 0;
                    while (k + 1 < s.ncell && r >= s.cum[k]) ++k;
                    e.cell = s.cell[k];
                } else {
                    double fr = s.t1 > s.t0 ? double(static_cast<int32_t>(t) - s.t0) / double(s.t1 - s.t0) : 1.0;
                    pos = s.a + (s.b - s.a) * fr;
                    e.cell = net.serve(net.choose(pos), day, rng);
                    if (e.cell == UINT32_MAX) continue;
                }
                draw_type(e);
                emit(e, pos);
            }
            // Every subscriber present in the period shows up at least once on its first day there.
            bool first_day = day == std::max(o.start, p.kind == PersonKind::inbound ? p.arrive : o.start);
            if (first_day && true_events == 0) {
                for (const auto& s : diary) {
                    if (s.type == SegType::absent || s.type == SegType::move || (s.type == SegType::stay && !s.ncell)) continue;
                    Ev e;
                    e.sec = static_cast<uint32_t>((s.t0 + s.t1) / 2);
                    e.device = dev;
                    if (s.type == SegType::abroad) e.plmn = static_cast<uint16_t>(s.country + 1);
                    else e.cell = s.cell[0];
                    draw_type(e);
                    emit(e, s.a);
                    break;
                }
            }
        }
        acc.events_true += true_events;
        acc.events += evs.size() - first;
        if (evs.size() > first) ++acc.active_devices;
    }
};

std::string json_num(double v) { return fmt::format("{:.6f}", v); }

}  // namespace

std::string scenario_toml(const SynthOptions& o, const std::array<double, 4>& bbox, const std::vector<std::string>& affected) {
    std::string ext = std::string(".csv") + std::string(compression_suffix(o.compression));
    std::string s;
    s += fmt::format("# Generated by `mpdstat synth --preset {} --seed {}`; paths are relative to this file.\n", o.preset, o.seed);
    s += fmt::format("[project]\nname = \"synth-{}\"\n\n", o.preset);
    s += "[input]\n";
    s += fmt::format("events = [\"events/*{}\"]\n", ext);
    s += "cells = \"cells.csv\"\n";
    s += "timestamp_format = \"%Y-%m-%d %H:%M:%S\"\n";
    s += fmt::format("timezone = \"{}\"\n", o.timezone);
    s += fmt::format("local_mcc = {}\n", kLocalMcc);
    s += fmt::format("period_start = \"{}\"\nperiod_end = \"{}\"\n", format_day(o.start), format_day(o.end()));
    s += "key_file = \"pseudonymisation.key\"\n\n";
    s += "[input.columns]\n";
    for (const char* c : {"user_id", "timestamp", "cell_id", "event_type", "mcc", "mnc", "plmn", "duration"})
        s += fmt::format("{} = \"{}\"\n", c, c);
    s += fmt::format("\n[cleaning]\nbbox = [{:.4f}, {:.4f}, {:.4f}, {:.4f}]\n\n", bbox[0], bbox[1], bbox[2], bbox[3]);
    s += "[zones]\ncensus = \"census.csv\"\ncensus_level = \"commune\"\n\n";
    const char* levels[3] = {"region", "district", "commune"};
    for (int l = 0; l < 3; ++l) {
        s += fmt::format("[[zones.levels]]\nname = \"{}\"\npath = \"zones/{}.geojson\"\nid_field = \"id\"\nname_field = \"name\"\n",
                         levels[l], levels[l]);
        if (l > 0) s += "parent_field = \"parent\"\n";
        s += "\n";
    }
    // The anchor rules' day thresholds are written for long periods (50 days of
    // observation for ESS, 14 nights for GDF): scale them to the scenario.
    const int days = o.days;
    s += "[anchors]\n";
    s += fmt::format("ess_min_days = {}\n", std::min(50, std::max(1, days / 2)));
    s += fmt::format("gdf_min_days = {}\n", std::min(5, std::max(1, days / 4)));
    s += fmt::format("gdf_home_night_days = {}\n", std::min(14, std::max(1, days / 2)));
    s += fmt::format("gdf_home_weekend_days = {}\n", std::min(2, days / 7));
    s += fmt::format("gdf_work_days = {}\n", std::min(10, std::max(1, days / 3)));
    std::vector<std::string> hol;
    for (Day d = o.start; d <= o.end(); ++d)
        if (is_holiday(d)) hol.push_back(fmt::format("\"{}\"", format_day(d)));
    s += fmt::format("holidays = [{}]\n\n", fmt::join(hol, ", "));
    if (o.disaster_day >= 1 && !affected.empty()) {
        std::vector<std::string> quoted;
        for (const auto& id : affected) quoted.push_back(fmt::format("\"{}\"", id));
        s += fmt::format("[displacement]\nevent_date = \"{}\"\naffected_zones = [{}]\nbaseline_days = {}\n\n",
                         format_day(o.start + o.disaster_day), fmt::join(quoted, ", "), o.disaster_day);
    }
    // Two weeks give two halves of a week each: enough nights for a home in
    // each, so the scenario's movers show as migration flows (docs/migration.md).
    if (days >= 14 && o.share_migrants > 0) s += "[migration]\nenabled = true\n\n";
    s += "[run]\nwork_dir = \"work\"\nout_dir = \"out\"\n";
    return s;
}

std::string estimate_toml(const SynthOptions& o, double market_share, double devices_per_subscriber) {
    std::string s = fmt::format("# Generated by `mpdstat synth --preset {} --seed {}`: Tier III from this scenario's Tier II\n"
                                "# (`mpdstat run mpdstat.toml`, then `mpdstat estimate estimate.toml`; docs/estimate.md).\n",
                                o.preset, o.seed);
    s += "[estimate]\ncensus = \"census.csv\"\ncensus_level = \"commune\"\n";
    // Post-stratified at the finest level above the census with enough residents
    // per zone (districts, ≈ 60 on xdr), each factor shrunk toward its region's:
    // a district with 10 residents counts half its own (docs/estimate.md).
    s += "calibration = \"zone\"\ncalibration_level = \"district\"\ncalibration_prior_devices = 10\nout_dir = \"out\"\n\n";
    // The one operator of the scenario: its residents' share of the population
    // and SIM cards per subscriber, as the regulator's statistics would give them.
    s += fmt::format("[[estimate.mno]]\nname = \"synthetic\"\ntier2_dir = \"out\"\nmarket_share = {:.6g}\n"
                     "devices_per_subscriber = {:.4f}\ninbound_factors = \"inbound_factors.csv\"\n",
                     market_share, devices_per_subscriber);
    return s;
}

GenerateStats generate(const SynthOptions& o, const fs::path& out, bool show_progress) {
    auto t0 = std::chrono::steady_clock::now();
    if (o.days < 1) throw usage_error("--days must be at least 1");
    if (o.devices < 1) throw usage_error("--devices must be at least 1");
    if (o.devices > 50'000'000) throw usage_error("--devices is limited to 50,000,000");
    if (o.faults.outage_day >= o.days || o.faults.outage_hour_day >= o.days)
        throw usage_error("--faults: the outage day is after the last day");
    if (o.disaster_day >= o.days) throw usage_error("the disaster day is after the last day");
    std::unique_ptr<tbb::global_control> limit;
    if (o.threads > 0) limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, o.threads);
    LocalClock clock(o.timezone);  // validates the zone

    fs::create_directories(out / "events");
    fs::create_directories(out / "zones");
    fs::create_directories(out / "truth");
    // Remove event files of an earlier scenario in the same folder, so the glob sees only this one.
    for (const auto& e : fs::directory_iterator(out / "events"))
        if (e.path().filename().string().rfind("events_", 0) == 0) fs::remove(e.path());

    Geography geo(o, o.seed);
    geo.write(out);
    Network net(geo, o, o.seed);
    net.write(out, geo.projection());
    Population pop = build_population(geo, net, o, o.seed);
    write_key(out / "pseudonymisation.key", o.seed);

    // Bounding box of the country (with a 0.05° margin) for the cleaning rules.
    std::array<double, 4> bbox{1e9, 1e9, -1e9, -1e9};
    for (const auto& c : net.cells()) {
        double lon = geo.projection().lon(c.pos), lat = geo.projection().lat(c.pos);
        bbox[0] = std::min(bbox[0], lon), bbox[1] = std::min(bbox[1], lat);
        bbox[2] = std::max(bbox[2], lon), bbox[3] = std::max(bbox[3], lat);
    }
    bbox[0] -= 0.05, bbox[1] -= 0.05, bbox[2] += 0.05, bbox[3] += 0.05;
    std::vector<std::string> affected;
    for (int c : pop.affected_communes) affected.push_back(geo.communes()[c].id);
    write_file_atomically(out / "mpdstat.toml", scenario_toml(o, bbox, affected));
    {
        double persons = 0, devices = 0;
        for (const auto& p : pop.persons)
            if (p.kind == PersonKind::resident || p.kind == PersonKind::foreign_resident) persons += 1, devices += p.n_devices;
        const double share = persons / o.population;
        write_file_atomically(out / "estimate.toml", estimate_toml(o, share, persons > 0 ? devices / persons : 1.0));
        // Roamers are sampled like residents in the synthetic world: one factor for every country.
        write_file_atomically(out / "inbound_factors.csv", fmt::format("country,factor\n*,{:.6g}\n", share > 0 ? 1 / share : 1.0));
    }

    // scenario.json: what the generator decided, for people and for validation.
    {
        nlohmann::ordered_json j;
        j["preset"] = o.preset;
        j["seed"] = o.seed;
        j["start"] = format_day(o.start);
        j["end"] = format_day(o.end());
        j["timezone"] = o.timezone;
        j["devices_requested"] = o.devices;
        j["persons"] = pop.persons.size();
        j["devices"] = pop.devices.size();
        j["sites"] = net.site_count();
        j["cells"] = net.cells().size();
        j["faults"] = format_faults(o.faults);
        j["compression"] = std::string(compression_suffix(o.compression));
        j["country_area_km2"] = std::round(geo.country_area_km2());
        j["population"] = o.population;
        for (const auto& c : geo.cities())
            j["cities"].push_back({{"name", c.name}, {"lat", json_num(geo.projection().lat(c.centre))},
                                   {"lon", json_num(geo.projection().lon(c.centre))}, {"share", c.share},
                                   {"zone_id", geo.commune_of(c.centre) >= 0 ? geo.communes()[geo.commune_of(c.centre)].id : ""}});
        j["airport"] = {{"lat", json_num(geo.projection().lat(pop.airport))}, {"lon", json_num(geo.projection().lon(pop.airport))}};
        if (o.disaster_day >= 0) {
            std::vector<std::string> ids;
            for (int c : pop.affected_communes) ids.push_back(geo.communes()[c].id);
            j["disaster"] = {{"day", format_day(o.start + o.disaster_day)},
                             {"lat", json_num(geo.projection().lat(pop.disaster_centre))},
                             {"lon", json_num(geo.projection().lon(pop.disaster_centre))},
                             {"radius_km", o.disaster_radius_km},
                             {"displaced_share", o.disaster_share},
                             {"affected_zones", ids}};
        }
        std::vector<std::string> hol;
        for (Day d = o.start; d <= o.end(); ++d)
            if (is_holiday(d)) hol.push_back(format_day(d));
        j["holidays"] = hol;
        write_file_atomically(out / "truth" / "scenario.json", j.dump(2) + "\n");
    }

    Generator g{o, out, geo, net, pop, DiaryContext{geo, net, o, pop}, {}, {}};
    {
        double acc = 0;
        for (int h = 0; h < 24; ++h) {
            acc += o.data_share * kDataRhythm[h] + (1 - o.data_share) * kVoiceRhythm[h];
            g.rhythm_cum.push_back(acc);
        }
        for (const auto& c : net.cells()) g.cell_ids.push_back(c.id);
    }

    const size_t np = pop.persons.size(), nc = geo.communes().size();
    const size_t nblocks = (np + kBlock - 1) / kBlock;
    std::vector<std::vector<Ev>> block_ev(nblocks);
    std::vector<PersonState> states(np);
    struct LocalAcc {
        DayAcc acc;
        Day day = std::numeric_limits<Day>::min();
        std::vector<Segment> diary;
    };
    tbb::enumerable_thread_specific<LocalAcc> locals;
    TruthWriter truth(out, g.ctx);
    std::vector<Ev> sorted;
    std::vector<uint32_t> count(86401);
    GenerateStats stats;
    Progress progress("synth", static_cast<uint64_t>(o.days));
    Day month_first = o.start;

    for (int di = 0; di < o.days; ++di) {
        const Day day = o.start + di;
        // Local hours that do not exist (DST spring-forward).
        std::vector<bool> hour_missing(24, false);
        for (int h = 0; h < 24; ++h) {
            int64_t local = (static_cast<int64_t>(day) * 86400 + h * 3600 + 1800) * 1000;
            hour_missing[h] = clock.to_local_ms(clock.to_utc_ms(local)) != local;
        }
        tbb::parallel_for(size_t(0), nblocks, [&](size_t b) {
            LocalAcc& la = locals.local();
            if (la.day != day) la.acc.reset(nc), la.day = day;
            auto& evs = block_ev[b];
            evs.clear();
            for (size_t i = b * kBlock; i < std::min(np, (b + 1) * kBlock); ++i) {
                const Person& p = pop.persons[i];
                Rng rng = Rng::stream(o.seed, 0xD1A, i, static_cast<uint64_t>(day));
                make_diary(g.ctx, p, day, rng, la.diary);
                record_diary(g.ctx, p, la.diary, hour_missing, la.acc, states[i]);
                for (uint8_t k = 0; k < p.n_devices; ++k)
                    g.device_day(p, p.first_device + k, day, di, la.diary, hour_missing, evs, la.acc);
            }
        });
        DayAcc total;
        total.reset(nc);
        for (auto& la : locals) {
            if (la.day != day) continue;
            for (size_t k = 0; k < total.present.size(); ++k) total.present[k] += la.acc.present[k], total.present_inbound[k] += la.acc.present_inbound[k];
            for (const auto& [key, v] : la.acc.od) total.od[key] += v;
            total.events += la.acc.events, total.events_true += la.acc.events_true, total.active_devices += la.acc.active_devices;
            for (int k = 0; k < kRowFaultKinds + 2; ++k) total.faults[k] += la.acc.faults[k];
        }
        // Counting sort by second; ties keep person, device and time order.
        std::fill(count.begin(), count.end(), 0);
        size_t n = 0;
        for (const auto& evs : block_ev) {
            n += evs.size();
            for (const auto& e : evs) ++count[e.sec + 1];
        }
        for (size_t s = 1; s < count.size(); ++s) count[s] += count[s - 1];
        sorted.resize(n);
        for (const auto& evs : block_ev)
            for (const auto& e : evs) sorted[count[e.sec]++] = e;

        // Format and compress chunks in parallel; write them in order.
        const std::string ds = format_day(day);
        const size_t nchunks = std::max<size_t>(1, (n + kChunkEvents - 1) / kChunkEvents);
        AtomicFile file(out / "events" / fmt::format("events_{}.csv{}", ds, compression_suffix(o.compression)));
        const size_t batch = 8;
        for (size_t c0 = 0; c0 < nchunks; c0 += batch) {
            size_t c1 = std::min(nchunks, c0 + batch);
            std::vector<std::string> packed(c1 - c0);
            tbb::parallel_for(c0, c1, [&](size_t c) {
                std::string raw;
                if (c == 0) raw = std::string(kEventsHeader);
                size_t a = c * kChunkEvents, e = std::min(n, a + kChunkEvents);
                if (a < e) format_rows(sorted.data() + a, sorted.data() + e, ds, pop, g.cell_ids, raw);
                packed[c - c0] = compress_chunk(raw, o.compression, o.compression_level);
            });
            for (const auto& s : packed) file.write(s);
        }
        stats.event_bytes += file.size();
        file.commit();
        stats.events += n;
        truth.write_day(day, total, hour_missing);
        if (di + 1 == o.days || format_day(day + 1).substr(0, 7) != ds.substr(0, 7)) {
            truth.write_month(month_first, day, states);
            month_first = day + 1;
        }
        if (show_progress) progress.update(static_cast<uint64_t>(di + 1));
    }
    truth.finish(states);
    progress.finish();

    stats.persons = np;
    stats.devices = pop.devices.size();
    stats.sites = net.site_count();
    stats.cells = net.cells().size();
    stats.zones = 0;
    for (const auto& l : geo.levels()) stats.zones += l.zones.size();
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
}

}  // namespace mpdstat::synth
