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
                       Calibration mode, int calibration_level)
    : zones_(zones), census_(census), residents_(residents), mno_(mno), mode_(mode), level_(calibration_level) {
    if (mode_ == Calibration::global) return;
    if (!residents_)
        throw data_error(fmt::format("{}: no usual_environment.csv: zone calibration needs the operator's residents",
                                     (mno.tier2_dir / "tier2").string()));
    // National factor: every released top-level zone.
    double people = 0, devices = 0, support = 0;
    for (size_t z = 0; z < zones.levels[0].ids.size(); ++z) {
        const double d = residents_->devices[0][z];
        if (std::isnan(d) || d <= 0) continue;
        people += census.population[0][z], devices += d, support += residents_->support[0][z];
    }
    if (devices <= 0)
        throw data_error(fmt::format("{}: every top-level residents row is suppressed or zero: nothing to calibrate with",
                                     (mno.tier2_dir / "tier2" / "usual_environment.csv").string()));
    national_.value = people / devices;
    national_.rel_var = 1 / support;
    national_.fpc = std::max(0.0, 1 - devices / mno.devices_per_subscriber / people);
    national_.level = 0;
    national_.residents_support = support;
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
    for (bool first = true;; first = false) {
        const double d = residents_->devices[level][z], people = census_.has(level) ? census_.population[level][z] : 0;
        if (!std::isnan(d) && d > 0 && people > 0) {
            Factor f;
            f.value = people / d;
            f.rel_var = 1 / residents_->support[level][z];
            f.fpc = std::max(0.0, 1 - d / mno_.devices_per_subscriber / people);
            f.level = level;
            f.zone = z;
            f.residents_support = residents_->support[level][z];
            return f;
        }
        if (first) ++fallbacks_;
        if (level == 0) return national_;
        z = zones_.levels[level].parent[z];
        --level;
    }
}

}  // namespace mpdstat
