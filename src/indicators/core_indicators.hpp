#pragma once
// The core Tier II indicators of issue 5, fed by one per-device pass:
// present population (and day / night), usual environment (residents, work)
// and commuting, origin–destination trips, mobility distributions.
#include <memory>
#include <vector>

#include "indicators/inbound_tourism.hpp"
#include "indicators/mobility.hpp"
#include "indicators/od_trips.hpp"
#include "indicators/outbound_tourism.hpp"
#include "indicators/present_population.hpp"
#include "indicators/usual_environment.hpp"

namespace mpdstat {

struct CoreIndicators {
    CoreIndicators(const ZoneSpace& space, const Config& config)
        : present(space, config), usual(space, config), od(space, config), mobility(space, config),
          inbound(space, config), outbound(space, config) {}
    PresentPopulation present;
    UsualEnvironment usual;
    OdTrips od;
    Mobility mobility;
    InboundTourism inbound;
    OutboundTourism outbound;

    std::vector<DeviceHandler*> handlers() { return {&present, &usual, &od, &mobility, &inbound, &outbound}; }
    std::vector<AggregateTable> tables() const {
        return {present.present_table(), present.day_night_table(), usual.usual_environment_table(),
                usual.commuting_table(), od.table(), od.daily_locations_table(), mobility.table(),
                inbound.table(), outbound.table()};
    }
};

}  // namespace mpdstat
