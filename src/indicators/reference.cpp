#include "indicators/reference.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "common/archive.hpp"
#include "common/atomic_file.hpp"

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

void ReferenceIndicators::add(const DeviceView& v) {
    constexpr int64_t kHourMs = 3600 * 1000;
    // The device's last located event of each local hour, and of each local day.
    std::map<std::pair<Day, int>, uint32_t> last_of_hour;
    std::map<Day, uint32_t> last_of_day;
    for (const Event& e : v.events) {
        int64_t local = clock_.to_local_ms(e.time_ms);
        Day d = floor_day(local);
        ++events_[d];
        if (e.cell == kNoCell || zone_of(e.cell) == kNoZoneIndex) continue;
        int hour = static_cast<int>((local - int64_t(d) * 24 * kHourMs) / kHourMs);
        last_of_hour[{d, hour}] = e.cell;
        last_of_day[d] = e.cell;
    }
    for (const auto& [dh, cell] : last_of_hour) ++present_[{dh.first, dh.second, zone_of(cell)}];
    if (last_of_day.empty()) return;
    // Modal daily last cell, ties to the smallest cell id.
    std::map<std::string_view, uint32_t> count;
    std::map<std::string_view, uint32_t> cell_of;
    for (const auto& [d, cell] : last_of_day) {
        ++count[cells_[cell].id];
        cell_of.emplace(cells_[cell].id, cell);
    }
    auto best = count.begin();
    for (auto it = count.begin(); it != count.end(); ++it)
        if (it->second > best->second) best = it;
    ++home_[zone_of(cell_of.at(best->first))];
    for (auto it = std::next(last_of_day.begin()); it != last_of_day.end(); ++it) {
        auto prev = std::prev(it);
        if (prev->first + 1 != it->first) continue;
        ++od_[{it->first, zone_of(prev->second), zone_of(it->second)}];
    }
}

void ReferenceIndicators::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const ReferenceIndicators&>(other);
    for (const auto& [k, n] : o.events_) events_[k] += n;
    for (const auto& [k, n] : o.present_) present_[k] += n;
    for (const auto& [k, n] : o.home_) home_[k] += n;
    for (const auto& [k, n] : o.od_) od_[k] += n;
}

void ReferenceIndicators::save(std::string& out) const { archive_write(out, events_, present_, home_, od_); }

void ReferenceIndicators::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(events_, present_, home_, od_);
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
    for (const auto& [k, n] : present_)
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
