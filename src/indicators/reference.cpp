#include "indicators/reference.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "common/archive.hpp"
#include "common/atomic_file.hpp"
#include "common/civil_time.hpp"

namespace mpdstat {

namespace {
size_t district_level(const SpatialModel& m) {
    for (const char* name : {"district", "districts"})
        if (int l = m.level_index(name); l >= 0) return static_cast<size_t>(l);
    return m.finest_level();
}
}  // namespace

ReferenceIndicators::ReferenceIndicators(const ZoneSpace& space, const Config& config, const CellPlan& cells)
    : space_(space), config_(config), cells_(cells), level_(district_level(space.model())),
      clock_(config.input.timezone) {}

std::unique_ptr<DeviceHandler> ReferenceIndicators::fresh() const {
    return std::make_unique<ReferenceIndicators>(space_, config_, cells_);
}

uint32_t ReferenceIndicators::zone_of(uint32_t cell) const {
    if (cell == kNoCell) return kNoZoneIndex;
    return space_.roll_up(space_.places().zone[cell], level_);
}

namespace {
// (day, hour, zone) packed into one non-zero key of the hot present-population
// totals; zones from 2^26 on go to the ordered map instead.
constexpr uint32_t kPackedZones = 1u << 26;
uint64_t pack_present(Day d, int hour, uint32_t zone) {
    return (uint64_t(1) << 63) | (uint64_t(static_cast<uint32_t>(d)) << 31) | (uint64_t(hour) << 26) | zone;
}
std::tuple<Day, int, uint32_t> unpack_present(uint64_t key) {
    return {static_cast<Day>(static_cast<uint32_t>(key >> 31)), static_cast<int>((key >> 26) & 31),
            static_cast<uint32_t>(key & (kPackedZones - 1))};
}
}  // namespace

void ReferenceIndicators::add(const DeviceView& v) {
    constexpr int64_t kHourMs = 3600 * 1000;
    // Events come in time order, so a device's local hours and days come in runs:
    // each run keeps its last located event's zone (hours) or cell (days).
    hours_.clear();
    last_of_day_.clear();
    Day day = 0;
    uint64_t day_events = 0;
    bool back_in_time = false;  // local time went back (a DST fall-back) to an hour or day already left
    for (const Event& e : v.events) {
        const int64_t local = clock_.to_local_ms(e.time_ms);
        const Day d = floor_day(local);
        if (day_events == 0 || d != day) {
            if (day_events > 0) events_[day] += day_events;
            day = d;
            day_events = 0;
        }
        ++day_events;
        if (e.cell == kNoCell) continue;
        const uint32_t zone = zone_of(e.cell);
        if (zone == kNoZoneIndex) continue;
        const std::pair<Day, int> hour{d, static_cast<int>((local - int64_t(d) * kMsPerDay) / kHourMs)};
        if (hours_.empty() || hours_.back().first != hour) {
            back_in_time |= !hours_.empty() && hour < hours_.back().first;
            hours_.push_back({hour, zone});
        } else {
            hours_.back().second = zone;
        }
        if (last_of_day_.empty() || last_of_day_.back().first != d) last_of_day_.push_back({d, e.cell});
        else last_of_day_.back().second = e.cell;
    }
    if (day_events > 0) events_[day] += day_events;
    if (back_in_time) {
        // An hour or day met twice: its last run (in event order) is the one that counts.
        auto keep_last = [](auto& runs) {
            std::stable_sort(runs.begin(), runs.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
            size_t n = 0;
            for (size_t i = 0; i < runs.size(); ++i) {
                if (n > 0 && runs[n - 1].first == runs[i].first) runs[n - 1] = runs[i];
                else runs[n++] = runs[i];
            }
            runs.resize(n);
        };
        keep_last(hours_);
        keep_last(last_of_day_);
    }
    for (const auto& [hour, zone] : hours_) {
        if (zone < kPackedZones) ++present_hot_[pack_present(hour.first, hour.second, zone)];
        else ++present_[{hour.first, hour.second, zone}];
    }
    if (last_of_day_.empty()) return;
    // Modal daily last cell, ties to the smallest cell id: the days' cells in day
    // order, stably sorted by id; the longest run of one id wins (the first of
    // equal runs), and its cell version is the one of the earliest day.
    modal_.clear();
    for (const auto& [d, cell] : last_of_day_) modal_.push_back({std::string_view(cells_[cell].id), cell});
    std::stable_sort(modal_.begin(), modal_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    size_t best = 0, best_run = 0;
    for (size_t i = 0; i < modal_.size();) {
        size_t j = i;
        while (j < modal_.size() && modal_[j].first == modal_[i].first) ++j;
        if (j - i > best_run) {
            best_run = j - i;
            best = i;
        }
        i = j;
    }
    ++home_[zone_of(modal_[best].second)];
    for (size_t k = 1; k < last_of_day_.size(); ++k) {
        if (last_of_day_[k - 1].first + 1 != last_of_day_[k].first) continue;
        ++od_[{last_of_day_[k].first, zone_of(last_of_day_[k - 1].second), zone_of(last_of_day_[k].second)}];
    }
}

std::map<std::tuple<Day, int, uint32_t>, uint64_t> ReferenceIndicators::present() const {
    auto all = present_;
    present_hot_.for_each([&](uint64_t key, uint64_t n) { all[unpack_present(key)] += n; });
    return all;
}

void ReferenceIndicators::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const ReferenceIndicators&>(other);
    for (const auto& [k, n] : o.events_) events_[k] += n;
    for (const auto& [k, n] : o.present_) present_[k] += n;
    o.present_hot_.for_each([&](uint64_t key, uint64_t n) { present_hot_[key] += n; });
    for (const auto& [k, n] : o.home_) home_[k] += n;
    for (const auto& [k, n] : o.od_) od_[k] += n;
}

void ReferenceIndicators::save(std::string& out) const { archive_write(out, events_, present(), home_, od_); }

void ReferenceIndicators::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(events_, present_, home_, od_);
    present_hot_.clear();
}

void ReferenceIndicators::write(const std::filesystem::path& dir) const {
    const auto& zones = space_.model().levels()[level_].zones;
    auto id = [&](uint32_t z) { return zones[z].id; };
    // Rows sorted as text (C locale), as `ORDER BY ... COLLATE "C"` / `sort` would.
    auto emit = [&](const char* name, std::string header, std::vector<std::string> rows) {
        std::sort(rows.begin(), rows.end());
        for (const auto& r : rows) header += r;
        write_file_atomically(dir / name, header);
    };
    std::vector<std::string> rows;
    for (const auto& [d, n] : events_) rows.push_back(fmt::format("{},{}\n", format_day(d), n));
    emit("events.csv", "date,events\n", std::move(rows));
    rows = {};
    for (const auto& [k, n] : present())
        rows.push_back(fmt::format("{},{},{},{}\n", format_day(std::get<0>(k)), std::get<1>(k), id(std::get<2>(k)), n));
    emit("present.csv", "date,hour,zone,devices\n", std::move(rows));
    rows = {};
    for (const auto& [z, n] : home_) rows.push_back(fmt::format("{},{}\n", id(z), n));
    emit("home.csv", "zone,devices\n", std::move(rows));
    rows = {};
    for (const auto& [k, n] : od_)
        rows.push_back(fmt::format("{},{},{},{}\n", format_day(std::get<0>(k)), id(std::get<1>(k)), id(std::get<2>(k)), n));
    emit("od.csv", "date,origin,destination,devices\n", std::move(rows));
    rows = {};
    std::map<std::string, std::string> cz;
    for (uint32_t c = 0; c < cells_.size(); ++c)
        if (uint32_t z = zone_of(c); z != kNoZoneIndex) cz.emplace(cells_[c].id, id(z));
    for (const auto& [c, z] : cz) rows.push_back(fmt::format("{},{}\n", c, z));
    emit("cell_zone.csv", "cell,zone\n", std::move(rows));
}

}  // namespace mpdstat
