#include "estimate/estimator.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.hpp"
#include "estimate/calibration.hpp"
#include "estimate/uncertainty.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat {

const Tier3Table* Tier3Result::table(std::string_view name) const {
    for (const auto& t : tables)
        if (t.spec->name == name) return &t;
    return nullptr;
}

namespace {

// One operator's contribution to a cell.
struct Part {
    const Tier2Row* row = nullptr;  // nullptr: no row (no device there)
    FilledValue value;
    double estimate = 0, variance = 0;
};

// The persons the operators reach in a zone, de-duplicated, over its census;
// the nearest ancestor's when a residents row is suppressed or the level is
// finer than the census.
double coverage_ratio(size_t level, uint32_t z, const std::vector<Residents>& residents, const EstimateConfig& cfg,
                      const ZoneTree& zones, const Census& census) {
    for (;;) {
        if (census.has(level) && census.population[level][z] > 0) {
            double persons = 0;
            bool known = true;
            for (size_t m = 0; m < residents.size(); ++m) {
                const double d = residents[m].devices[level][z];
                if (std::isnan(d)) known = false;
                else persons += d / cfg.mnos[m].devices_per_subscriber;
            }
            if (known) return persons / cfg.multi_sim_factor / census.population[level][z];
        }
        if (level == 0) return std::nan("");
        z = zones.levels[level].parent[z];
        --level;
    }
}

}  // namespace

