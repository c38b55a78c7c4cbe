#include "synth/validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "config/config.hpp"
#include "config/estimate_config.hpp"
#include "devices/device_pass.hpp"
#include "estimate/census.hpp"
#include "estimate/run_estimate.hpp"
#include "indicators/core_indicators.hpp"
#include "ingest/csv.hpp"
#include "ingest/ingest.hpp"
#include "ingest/pseudonymiser.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::synth {

namespace fs = std::filesystem;

namespace {

// Reads a truth CSV into rows of named fields.
std::vector<std::map<std::string, std::string>> read_truth(const fs::path& p) {
    if (!fs::exists(p)) throw data_error(fmt::format("{}: truth file missing; is this a folder made by 'mpdstat synth'?", p.string()));
    CsvFileReader r(p, ',', 0);
    std::vector<std::map<std::string, std::string>> rows;
    for_each_record(r, ',', [&](const CsvRecord& rec, uint64_t, bool ok) {
        if (!ok) return;
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < rec.size() && i < r.header().size(); ++i) row[r.header()[i]] = std::string(rec[i]);
        rows.push_back(std::move(row));
    });
    return rows;
}

// Records each device's anchors.
class AnchorCollector : public DeviceHandler {
public:
    std::unique_ptr<DeviceHandler> fresh() const override { return std::make_unique<AnchorCollector>(); }
    void add(const DeviceView& v) override { anchors[v.device] = {v.anchors.home, v.anchors.work}; }
    void merge(const DeviceHandler& o) override {
        const auto& x = static_cast<const AnchorCollector&>(o);
        anchors.insert(x.anchors.begin(), x.anchors.end());
    }
    std::map<uint64_t, std::pair<uint32_t, uint32_t>> anchors;
};

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    double n = double(a.size()), ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= n;
    mb /= n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Tier III residents against the census: estimate.toml run on the Tier II of `mpdstat run`.
void validate_tier3(const fs::path& dir, const Config& config, ValidationReport& report) {
    const fs::path est = dir / "estimate.toml";
    if (!fs::exists(est)) {
        report.tier3_note = "no estimate.toml in the scenario (made by an older mpdstat synth)";
        return;
    }
    if (!fs::exists(config.run.out_dir / "tier2" / "usual_environment.csv")) {
        report.tier3_note = "no Tier II tables yet: run `mpdstat run mpdstat.toml` before `mpdstat validate` for Tier III";
        return;
    }
    const EstimateConfig ec = load_estimate_config(est);
    const EstimateRun run = run_estimate(ec);
    std::string zone_calibration;
    if (ec.calibration == Calibration::zone) {
        zone_calibration = " at " + ec.calibration_level;
        if (ec.calibration_prior_devices > 0)
            zone_calibration += fmt::format(" (shrunk toward the parent, prior {:g} devices)", ec.calibration_prior_devices);
    }
    report.tier3_calibration = fmt::format("{}{}", to_string(ec.calibration), zone_calibration);
    report.tier3_confidence = ec.confidence;
    const Tier3Table* residents = run.result.table("usual_environment");
    if (!residents) return;
    const ZoneTree zones = ZoneTree::load(ec.mnos.front().tier2_dir);
    const Census census = Census::load(ec, zones);
    const std::string home = "\x1fhome";
    // The two finest levels with a census (district and commune in the synthetic country).
    for (size_t level = census.level >= 1 ? census.level - 1 : 0; level <= census.level; ++level) {
        Tier3Accuracy acc;
        acc.level = zones.levels[level].name;
        std::vector<double> ape, ape_released;
        uint64_t inside = 0, inside_released = 0;
        for (const auto& r : residents->rows) {
            if (r.level != level || !r.keys.ends_with(home)) continue;
            ++acc.rows;
            acc.released += r.kind == RowKind::released;
            acc.estimated += r.kind == RowKind::estimated;
            acc.suppressed += r.kind == RowKind::suppressed;
            const double truth = census.population[level][r.zones[0]];
            if (r.kind == RowKind::suppressed || truth <= 0) continue;
            const double e = std::abs(r.estimate / truth - 1) * 100;
            const bool in = r.ci_low <= truth && truth <= r.ci_high;
            ape.push_back(e);
            inside += in;
            if (r.kind == RowKind::released) ape_released.push_back(e), inside_released += in;
        }
        auto median = [](std::vector<double> v) {
            if (v.empty()) return 0.0;
            std::sort(v.begin(), v.end());
            return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
        };
        acc.median_ape = median(ape);
        acc.median_ape_released = median(ape_released);
        acc.ci_coverage = ape.empty() ? 0 : double(inside) / double(ape.size());
        acc.ci_coverage_released = ape_released.empty() ? 0 : double(inside_released) / double(ape_released.size());
        report.tier3.push_back(acc);
    }
}

}  // namespace

