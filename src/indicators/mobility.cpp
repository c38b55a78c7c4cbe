#include "indicators/mobility.hpp"

#include "common/archive.hpp"

#include <algorithm>
#include <cmath>

namespace mpdstat {

double nearest_rank(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return NAN;
    size_t rank = static_cast<size_t>(std::ceil(p * double(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

Mobility::Mobility(const ZoneSpace& space, const Config& config) : space_(space), config_(config) {
    for (size_t l : space_.levels()) {
        std::array<std::vector<std::vector<double>>, 3> m;
        for (auto& v : m) v.resize(space_.zone_count(l));
        values_.push_back(std::move(m));
    }
}

std::unique_ptr<DeviceHandler> Mobility::fresh() const { return std::make_unique<Mobility>(space_, config_); }

void Mobility::add(const DeviceView& v) {
    if (v.anchors.home == kNoZoneIndex) return;
    double dist = 0, gyr = 0, zones = 0;
    int n = 0;
    for (const auto& d : v.days) {
        if (d.located_events == 0) continue;
        dist += d.distance_m / 1000.0;
        gyr += d.gyration_m / 1000.0;
        zones += d.distinct_zones;
        ++n;
    }
    if (n == 0) return;
    const double per_day[3] = {dist / n, gyr / n, zones / n};
    for (size_t k = 0; k < space_.levels().size(); ++k) {
        uint32_t home = space_.roll_up(v.anchors.home, space_.levels()[k]);
        for (size_t m = 0; m < 3; ++m) values_[k][m][home].push_back(per_day[m]);
    }
}

void Mobility::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const Mobility&>(other);
    for (size_t k = 0; k < values_.size(); ++k)
        for (size_t m = 0; m < 3; ++m)
            for (size_t z = 0; z < values_[k][m].size(); ++z)
                values_[k][m][z].insert(values_[k][m][z].end(), o.values_[k][m][z].begin(), o.values_[k][m][z].end());
}

AggregateTable Mobility::table() const {
    AggregateTable t;
    t.name = "mobility";
    t.zone_columns = {"home_zone"};
    t.key_columns = {"period_start", "period_end", "metric"};
    t.value_columns = {"devices", "mean", "median", "p90"};
    t.additive_values = 1;
    const std::string ps = format_day(config_.input.period_start), pe = format_day(config_.input.period_end);
    for (size_t k = 0; k < values_.size(); ++k)
        for (size_t m = 0; m < 3; ++m)
            for (uint32_t z = 0; z < values_[k][m].size(); ++z) {
                std::vector<double> v = values_[k][m][z];
                if (v.empty()) continue;
                // Sorted first, so the mean is summed in one order whatever the merge order.
                std::sort(v.begin(), v.end());
                double sum = 0;
                for (double x : v) sum += x;
                t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {z}, {ps, pe, kMetrics[m]},
                                  {double(v.size()), sum / double(v.size()), nearest_rank(v, 0.5), nearest_rank(v, 0.9)},
                                  v.size()});
            }
    return t;
}

void Mobility::save(std::string& out) const { archive_write(out, values_); }

void Mobility::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(values_);
}

}  // namespace mpdstat
