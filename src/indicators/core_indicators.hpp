#pragma once
// Every Tier II indicator fed by the one per-device pass: present population
// (and day / night), usual environment (residents, work) and commuting,
// origin–destination trips, mobility distributions, inbound and outbound
// tourism, activity.
#include <memory>
#include <vector>

#include "indicators/activity.hpp"
#include "indicators/inbound_tourism.hpp"
#include "indicators/mobility.hpp"
#include "indicators/od_trips.hpp"
#include "indicators/outbound_tourism.hpp"
#include "indicators/present_population.hpp"
#include "indicators/usual_environment.hpp"

namespace mpdstat {

struct CoreIndicators {
    CoreIndicators(const ZoneSpace& space, const Config& config, const CellPlan& cells)
        : present(space, config), usual(space, config), od(space, config), mobility(space, config),
          inbound(space, config), outbound(space, config), activity(space, config, cells) {}
    PresentPopulation present;
    UsualEnvironment usual;
    OdTrips od;
    Mobility mobility;
    InboundTourism inbound;
    OutboundTourism outbound;
    Activity activity;

    std::vector<DeviceHandler*> handlers() {
        return {&present, &usual, &od, &mobility, &inbound, &outbound, &activity};
    }
    std::vector<AggregateTable> tables() const {
        return {present.present_table(), present.day_night_table(), usual.usual_environment_table(),
                usual.commuting_table(), od.table(), od.daily_locations_table(), mobility.table(),
                inbound.table(), outbound.table(), activity.events_table(), activity.devices_table()};
    }
};

}  // namespace mpdstat
