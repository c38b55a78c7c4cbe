#pragma once
// Every Tier II indicator fed by the one per-device pass: present population
// (and day / night), usual environment (residents, work) and commuting,
// origin–destination trips, mobility distributions, domestic, inbound and
// outbound tourism, activity, and migration / displacement when configured.
#include <memory>
#include <vector>

#include "indicators/activity.hpp"
#include "indicators/displacement.hpp"
#include "indicators/domestic_tourism.hpp"
#include "indicators/inbound_tourism.hpp"
#include "indicators/migration.hpp"
#include "indicators/mobility.hpp"
#include "indicators/od_trips.hpp"
#include "indicators/outbound_tourism.hpp"
#include "indicators/present_population.hpp"
#include "indicators/usual_environment.hpp"

namespace mpdstat {

struct CoreIndicators {
    CoreIndicators(const ZoneSpace& space, const Config& config, const CellPlan& cells)
        : present(space, config), usual(space, config), od(space, config), mobility(space, config),
          domestic(space, config), inbound(space, config), outbound(space, config), activity(space, config, cells), migration(space, config),
          displacement(space, config), migration_enabled(config.migration.enabled),
          displacement_enabled(config.displacement.event_date.has_value()) {}
    PresentPopulation present;
    UsualEnvironment usual;
    OdTrips od;
    Mobility mobility;
    DomesticTourism domestic;
    InboundTourism inbound;
    OutboundTourism outbound;
    Activity activity;
    Migration migration;
    Displacement displacement;
    bool migration_enabled, displacement_enabled;

    std::vector<DeviceHandler*> handlers() {
        std::vector<DeviceHandler*> h{&present, &usual, &od, &mobility, &domestic, &inbound, &outbound, &activity};
        if (migration_enabled) h.push_back(&migration);
        if (displacement_enabled) h.push_back(&displacement);
        return h;
    }
    std::vector<AggregateTable> tables() const {
        std::vector<AggregateTable> t{present.present_table(), present.day_night_table(), usual.usual_environment_table(),
                                      usual.commuting_table(),   od.table(),           od.daily_locations_table(),
                                      mobility.table(),          domestic.table(),     inbound.table(),      outbound.table(),
                                      activity.events_table(),   activity.devices_table(),
                                      activity.active_90d_table()};
        if (migration_enabled) t.push_back(migration.table());
        if (displacement_enabled) {
            t.push_back(displacement.table());
            t.push_back(displacement.change_table());
        }
        return t;
    }
};

}  // namespace mpdstat