ValidationReport validate_scenario(const fs::path& dir) {
    Config config = load_config(dir / "mpdstat.toml");
    if (!fs::exists(config.run.work_dir / "store" / "meta.json")) run_ingest(config, IngestOptions{true});
    EventStore store = EventStore::open(config.run.work_dir);
    CellPlan cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
    SpatialModel model = build_spatial_model(config, cells, SpatialBuildOptions{false});
    ZoneSpace space(model, config);
    const size_t finest = model.finest_level();
    const size_t district = finest >= 1 ? finest - 1 : 0;
    const auto& finest_zones = model.levels()[finest];
    auto finest_index = [&](const std::string& id) { return finest_zones.find(id); };

    Pseudonymiser pseudo = Pseudonymiser::from_config(config.input);
    // True home and work: the last month of home_work.csv per device.
    std::map<uint64_t, std::pair<uint32_t, uint32_t>> truth;
    for (const auto& r : read_truth(dir / "truth" / "home_work.csv")) {
        if (r.at("home_zone").empty()) continue;
        truth[pseudo.device(r.at("user_id"))] = {finest_index(r.at("home_zone")),
                                                  r.at("work_zone").empty() ? kNoZoneIndex : finest_index(r.at("work_zone"))};
    }

    ValidationReport report;
    report.scenario = dir.string();
    bool first = true;
    for (const char* rules : {"ess", "gdf", "modal_last"}) {
        Config c = config;
        c.anchors.rules = rules;
        c.migration.enabled = true;
        AnchorCollector collector;
        CoreIndicators core(space, c, cells);
        std::vector<DeviceHandler*> handlers{&collector};
        if (first) handlers = {&collector, &core.present, &core.od, &core.domestic, &core.inbound, &core.outbound, &core.migration};
        if (first && core.displacement_enabled) handlers.push_back(&core.displacement);
        run_device_pass(store, cells, space.places(), c, handlers);

        RuleAccuracy acc;
        acc.rules = rules;
        uint64_t with_home = 0, detected = 0, right_d = 0, right_f = 0;
        uint64_t with_work = 0, wdetected = 0, wright_d = 0, wright_f = 0, without_work = 0, wfalse = 0;
        std::vector<double> ours(model.levels()[district].zones.size(), 0), real(ours.size(), 0);
        for (const auto& [device, t] : truth) {
            auto it = collector.anchors.find(device);
            if (it == collector.anchors.end()) continue;  // no event in the store
            ++with_home;
            real[space.roll_up(t.first, district)] += 1;
            auto [home, work] = it->second;
            if (home != kNoZoneIndex) {
                ++detected;
                right_d += space.roll_up(home, district) == space.roll_up(t.first, district);
                right_f += home == t.first;
            }
            // A work place is a zone other than home: workers of their home zone
            // count with those who do not work.
            if (t.second == kNoZoneIndex || t.second == t.first) {
                ++without_work;
                wfalse += work != kNoZoneIndex;
            } else {
                ++with_work;
                if (work != kNoZoneIndex) {
                    ++wdetected;
                    wright_d += space.roll_up(work, district) == space.roll_up(t.second, district);
                    wright_f += work == t.second;
                }
            }
        }
        // Residents as published: every device with a detected home, true home or not.
        for (const auto& [device, a] : collector.anchors)
            if (a.first != kNoZoneIndex) ours[space.roll_up(a.first, district)] += 1;
        auto share = [](uint64_t a, uint64_t b) { return b ? double(a) / double(b) : 0.0; };
        acc.devices_with_true_home = with_home;
        acc.home_detected = share(detected, with_home);
        acc.home_right_district = share(right_d, detected);
        acc.home_right_finest = share(right_f, detected);
        acc.work_detected = share(wdetected, with_work);
        acc.work_right_district = share(wright_d, wdetected);
        acc.work_right_finest = share(wright_f, wdetected);
        acc.work_false = share(wfalse, without_work);
        double so = 0, sr = 0;
        for (size_t z = 0; z < ours.size(); ++z) so += ours[z], sr += real[z];
        double mean = sr / double(real.size()), ss_res = 0, ss_tot = 0;
        std::vector<double> ape;
        for (size_t z = 0; z < ours.size(); ++z) {
            double scaled = so > 0 ? ours[z] * sr / so : 0;
            ss_res += (real[z] - scaled) * (real[z] - scaled);
            ss_tot += (real[z] - mean) * (real[z] - mean);
            if (real[z] > 0) ape.push_back(std::abs(scaled - real[z]) / real[z] * 100);
        }
        acc.residents_r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 0;
        std::sort(ape.begin(), ape.end());
        acc.residents_median_ape = ape.empty() ? 0 : ape[ape.size() / 2];
        report.rules.push_back(acc);

        if (first) {
            first = false;
            // Present population: district × hour, ours (weighted devices) vs truth.
            std::map<std::pair<size_t, std::string>, std::pair<double, double>> pp;  // (district, "day hour") → (ours, truth)
            AggregateTable t = core.present.present_table();
            for (const auto& row : t.rows)
                if (row.level == district) pp[{row.zones[0], row.keys[0].substr(0, 13)}].first += row.values[0];
            for (const auto& r : read_truth(dir / "truth" / "present_population.csv")) {
                uint32_t z = finest_index(r.at("zone_id"));
                if (z == kNoZone) continue;
                std::string key = fmt::format("{}T{:0>2}", r.at("day"), r.at("hour"));
                pp[{space.roll_up(z, district), key}].second += std::stod(r.at("devices"));
            }
            std::vector<double> a, b;
            for (const auto& [k, v] : pp) {
                a.push_back(v.first), b.push_back(v.second);
                report.present_ours += v.first;
                report.present_truth += v.second;
            }
            report.present_population_r = pearson(a, b);
            // Migrants between districts (the level migration statistics are
            // published at), against the generator's movers. A true migrant,
            // in the indicator's terms: a home (most nights) in another district
            // in the new period than in the previous one.
            std::set<uint64_t> movers;
            const auto& mc = c.migration;
            for (const auto& r : read_truth(dir / "truth" / "migrants.csv")) {
                auto move = parse_day(r.at("move_day"));
                uint32_t from = finest_index(r.at("old_home_zone")), to = finest_index(r.at("new_home_zone"));
                if (!move || from == kNoZone || to == kNoZone || space.roll_up(from, district) == space.roll_up(to, district))
                    continue;
                const double old_prev = double(std::clamp(*move, mc.previous_start, mc.previous_end + 1) - mc.previous_start);
                const double new_next = double(mc.new_end + 1 - std::clamp(*move, mc.new_start, mc.new_end + 1));
                if (old_prev > (mc.previous_end - mc.previous_start + 1) / 2.0 && new_next > (mc.new_end - mc.new_start + 1) / 2.0)
                    movers.insert(pseudo.device(r.at("user_id")));
            }
            uint64_t hit = 0;
            for (const auto& [device, homes] : core.migration.migrants())
                if (space.roll_up(homes.first, district) != space.roll_up(homes.second, district)) {
                    ++report.migrants_detected;
                    hit += movers.count(device);
                }
            // The same in the indicator's own terms: every resident's true most-night
            // district in each period, from its home, its move and its episodes (a stay
            // displaced by the disaster for most of a period moves that period's home too).
            std::set<uint64_t> modal_movers;
            {
                std::map<std::string, std::vector<std::tuple<Day, Day, std::string>>> episodes;  // user → first, last, zone
                for (const auto& r : read_truth(dir / "truth" / "episodes.csv"))
                    episodes[r.at("user_id")].emplace_back(*parse_day(r.at("first_night")), *parse_day(r.at("last_night")),
                                                           r.at("zone_id"));
                std::map<std::string, std::pair<Day, std::string>> moves;  // user → move day, new home
                for (const auto& r : read_truth(dir / "truth" / "migrants.csv"))
                    if (auto d = parse_day(r.at("move_day"))) moves[r.at("user_id")] = {*d, r.at("new_home_zone")};
                auto modal = [&](const std::string& user, const std::string& home, Day from, Day to) {
                    std::map<uint32_t, int> nights;
                    for (Day d = from; d <= to; ++d) {
                        std::string zone = home;
                        if (auto m = moves.find(user); m != moves.end() && d >= m->second.first) zone = m->second.second;
                        for (const auto& [first, last, z] : episodes[user])
                            if (d >= first && d <= last) zone = z;  // empty: abroad
                        const uint32_t f = zone.empty() ? kNoZone : finest_index(zone);
                        if (f != kNoZone) ++nights[space.roll_up(f, district)];
                    }
                    uint32_t best = kNoZone;
                    int most = 0;
                    bool tie = false;
                    for (const auto& [z, n] : nights)
                        if (n > most) best = z, most = n, tie = false;
                        else if (n == most) tie = true;
                    return tie ? kNoZone : best;
                };
                for (const auto& r : read_truth(dir / "truth" / "devices.csv")) {
                    if (r.at("kind") != "resident" || r.at("home_zone").empty()) continue;
                    const uint32_t a = modal(r.at("user_id"), r.at("home_zone"), mc.previous_start, mc.previous_end);
                    const uint32_t b = modal(r.at("user_id"), r.at("home_zone"), mc.new_start, mc.new_end);
                    if (a != kNoZone && b != kNoZone && a != b) modal_movers.insert(pseudo.device(r.at("user_id")));
                }
            }
            uint64_t modal_hit = 0;
            for (const auto& [device, homes] : core.migration.migrants())
                if (space.roll_up(homes.first, district) != space.roll_up(homes.second, district)) modal_hit += modal_movers.count(device);
            uint64_t seen_modal = 0;
            for (uint64_t d : modal_movers) seen_modal += collector.anchors.count(d);
            report.modal_migrants_true = seen_modal;
            report.modal_migrants_recall = seen_modal ? double(modal_hit) / double(seen_modal) : 0;
            report.modal_migrants_precision = report.migrants_detected ? double(modal_hit) / double(report.migrants_detected) : 0;
            uint64_t seen_movers = 0;
            for (uint64_t d : movers) seen_movers += collector.anchors.count(d);
            report.migrants_true = seen_movers;
            report.migrants_recall = seen_movers ? double(hit) / double(seen_movers) : 0;
            report.migrants_precision = report.migrants_detected ? double(hit) / double(report.migrants_detected) : 0;
            // Displaced residents: away from the affected zones, per night.
            if (core.displacement_enabled) {
                std::set<std::string> affected(c.displacement.affected_zones.begin(), c.displacement.affected_zones.end());
                std::map<std::string, double> truth_away, truth_residents;
                for (const auto& r : read_truth(dir / "truth" / "displaced.csv")) {
                    truth_residents[r.at("day")] += std::stod(r.at("devices"));
                    if (!affected.count(r.at("present_zone"))) truth_away[r.at("day")] += std::stod(r.at("devices"));
                }
                report.affected_residents = double(core.displacement.affected_residents());
                if (!truth_residents.empty()) report.affected_residents_true = truth_residents.begin()->second;
                const auto& located = core.displacement.located_by_day();
                for (const auto& [night, n] : core.displacement.displaced_by_day()) {
                    std::string day = format_day(night);
                    report.displaced.emplace_back(day, double(n), truth_away.count(day) ? truth_away[day] : 0.0);
                    // The estimate a statistician draws from displacement.csv: the share of the
                    // located residents sleeping elsewhere, times the residents.
                    const auto it = located.find(night);
                    const double base = truth_residents.count(day) ? truth_residents[day] : report.affected_residents_true;
                    report.displaced_scaled.push_back(it != located.end() && it->second ? double(n) / double(it->second) * base : 0.0);
                }
            }
            // Roamers and travellers by country, against the truth's national figures.
            auto by_country = [&](const char* file, const char* who, const std::map<std::string, CountryTotals>& ours) {
                std::vector<CountryAccuracy> out;
                for (const auto& r : read_truth(dir / "truth" / file)) {
                    CountryAccuracy ca;
                    ca.country = r.at("country");
                    ca.visitors_true = std::stod(r.at(who));
                    ca.nights_true = std::stod(r.at("nights"));
                    ca.trips_true = std::stod(r.at("trips"));
                    if (auto it = ours.find(ca.country); it != ours.end()) {
                        ca.visitors = double(it->second.visitors);
                        ca.nights = double(it->second.nights);
                        ca.trips = double(it->second.trips);
                    }
                    out.push_back(ca);
                }
                return out;
            };
            // Domestic overnight trips: the planned trips' and displaced stays'
            // nights inside the period (the last evening's night ends after the data does).
            {
                std::vector<double> ours_d(model.levels()[district].zones.size(), 0), true_d(ours_d.size(), 0);
                for (const auto& r : read_truth(dir / "truth" / "episodes.csv")) {
                    // Stays away after the disaster are time outside the usual environment too.
                    if (r.at("type") != "trip" && r.at("type") != "displaced") continue;
                    auto a = parse_day(r.at("first_night")), b = parse_day(r.at("last_night"));
                    uint32_t z = finest_index(r.at("zone_id"));
                    if (!a || !b || z == kNoZone) continue;
                    Day from = std::max(*a, config.input.period_start), to = std::min(*b, config.input.period_end - 1);
                    if (from > to) continue;
                    report.domestic_trips_true += 1;
                    report.domestic_nights_true += double(to - from + 1);
                    true_d[space.roll_up(z, district)] += double(to - from + 1);
                }
                const DomesticTotals& dt = core.domestic.totals();
                report.domestic_trips = double(dt.overnight_trips);
                report.domestic_nights = double(dt.nights);
                for (const auto& [z, n] : core.domestic.nights_by_zone()) ours_d[space.roll_up(z, district)] += double(n);
                double common = 0, total = 0;
                for (size_t k = 0; k < ours_d.size(); ++k) common += std::min(ours_d[k], true_d[k]), total += ours_d[k] + true_d[k];
                report.domestic_nights_cpc = total > 0 ? 2 * common / total : 0;
            }
            report.inbound = by_country("inbound.csv", "visitors", core.inbound.by_country());
            report.outbound = by_country("outbound.csv", "travellers", core.outbound.by_country());
            const std::map<std::string, double> completeness = core.outbound.completeness();
            for (auto& ca : report.outbound) {
                const auto f = completeness.find(ca.country);
                ca.visitors_estimated = ca.visitors * (f != completeness.end() ? f->second : 1.0);
            }
            // OD: district pairs per day.
            std::map<std::tuple<size_t, size_t, std::string>, std::pair<double, double>> od;
            AggregateTable o = core.od.table();
            for (const auto& row : o.rows)
                if (row.level == district) od[{row.zones[0], row.zones[1], row.keys[0]}].first += row.values[0];
            for (const auto& r : read_truth(dir / "truth" / "od_trips.csv")) {
                uint32_t zo = finest_index(r.at("origin_zone")), zd = finest_index(r.at("destination_zone"));
                if (zo == kNoZone || zd == kNoZone) continue;
                size_t a2 = space.roll_up(zo, district), b2 = space.roll_up(zd, district);
                if (a2 == b2) continue;
                od[{a2, b2, r.at("day")}].second += std::stod(r.at("trips"));
            }
            double common = 0, total = 0;
            for (const auto& [k, v] : od) {
                common += std::min(v.first, v.second), total += v.first + v.second;
                report.od_trips_ours += v.first;
                report.od_trips_truth += v.second;
            }
            report.od_cpc = total > 0 ? 2 * common / total : 0;
            // MPD sees only the trips with events at both ends: compare the
            // pattern too, with measured trips scaled to the true total.
            double f = report.od_trips_ours > 0 ? report.od_trips_truth / report.od_trips_ours : 0, common2 = 0;
            for (const auto& [k, v] : od) common2 += std::min(v.first * f, v.second);
            report.od_cpc_scaled = report.od_trips_truth > 0 ? common2 / report.od_trips_truth : 0;
        }
    }
    validate_tier3(dir, config, report);
    write_file_atomically(config.run.out_dir / "validation.json", report.json());
    write_file_atomically(config.run.out_dir / "validation.md", report.table());
    return report;
}

