#pragma once
// Usual environment, home and work over a period, with the three rule sets of
// METHODS.md §5: `ess` (ESS reference), `gdf` (GDF training notebooks) and
// `modal_last` (Flowminder COVID-19 standard). Every threshold is a config key;
// ties are broken deterministically (documented in docs/anchors.md).
#include <set>
#include <span>
#include <vector>

#include "common/civil_time.hpp"
#include "config/config.hpp"
#include "devices/device_view.hpp"
#include "devices/location_posterior.hpp"

namespace mpdstat {

struct AnchorRules {
    AnchorsConfig c;
    std::set<Day> holidays;
    Day period_end = 0;
    // anchors.location = "posterior": where home and work lie (not owned; null: the dominant zone of the cells).
    const LocationPosterior* location = nullptr;
    // False where only the home is used: the work place is then not located
    // (a posterior less per device) and left out (kNoZoneIndex).
    bool with_work = true;
    bool is_rest_day(Day d) const { return weekday(d) >= 5 || holidays.count(d) > 0; }
    static AnchorRules from_config(const Config& config);
};

// `zone_of_cell` maps a cell version to its finest (dominant) zone.
Anchors compute_anchors(const DeviceView& v, const AnchorRules& rules, std::span<const uint32_t> zone_of_cell,
                        LocalClock& clock);

// The home over the days [from, to] only (their events, slots and days): the
// home in a previous period for migration, a baseline home for displacement.
// Only home and home_seen are meant to be read: work and work_seen are
// kNoZoneIndex (with_work = false), and usual is the rule set's, not located.
Anchors anchors_between(const DeviceView& v, Day from, Day to, const AnchorRules& rules,
                        std::span<const uint32_t> zone_of_cell, LocalClock& clock);

Anchors anchors_ess(const DeviceView& v, const AnchorRules& rules);
Anchors anchors_gdf(const DeviceView& v, const AnchorRules& rules, std::span<const uint32_t> zone_of_cell,
                    LocalClock& clock);
Anchors anchors_modal_last(const DeviceView& v, const AnchorRules& rules, std::span<const uint32_t> zone_of_cell);

}  // namespace mpdstat
