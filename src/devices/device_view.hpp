#pragma once
// Everything the per-device pass knows about one device, handed to every
// indicator's accumulator: its events, segments, hourly slots, days and
// anchors. Built once per device; accumulators only read it.
#include <cstdint>
#include <span>
#include <vector>

#include "common/civil_time.hpp"
#include "devices/segments.hpp"
#include "store/event.hpp"

namespace mpdstat {

constexpr uint32_t kNoZoneIndex = 0xFFFFFFFFu;

// Where the device was during one local hour (sampled at its middle).
struct HourSlot {
    Day day = 0;      // local calendar day
    uint8_t hour = 0; // local hour 0-23
    uint32_t cell = kNoCell;
    uint32_t zone = kNoZoneIndex;  // finest zone (dominant zone of the cell)
};

struct DeviceDay {
    Day day = 0;
    uint32_t events = 0;
    uint32_t located_events = 0;
    uint32_t daily_location = kNoCell;  // by devices.daily_location
    uint32_t last_cell = kNoCell;       // cell of the day's last located event
    double distance_m = 0;              // between consecutive stays
    double gyration_m = 0;              // radius of gyration of the day's located events
    uint32_t distinct_zones = 0;        // finest zones of the day's stays
    bool abroad = false;
};

// Usual environment, home and work, as finest-zone indices.
struct Anchors {
    bool observed_enough = false;  // the rule set could judge this device
    uint32_t home = kNoZoneIndex;
    uint32_t work = kNoZoneIndex;
    std::vector<uint32_t> usual;   // usual environment zones, sorted
    // Home and work as the cells' dominant zones see them (the rule set's own
    // pick): what a slot's zone is compared with to tell whether the device is
    // at home. Equal to home / work unless anchors.location = "posterior" moved them.
    uint32_t home_seen = kNoZoneIndex;
    uint32_t work_seen = kNoZoneIndex;
};

struct DeviceView {
    uint64_t device = 0;
    std::span<const Event> events;
    std::vector<Day> event_days;        // local calendar day of each event (empty when not computed)
    Domain domain = Domain::domestic;  // of the majority of its events
    std::vector<Segment> segments;
    std::vector<HourSlot> slots;        // every local hour from its first to its last active day
    std::vector<DeviceDay> days;        // days with at least one event
    Anchors anchors;
};

}  // namespace mpdstat
