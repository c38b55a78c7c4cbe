#include "estimate/calibration.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

namespace {
constexpr char kSep = '\x1f';
}

Residents Residents::from_table(const Tier2Table& ue, const ZoneTree& zones) {
    Residents r;
    for (const auto& l : zones.levels) {
        r.devices.emplace_back(l.ids.size(), std::nan(""));
        r.support.emplace_back(l.ids.size(), 0.0);
    }
    // Keys: period_start, period_end, label. The first period (in text order) is used.
    for (const auto& row : ue.rows) {
        if (!row.keys.ends_with(std::string(1, kSep) + "home")) continue;
        const std::string period = row.keys.substr(0, row.keys.rfind(kSep));
        if (r.period.empty() || period < r.period) r.period = period;
    }
    for (const auto& row : ue.rows) {
        if (!row.released || row.keys != r.period + kSep + "home") continue;
        r.devices[row.level][row.zones[0]] = row.measure;
        r.support[row.level][row.zones[0]] = row.support;
    }
    std::replace(r.period.begin(), r.period.end(), kSep, '/');
    return r;
}

std::string Residents::keys() const {
    std::string k = period;
    std::replace(k.begin(), k.end(), '/', kSep);
    return k + kSep + "home";
}

Calibrator::Calibrator(const ZoneTree& zones, const Census& census, const Residents* residents, const MnoInput& mno,
                       Calibration mode, int calibration_level, double prior_devices)
    : zones_(zones), residents_(residents), mno_(mno), mode_(mode), level_(calibration_level) {
    if (mode_ == Calibration::global) return;
    if (!residents_)
        throw data_error(fmt::format("{}: no usual_environment.csv: zone calibration needs the operator's residents",
                                     (mno.tier2_dir / "tier2").string()));
    // National factor: every released top-level zone.
    double national_people = 0, devices = 0, support = 0;
    for (size_t z = 0; z < zones.levels[0].ids.size(); ++z) {
        const double d = residents_->devices[0][z];
        if (std::isnan(d) || d <= 0) continue;
        national_people += census.population[0][z], devices += d, support += residents_->support[0][z];
    }
    if (devices <= 0)
        throw data_error(fmt::format("{}: every top-level residents row is suppressed or zero: nothing to calibrate with",
                                     (mno.tier2_dir / "tier2" / "usual_environment.csv").string()));
    national_.value = national_people / devices;
    national_.rel_var = 1 / support;
    national_.fpc = std::max(0.0, 1 - devices / mno.devices_per_subscriber / national_people);
    national_.level = 0;
    national_.residents_support = support;

    // Factors top-down, each shrunk toward its (already shrunk) parent's.
    for (size_t l = 0; l <= static_cast<size_t>(level_); ++l) {
        const size_t n = zones.levels[l].ids.size();
        factors_.emplace_back(n);
        fell_back_.emplace_back(n, 0);
        for (uint32_t z = 0; z < n; ++z) {
            const bool top = l == 0;
            const uint32_t p = top ? kNoZoneId : zones.levels[l].parent[z];
            const Factor& parent = top ? national_ : factors_[l - 1][p];
            const double d = residents_->devices[l][z], people = census.has(l) ? census.population[l][z] : 0;
            if (std::isnan(d) || d <= 0 || !(people > 0)) {
                factors_[l][z] = parent;
                fell_back_[l][z] = 1;
                continue;
            }
            Factor own;
            own.value = people / d;
            own.rel_var = 1 / residents_->support[l][z];
            own.fpc = std::max(0.0, 1 - d / mno.devices_per_subscriber / people);
            own.level = l;
            own.zone = z;
            own.residents_support = residents_->support[l][z];
            factors_[l][z] = shrink_toward_parent(own, parent, prior_devices);
        }
    }
    // Dispersion of the sub-zones of the calibration zones (the shares the
    // nested residents rows are), or of the calibration zones themselves
    // against their parents when no finer level has a census.
    const size_t finer = static_cast<size_t>(level_) + 1;
    const size_t l = finer < zones.levels.size() && census.has(finer) ? finer : static_cast<size_t>(level_);
    std::vector<DispersionInput> dispersion_zones;
    for (uint32_t z = 0; z < zones.levels[l].ids.size(); ++z) {
        const uint32_t p = l == 0 ? 0 : zones.levels[l].parent[z];
        dispersion_zones.push_back({residents_->devices[l][z], census.population[l][z],
                                    l == 0 ? devices : residents_->devices[l - 1][p],
                                    l == 0 ? national_people : census.population[l - 1][p], p});
    }
    dispersion_ = residents_dispersion(dispersion_zones);
}

Factor shrink_toward_parent(const Factor& own, const Factor& parent, double prior_devices) {
    if (!(prior_devices > 0)) return own;
    const double w = own.residents_support / (own.residents_support + prior_devices);
    Factor f = own;
    f.value = std::exp(w * std::log(own.value) + (1 - w) * std::log(parent.value));
    f.rel_var = w * w * own.rel_var + (1 - w) * (1 - w) * parent.rel_var;
    // The zone's residents estimate deviates from its census as a binomial
    // share of the parent's residents does, damped by (1 − w).
    const double share_var = std::max(0.0, 1 / own.residents_support - 1 / parent.residents_support);
    f.residents_rel_var = (1 - w) * (1 - w) * (share_var + parent.residents_rel_var);
    return f;
}

double residents_dispersion(const std::vector<DispersionInput>& zones) {
    double chi2 = 0;
    size_t used = 0;
    std::vector<uint32_t> parents;
    for (const auto& z : zones) {
        if (!(z.devices > 0 && z.census > 0 && z.parent_devices > 0 && z.parent_census > 0)) continue;
        const double expected = z.census * z.parent_devices / z.parent_census;
        chi2 += (z.devices - expected) * (z.devices - expected) / expected;
        ++used;
        parents.push_back(z.parent);
    }
    std::sort(parents.begin(), parents.end());
    const size_t groups = static_cast<size_t>(std::unique(parents.begin(), parents.end()) - parents.begin());
    // One degree of freedom per zone, less one per parent (whose total fixes the rate).
    if (used <= groups) return 1;
    return std::max(1.0, chi2 / static_cast<double>(used - groups));
}

Factor Calibrator::factor(size_t level, uint32_t z) const {
    if (mode_ == Calibration::global) {
        Factor f;
        f.value = 1 / (mno_.devices_per_subscriber * mno_.market_share);
        f.fpc = 1 - mno_.market_share;
        return f;
    }
    if (static_cast<int>(level) > level_) {
        z = zones_.ancestor(level, z, static_cast<size_t>(level_));
        level = static_cast<size_t>(level_);
    }
    fallbacks_ += fell_back_[level][z];
    return factors_[level][z];
}

}  // namespace mpdstat
