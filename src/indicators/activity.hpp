#pragma once
// Activity and information-society indicators (ITU): per zone and local day,
// events and active devices by event type and cell technology
// (activity.csv), per zone and day the devices active that day and using data
// (activity_devices.csv), and per zone the devices active in the 90 days
// ending on the period's last day (the ITU "active subscription";
// activity_active_90d.csv). An event belongs to the dominant zone of its cell;
// events abroad are not counted.
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "devices/device_pass.hpp"
#include "indicators/zone_space.hpp"
#include "privacy/aggregate_table.hpp"
#include "spatial/cell_plan.hpp"

namespace mpdstat {

class Activity : public DeviceHandler {
public:
    static constexpr int kActiveWindowDays = 90;

    Activity(const ZoneSpace& space, const Config& config, const CellPlan& cells);
    std::unique_ptr<DeviceHandler> fresh() const override;
    void add(const DeviceView& v) override;
    bool reads_durations() const override { return false; }
    void merge(const DeviceHandler& other) override;
    void save(std::string& out) const override;
    void load(std::string_view in) override;
    AggregateTable events_table() const;
    AggregateTable devices_table() const;
    AggregateTable active_90d_table() const;

private:
    // (published level index, zone, day, event type, technology id) → (events,
    // devices); ids follow the names' order, so rows come in name order.
    using Key = std::tuple<size_t, uint32_t, Day, uint8_t, uint32_t>;
    // (published level index, zone, day) → active, active in 90 days, using data
    using DayKey = std::tuple<size_t, uint32_t, Day>;
    struct DayCounts {
        uint64_t active = 0, active_90d = 0, data = 0;
    };
    // Technologies by dense id, numbered in the order of their names so that
    // sorting by id sorts by name; each cell's id.
    struct Technologies {
        std::vector<std::string> names;
        std::vector<uint32_t> of_cell;
    };
    // One (level, zone) of the device being added: its events of the day being
    // counted, by event type and technology, and its active and data days.
    struct ZoneDays {
        uint32_t level = 0, zone = 0;
        Day day = 0;
        bool counting = false;
        std::vector<uint32_t> events;  // [type * technologies + technology]
        std::vector<Day> active, with_data;
    };
    static constexpr size_t kEventTypes = 5;  // EventType's values
    // Totals of one (level, zone) over the period's days, held in arrays by
    // day rather than in maps: every device touches them once per zone and day.
    struct ZoneTotals {
        uint32_t level = 0, zone = 0;
        std::vector<uint32_t> event_block;  // [day - period start] → first counter in event_counts_, or kNoSlot
        std::vector<DayCounts> days;        // [day - period start]
    };
    using EventCounts = std::pair<uint64_t, uint64_t>;  // events, devices
    Activity(const ZoneSpace& space, const Config& config, const CellPlan& cells,
             std::shared_ptr<const Technologies> technologies);
    static std::shared_ptr<const Technologies> technologies_of(const CellPlan& cells);
    ZoneDays& zone_days(uint32_t level, uint32_t zone);
    void close_day(ZoneDays& z);
    void add_days(const ZoneDays& z);
    size_t counters() const { return kEventTypes * technologies_->names.size(); }
    size_t period_days() const;
    // The totals of (level, zone), made on first use; nullptr for a zone outside its level.
    ZoneTotals* totals(uint32_t level, uint32_t zone);
    // The counters of one (level, zone, day), made on first use (kEventTypes × technologies).
    EventCounts* event_counts(uint32_t level, uint32_t zone, Day day);
    void add_events(const Key& key, const EventCounts& c);
    void add_day(const DayKey& key, const DayCounts& c);
    // Every total in key order, as the tables and save() want them.
    std::map<Key, EventCounts> all_events() const;
    std::map<DayKey, DayCounts> all_days() const;

    const ZoneSpace& space_;
    const Config& config_;
    const CellPlan& cells_;
    std::shared_ptr<const Technologies> technologies_;
    LocalClock clock_;
    // Scratch, reused from device to device.
    std::vector<Day> event_days_;
    std::vector<uint32_t> day_order_;
    // The current day's events by cell: cell_slot_[cell] → slot (or kNoSlot),
    // day_cells_[slot] its cell, day_events_[slot * counters() + counter].
    std::vector<uint32_t> cell_slot_, day_cells_, day_events_;
    std::vector<ZoneDays> zones_;  // the first used_ are the device's
    size_t used_ = 0;
    std::vector<std::vector<uint32_t>> slot_;  // [level index][zone] → index in zones_, or kNoSlot
    static constexpr uint32_t kNoSlot = 0xFFFFFFFFu;
    // Totals: dense by zone and period day; the rare rest (days outside the
    // period, zones outside their level) in maps.
    std::vector<std::vector<uint32_t>> totals_of_;  // [level index][zone] → index in totals_, or kNoSlot
    std::vector<ZoneTotals> totals_;
    std::vector<EventCounts> event_counts_;
    std::map<Key, EventCounts> events_outside_;
    std::map<DayKey, DayCounts> days_outside_;
};

}  // namespace mpdstat
