#pragma once
// Reference indicators (Tier I-ish, written only under work_dir/reference/):
// simple definitions that a SQL engine can compute from the same CSV files,
// so that the benchmarks (bench/run.sh, bench/sql/) compare like with like and
// check that the results are equal before timings count. Enabled by
// `[run] reference_outputs = true`; never released, no disclosure control.
//
// On the stored (clean, de-duplicated) events, with "zone" the district
// (the level named "district", else the finest level) holding the cell's
// largest weight, and local days and hours in input.timezone:
//   events.csv        date, events           — every stored event
//   present.csv       date, hour, zone, devices — each device counted once per
//                     local hour, in the zone of its last located event of that hour
//   home.csv          zone, devices          — each device's modal daily last cell
//                     (the cell of each day's last located event; ties → the
//                     smallest cell id), counted in that cell's zone
//   od.csv            date, origin, destination, devices — consecutive calendar
//                     days d-1, d with a daily last cell each: zone(d-1) → zone(d)
//   cell_zone.csv     cell, zone             — the mapping above, for the SQL
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/u64_count_map.hpp"
#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"

namespace mpdstat {

class ReferenceIndicators : public DeviceHandler {
public:
    ReferenceIndicators(const ZoneSpace& space, const Config& config, const CellPlan& cells);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;

    // Writes the CSV files above into `dir` (sorted by their key columns).
    void write(const std::filesystem::path& dir) const;

private:
    uint32_t zone_of(uint32_t cell) const;
    // present_ and present_hot_ together, as one ordered table.
    std::map<std::tuple<Day, int, uint32_t>, uint64_t> present() const;

    const ZoneSpace& space_;
    const Config& config_;
    const CellPlan& cells_;
    size_t level_;
    LocalClock clock_;
    std::map<Day, uint64_t> events_;
    std::map<std::tuple<Day, int, uint32_t>, uint64_t> present_;
    U64CountMap<uint64_t> present_hot_;  // the same by packed key: one slot per device-hour, no tree walk
    // One device's working lists, reused: ((day, local hour), zone of its last
    // located event), (day, last located cell), (cell id, cell).
    std::vector<std::pair<std::pair<Day, int>, uint32_t>> hours_;
    std::vector<std::pair<Day, uint32_t>> last_of_day_;
    std::vector<std::pair<std::string_view, uint32_t>> modal_;
    std::map<uint32_t, uint64_t> home_;
    std::map<std::tuple<Day, uint32_t, uint32_t>, uint64_t> od_;
};

}  // namespace mpdstat
