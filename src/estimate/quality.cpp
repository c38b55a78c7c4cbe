#include "estimate/quality.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "estimate/tier2_table.hpp"

namespace mpdstat {

std::string_view to_string(QualityLevel q) noexcept {
    switch (q) {
        case QualityLevel::high: return "high";
        case QualityLevel::medium: return "medium";
        default: return "low";
    }
}

QualityLevel coverage_quality(double c) noexcept {
    if (c >= 0.4) return QualityLevel::high;
    if (c >= 0.2) return QualityLevel::medium;
    return QualityLevel::low;
}

QualityLevel sensitivity_quality(double s) noexcept {
    if (std::isnan(s) || s < 0.2) return QualityLevel::high;
    if (s < 0.4) return QualityLevel::medium;
    return QualityLevel::low;
}

QualityLevel row_quality(double coverage, double sensitivity, RowKind kind) noexcept {
    if (kind == RowKind::estimated) return QualityLevel::low;
    return std::min(coverage_quality(coverage), sensitivity_quality(sensitivity));
}

void apply_sensitivity_and_quality(Tier3Result& main, const std::vector<Tier3Result>& variants) {
    for (auto& t : main.tables) {
        std::vector<std::unordered_map<std::string, double>> other;
        for (const auto& v : variants)
            if (const Tier3Table* vt = v.table(t.spec->name)) {
                auto& m = other.emplace_back();
                for (const auto& r : vt->rows)
                    if (r.kind != RowKind::suppressed) m.emplace(cell_id(r.level, r.zones, r.keys), r.estimate);
            }
        for (auto& r : t.rows) {
            if (r.kind == RowKind::suppressed) {
                r.quality.clear();
                continue;
            }
            double worst = std::nan("");
            const std::string id = cell_id(r.level, r.zones, r.keys);
            for (const auto& m : other) {
                auto it = m.find(id);
                if (it == m.end() || !(r.estimate > 0) || !(it->second > 0)) continue;
                const double change = std::abs(it->second / r.estimate - 1);
                if (std::isnan(worst) || change > worst) worst = change;
            }
            r.sensitivity = worst;
            r.quality = std::string(to_string(row_quality(r.coverage, r.sensitivity, r.kind)));
        }
    }
}

namespace {
double median(std::vector<double> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
}  // namespace

std::vector<QualitySummary> summarise_quality(const Tier3Result& result, const ZoneTree& zones) {
    std::vector<QualitySummary> out;
    for (const auto& t : result.tables)
        for (size_t level = 0; level < zones.levels.size(); ++level) {
            std::vector<double> coverage, sensitivity;
            for (const auto& r : t.rows)
                if (r.level == level && r.kind != RowKind::suppressed) {
                    coverage.push_back(r.coverage);
                    sensitivity.push_back(r.sensitivity);
                }
            bool any_row = std::any_of(t.rows.begin(), t.rows.end(), [&](const Tier3Row& r) { return r.level == level; });
            if (!any_row) continue;
            QualitySummary s;
            s.indicator = std::string(t.spec->name);
            s.zone_level = zones.levels[level].name;
            s.rows = coverage.size();
            s.coverage_ratio = median(coverage);
            s.sensitivity = median(sensitivity);
            s.quality = std::min(coverage_quality(s.coverage_ratio), sensitivity_quality(s.sensitivity));
            out.push_back(std::move(s));
        }
    return out;
}

}  // namespace mpdstat
