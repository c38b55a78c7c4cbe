#include "indicators/present_population.hpp"

#include "common/archive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/day_night_window.hpp"
#include "devices/anchors.hpp"

namespace mpdstat {

PresentPopulation::PresentPopulation(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), window_ms_(int64_t(config.indicators.present_window_minutes) * 60'000) {
    LocalClock clock(config.input.timezone);
    const auto& a = config.anchors;
    const int step = config.indicators.present_interval_minutes;
    for (Day d = config.input.period_start; d <= config.input.period_end; ++d)
        for (int m = 0; m < 1440; m += step) {
            int64_t utc = clock.to_utc_ms(int64_t(d) * kMsPerDay + int64_t(m) * 60'000);
            // A wall time skipped by DST maps onto the next one: keep each instant once.
            if (!times_.empty() && utc <= times_.back()) continue;
            times_.push_back(utc);
            labels_.push_back(clock.format_local_iso(utc));
            int hour = m / 60;
            is_day_.push_back(in_day_window(d, hour, a));
            is_night_.push_back(in_night_window(hour, a));
        }
    for (size_t l : space_.presence_levels()) {
        sum_.emplace_back(space_.zone_count(l) * times_.size(), 0);
        count_.emplace_back(space_.zone_count(l) * times_.size(), 0);
    }
    const size_t cells = space_.model().cell_count();
    cell_begin_.reserve(cells + 1);
    cell_begin_.push_back(0);
    for (uint32_t c = 0; c < cells; ++c) {
        for (size_t k = 0; k < space_.presence_levels().size(); ++k)
            for (const auto& zw : space_.weights(c, space_.presence_levels()[k]))
                cell_weights_.push_back({static_cast<uint32_t>(k), zw.zone, std::llround(zw.weight * kScale)});
        cell_begin_.push_back(static_cast<uint32_t>(cell_weights_.size()));
    }
}

std::unique_ptr<DeviceHandler> PresentPopulation::fresh() const {
    return std::make_unique<PresentPopulation>(space_, config_);
}

void PresentPopulation::add(const DeviceView& v) {
    if (v.events.empty()) return;
    const size_t T = times_.size();
    int64_t from = v.segments.empty() ? v.events.front().time_ms : v.segments.front().start_ms;
    int64_t to = v.segments.empty() ? v.events.back().time_ms : v.segments.back().end_ms;
    from = std::min(from, v.events.front().time_ms - window_ms_);
    to = std::max(to, v.events.back().time_ms + window_ms_);
    size_t t = static_cast<size_t>(std::lower_bound(times_.begin(), times_.end(), from) - times_.begin());
    TimelineCursor cursor(v.segments, v.events, window_ms_);
    // Consecutive time points in one cell (a stay) are added weight by weight
    // over the run of points: neighbouring counters, one pass per weight.
    uint32_t run_cell = kNoCell;
    size_t run_first = 0;
    auto add_run = [&](size_t end) {
        if (run_cell == kNoCell) return;
        for (uint32_t i = cell_begin_[run_cell]; i < cell_begin_[run_cell + 1]; ++i) {
            const ScaledWeight& w = cell_weights_[i];
            int64_t* sum = &sum_[w.level][size_t(w.zone) * T];
            uint32_t* count = &count_[w.level][size_t(w.zone) * T];
            for (size_t p = run_first; p < end; ++p) {
                sum[p] += w.scaled;
                ++count[p];
            }
        }
        run_cell = kNoCell;
    };
    for (; t < T && times_[t] <= to; ++t) {
        uint32_t cell = cursor.at(times_[t]);
        if (cell == run_cell) continue;
        add_run(t);
        if (cell == kNoCell) continue;
        run_cell = cell;  // every cell of the plan has its weights in cell_weights_
        run_first = t;
    }
    add_run(t);
}

void PresentPopulation::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const PresentPopulation&>(other);
    for (size_t k = 0; k < sum_.size(); ++k)
        for (size_t i = 0; i < sum_[k].size(); ++i) {
            sum_[k][i] += o.sum_[k][i];
            count_[k][i] += o.count_[k][i];
        }
}

AggregateTable PresentPopulation::present_table() const {
    AggregateTable t;
    t.name = "present_population";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"time"};
    t.value_columns = {"devices"};
    const size_t T = times_.size();
    for (size_t k = 0; k < space_.presence_levels().size(); ++k) {
        size_t level = space_.presence_levels()[k];
        for (uint32_t z = 0; z < space_.zone_count(level); ++z)
            for (size_t i = 0; i < T; ++i) {
                size_t at = size_t(z) * T + i;
                if (count_[k][at] == 0) continue;
                t.rows.push_back({static_cast<uint32_t>(level), {z}, {labels_[i]}, {double(sum_[k][at]) / kScale},
                                  count_[k][at]});
            }
    }
    return t;
}

AggregateTable PresentPopulation::day_night_table() const {
    AggregateTable t;
    t.name = "day_night_population";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"period_start", "period_end", "label"};
    t.value_columns = {"devices"};
    const std::string ps = format_day(config_.input.period_start), pe = format_day(config_.input.period_end);
    const size_t T = times_.size();
    for (size_t k = 0; k < space_.presence_levels().size(); ++k) {
        size_t level = space_.presence_levels()[k];
        for (uint32_t z = 0; z < space_.zone_count(level); ++z)
            for (int which = 0; which < 2; ++which) {
                const auto& mask = which == 0 ? is_day_ : is_night_;
                int64_t sum = 0;
                size_t n = 0;
                uint64_t min_support = std::numeric_limits<uint64_t>::max();
                for (size_t i = 0; i < T; ++i) {
                    if (!mask[i]) continue;
                    size_t at = size_t(z) * T + i;
                    sum += sum_[k][at];
                    ++n;
                    // The mean rests on every time point: its support is the smallest of theirs.
                    min_support = std::min<uint64_t>(min_support, count_[k][at]);
                }
                if (n == 0 || sum == 0) continue;
                t.rows.push_back({static_cast<uint32_t>(level), {z}, {ps, pe, which == 0 ? "day" : "night"},
                                  {double(sum) / kScale / double(n)}, min_support});
            }
    }
    return t;
}

void PresentPopulation::save(std::string& out) const { archive_write(out, sum_, count_); }

void PresentPopulation::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(sum_, count_);
}

}  // namespace mpdstat