std::string ValidationReport::table() const {
    std::string s = fmt::format("Accuracy against the generator's truth ({})\n\n", scenario);
    s += "| rules | home detected | home right (district) | home right (finest) | work detected | work right (district) | "
         "work right (finest) | work given to non-workers | residents R² | residents median APE % |\n"
         "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : rules)
        s += fmt::format("| {} | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f}% | {:.3f} | {:.1f} |\n", r.rules,
                         100 * r.home_detected, 100 * r.home_right_district, 100 * r.home_right_finest, 100 * r.work_detected,
                         100 * r.work_right_district, 100 * r.work_right_finest, 100 * r.work_false, r.residents_r2,
                         r.residents_median_ape);
    s += fmt::format("\nPresent population, district × hour: Pearson r = {:.3f} (device-hours: {:.0f} measured, {:.0f} true)\n"
                     "OD trips between districts, district × day: CPC = {:.3f}, after scaling to the true total {:.3f} "
                     "(trips: {:.0f} measured, {:.0f} true)\n",
                     present_population_r, present_ours, present_truth, od_cpc, od_cpc_scaled, od_trips_ours, od_trips_truth);
    s += fmt::format("Internal migration between districts (home — most nights — in the first vs the second half of the period): {} detected, {} true; "
                     "recall {:.2f}, precision {:.2f}\n",
                     migrants_detected, migrants_true, migrants_recall, migrants_precision);
    s += fmt::format("  against every resident's true most-night district in each half (moves, displacement, trips): {} true; "
                     "recall {:.2f}, precision {:.2f}\n",
                     modal_migrants_true, modal_migrants_recall, modal_migrants_precision);
    s += fmt::format("Domestic overnight trips (true: planned trips and stays away after the disaster): {:.0f} measured, "
                     "{:.0f} true; nights {:.0f} measured, {:.0f} true; "
                     "nights by destination district CPC = {:.3f}\n",
                     domestic_trips, domestic_trips_true, domestic_nights, domestic_nights_true, domestic_nights_cpc);
    if (!displaced.empty()) {
        s += fmt::format("\nResidents of the affected zones: {:.0f} with a baseline home, {:.0f} true.\n", affected_residents,
                         affected_residents_true);
        s += "\n| night | residents of the affected zones sleeping elsewhere (measured / true) | share of the located ones × true residents |\n"
             "|---|---|---|\n";
        for (size_t i = 0; i < displaced.size(); ++i) {
            const auto& [day, ours, truth] = displaced[i];
            const double est = i < displaced_scaled.size() ? displaced_scaled[i] : 0.0;
            s += fmt::format("| {} | {:.0f} / {:.0f} | {:.0f} ({:+.0f} %) |\n", day, ours, truth, est, truth > 0 ? 100 * (est / truth - 1) : 0.0);
        }
    }
    auto country_table = [&](const std::vector<CountryAccuracy>& rows, const char* who) {
        if (rows.empty()) return;
        const bool estimated = rows.front().visitors_estimated >= 0;
        s += fmt::format("\n| country | {} (measured / true) |{} trips (measured / true) | nights (measured / true) |\n|---|---|{}---|---|\n",
                         who, estimated ? " estimated with the unseen (estimated / true) |" : "", estimated ? "---|" : "");
        auto cell = [](double ours, double truth) {
            return fmt::format("{:.0f} / {:.0f} ({:+.0f} %)", ours, truth, truth > 0 ? 100 * (ours / truth - 1) : 0.0);
        };
        for (const auto& c : rows)
            s += fmt::format("| {} | {} |{} {} | {} |\n", c.country, cell(c.visitors, c.visitors_true),
                             estimated ? fmt::format(" {} |", cell(c.visitors_estimated, c.visitors_true)) : "", cell(c.trips, c.trips_true),
                             cell(c.nights, c.nights_true));
    };
    country_table(inbound, "inbound visitors");
    country_table(outbound, "outbound travellers");
    if (tier3_calibration.empty()) {
        s += fmt::format("\nTier III: not run ({})\n", tier3_note);
    } else {
        s += fmt::format("\nTier III residents against the census (estimate.toml: {} calibration; intervals {}):\n\n"
                         "| level | rows | released | estimated | suppressed | median abs. % error | released only | interval coverage | released only |\n"
                         "|---|---|---|---|---|---|---|---|---|\n",
                         tier3_calibration, fmt::format("{:g} %", 100 * tier3_confidence));
        for (const auto& t : tier3)
            s += fmt::format("| {} | {} | {} | {} | {} | {:.1f} | {:.1f} | {:.1f} % | {:.1f} % |\n", t.level, t.rows, t.released, t.estimated,
                             t.suppressed, t.median_ape, t.median_ape_released, 100 * t.ci_coverage, 100 * t.ci_coverage_released);
    }
    return s;
}