Tier3Result estimate_tier3(const EstimateConfig& cfg, const EstimateInputs& in, int calibration_level) {
    const ZoneTree& zones = *in.zones;
    const Census& census = *in.census;
    const size_t n_mno = in.folders.size();
    Tier3Result result;

    // Market-share weights: each operator's estimate is of the whole population.
    double share_sum = 0;
    for (const auto& m : cfg.mnos) share_sum += m.market_share;
    for (const auto& m : cfg.mnos) result.weights.push_back(n_mno == 1 ? 1.0 : m.market_share / share_sum);

    std::vector<Residents> residents(n_mno);
    std::vector<std::unique_ptr<Calibrator>> calibrators;
    bool coverage_known = true;
    for (size_t m = 0; m < n_mno; ++m) {
        const Tier2Table* ue = in.folders[m]->table("usual_environment");
        if (ue) residents[m] = Residents::from_table(*ue, zones);
        coverage_known &= ue != nullptr;
        calibrators.push_back(std::make_unique<Calibrator>(zones, census, ue ? &residents[m] : nullptr, cfg.mnos[m],
                                                           cfg.calibration, calibration_level, cfg.calibration_prior_devices));
    }

    for (const auto& spec : estimable_tables()) {
        const std::string name(spec.name);
        std::vector<const Tier2Table*> parts;
        for (const auto* f : in.folders) parts.push_back(f->table(name));
        const size_t present = static_cast<size_t>(std::count_if(parts.begin(), parts.end(), [](auto* p) { return p != nullptr; }));
        if (present == 0) continue;
        if (present < n_mno) {
            result.skipped.push_back(fmt::format("{}: missing from some operators' tier2/", name));
            continue;
        }
        if (spec.scaling == Scaling::inbound &&
            std::any_of(in.inbound.begin(), in.inbound.end(), [](const InboundFactors& f) { return f.empty(); })) {
            result.skipped.push_back(fmt::format("{}: no inbound_factors for every operator (roamers are not residents: the "
                                                 "census cannot scale them)",
                                                 name));
            continue;
        }
        Tier3Table out;
        out.spec = &spec;
        std::vector<std::vector<FilledValue>> filled;
        for (size_t m = 0; m < n_mno; ++m) {
            FillStats st;
            filled.push_back(fill_suppressed(*parts[m], zones, census, cfg.suppressed, &st));
            out.fill.push_back(st);
        }
        // The cells: union over operators, canonical order.
        std::vector<const Tier2Row*> cells;
        std::unordered_map<std::string, size_t> seen;
        for (size_t m = 0; m < n_mno; ++m)
            for (const auto& r : parts[m]->rows)
                if (seen.emplace(cell_id(r.level, r.zones, r.keys), cells.size()).second) cells.push_back(&r);
        std::sort(cells.begin(), cells.end(), [](const Tier2Row* a, const Tier2Row* b) {
            if (a->level != b->level) return a->level < b->level;
            if (a->zones != b->zones) return a->zones < b->zones;
            return a->keys < b->keys;
        });
        const size_t country_col = [&] {
            for (size_t k = 0; k < spec.key_columns.size(); ++k)
                if (spec.key_columns[k] == spec.country_column) return 1 + spec.zone_columns.size() + k;
            return size_t(0);
        }();
        const bool is_residents = name == "usual_environment";
        const size_t status_col = spec.header().size() - 2, support_col = status_col + 1;

        for (const Tier2Row* cell : cells) {
            Tier3Row row;
            row.level = cell->level;
            row.zones = cell->zones;
            row.keys = cell->keys;
            row.fields = cell->fields;
            const uint32_t cal_zone = cell->zones[spec.calibration_zone];
            bool any_suppressed = false, any_estimated = false;
            double estimate = 0, variance = 0;
            std::vector<Part> contributions(n_mno);
            for (size_t m = 0; m < n_mno; ++m) {
                Part& p = contributions[m];
                p.row = parts[m]->find(cell->level, cell->zones, cell->keys);
                if (!p.row) continue;  // no device of this operator there: 0
                p.value = filled[m][static_cast<size_t>(p.row - parts[m]->rows.data())];
                if (p.value.kind == RowKind::suppressed) {
                    any_suppressed = true;
                    continue;
                }
                any_estimated |= p.value.kind == RowKind::estimated;
                const double x = p.value.value;
                if (x <= 0) continue;
                double rel_var = p.value.variance / (x * x);
                double f = 0;
                if (spec.scaling == Scaling::inbound) {
                    f = in.inbound[m].factor(cell->fields[country_col]);
                } else {
                    const Factor fac = calibrators[m]->factor(cell->level, cal_zone);
                    f = fac.value;
                    const bool nested = is_residents && coverage_known && cfg.calibration == Calibration::zone && cell->keys == residents[m].keys() &&
                                        p.value.kind == RowKind::released && fac.zone != kNoZoneId &&
                                        zones.ancestor(cell->level, cal_zone, fac.level) == fac.zone;
                    // Overdispersion of the residents (home-detection errors, several SIMs per person)
                    // widens what is drawn from them: the factor, and residents' shares of a zone.
                    const double phi = calibrators[m]->dispersion();
                    if (nested) {
                        // Residents of a part of the calibration zone: a binomial share of its census,
                        // plus the zone's own deviation from its census when its factor is shrunk.
                        rel_var = (std::max(0.0, 1 / p.row->support - 1 / fac.residents_support) + fac.residents_rel_var) *
                                  fac.fpc * phi;
                    } else {
                        rel_var = rel_var * fac.fpc + fac.rel_var * phi;
                    }
                }
                p.estimate = x * f;
                p.variance = p.estimate * p.estimate * rel_var;
            }
            if (any_suppressed) {
                row.kind = RowKind::suppressed;
                row.estimate = row.ci_low = row.ci_high = std::nan("");
                row.fields[status_col] = "suppressed";
            } else {
                for (size_t m = 0; m < n_mno; ++m) {
                    estimate += result.weights[m] * contributions[m].estimate;
                    variance += result.weights[m] * result.weights[m] * contributions[m].variance;
                }
                // Operators' samples overlap through people with SIMs on several networks.
                variance *= cfg.multi_sim_factor;
                row.kind = any_estimated ? RowKind::estimated : RowKind::released;
                Interval ci = confidence_interval(estimate, variance, cfg.confidence);
                if (row.kind == RowKind::estimated) {
                    estimate = round_to(estimate, cfg.rounding);
                    ci = round_outward(ci, cfg.rounding);
                }
                row.estimate = estimate;
                row.ci_low = ci.low;
                row.ci_high = ci.high;
                row.variance = variance;
                row.fields[status_col] = row.kind == RowKind::estimated ? "estimated" : "ok";
            }
            // Several operators: the Tier II columns hold their sums, known only when every part is released.
            if (n_mno > 1) {
                const bool all_released = std::all_of(contributions.begin(), contributions.end(), [](const Part& p) {
                    return !p.row || p.row->released;
                });
                for (size_t col = 1 + spec.zone_columns.size() + spec.key_columns.size(); col < status_col; ++col) {
                    double sum = 0;
                    for (const auto& p : contributions)
                        if (p.row) sum += std::strtod(p.row->fields[col].c_str(), nullptr);
                    row.fields[col] = all_released ? format_value(sum) : "";
                }
                double support = 0;
                for (const auto& p : contributions)
                    if (p.row) support += p.row->support;
                row.fields[support_col] = all_released ? format_value(support) : "";
            }
            row.coverage = coverage_known ? coverage_ratio(cell->level, cal_zone, residents, cfg, zones, census) : std::nan("");
            row.sensitivity = std::nan("");
            out.rows.push_back(std::move(row));
        }
        result.tables.push_back(std::move(out));
    }
    for (const auto& c : calibrators) {
        result.calibration_fallbacks.push_back(c->fallbacks());
        result.residents_dispersion.push_back(c->dispersion());
    }
    return result;
}

}  // namespace mpdstat