std::string ValidationReport::json() const {
    nlohmann::ordered_json j;
    j["scenario"] = scenario;
    for (const auto& r : rules)
        j["rules"].push_back({{"rules", r.rules}, {"devices_with_true_home", r.devices_with_true_home},
                              {"home_detected", r.home_detected}, {"home_right_district", r.home_right_district},
                              {"home_right_finest", r.home_right_finest}, {"work_detected", r.work_detected},
                              {"work_right_district", r.work_right_district}, {"work_right_finest", r.work_right_finest}, {"work_false", r.work_false},
                              {"residents_r2", r.residents_r2}, {"residents_median_ape", r.residents_median_ape}});
    j["present_population_r"] = present_population_r;
    j["od_cpc"] = od_cpc;
    j["domestic"] = {{"overnight_trips", domestic_trips}, {"overnight_trips_true", domestic_trips_true},
                     {"nights", domestic_nights}, {"nights_true", domestic_nights_true},
                     {"nights_district_cpc", domestic_nights_cpc}};
    j["od_cpc_scaled"] = od_cpc_scaled;
    j["od_trips_ours"] = od_trips_ours;
    j["od_trips_truth"] = od_trips_truth;
    j["present_ours"] = present_ours;
    j["present_truth"] = present_truth;
    j["migrants"] = {{"detected", migrants_detected}, {"true", migrants_true}, {"recall", migrants_recall},
                     {"precision", migrants_precision}, {"modal_true", modal_migrants_true},
                     {"modal_recall", modal_migrants_recall}, {"modal_precision", modal_migrants_precision}};
    for (const auto& c : inbound)
        j["inbound"].push_back({{"country", c.country}, {"visitors", c.visitors}, {"visitors_true", c.visitors_true},
                                {"trips", c.trips}, {"trips_true", c.trips_true}, {"nights", c.nights}, {"nights_true", c.nights_true}});
    for (const auto& c : outbound)
        j["outbound"].push_back({{"country", c.country}, {"travellers", c.visitors}, {"travellers_estimated", c.visitors_estimated},
                                 {"travellers_true", c.visitors_true},
                                 {"trips", c.trips}, {"trips_true", c.trips_true}, {"nights", c.nights}, {"nights_true", c.nights_true}});
    j["tier3"]["calibration"] = tier3_calibration;
    j["tier3"]["confidence"] = tier3_confidence;
    j["tier3"]["note"] = tier3_note;
    for (const auto& t : tier3)
        j["tier3"]["residents"].push_back({{"level", t.level}, {"rows", t.rows}, {"released", t.released}, {"estimated", t.estimated},
                                           {"suppressed", t.suppressed}, {"median_ape", t.median_ape},
                                           {"median_ape_released", t.median_ape_released}, {"ci_coverage", t.ci_coverage},
                                           {"ci_coverage_released", t.ci_coverage_released}});
    return j.dump(2) + "\n";
}

}  // namespace mpdstat::synth
