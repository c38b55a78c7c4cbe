#pragma once
// Every Tier II indicator fed by the one per-device pass: present population
// (and day / night), usual environment (residents, work) and commuting,
// origin–destination trips, mobility distributions, domestic, inbound and
// outbound tourism, activity, and migration / displacement when configured.
#include <functional>
#include <memory>
#include <vector>

#include <oneapi/tbb/parallel_for.h>

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
    // The tables in their fixed order, built in parallel (the OD table takes the
    // longest) and moved into place: copying them out of an initializer list
    // cost as much as building them.
    std::vector<AggregateTable> tables() const {
        std::vector<std::function<AggregateTable()>> build{
            [&] { return present.present_table(); },   [&] { return present.day_night_table(); },
            [&] { return usual.usual_environment_table(); }, [&] { return usual.commuting_table(); },
            [&] { return od.table(); },                [&] { return od.daily_locations_table(); },
            [&] { return mobility.table(); },          [&] { return domestic.table(); },
            [&] { return inbound.table(); },           [&] { return outbound.table(); },
            [&] { return activity.events_table(); },   [&] { return activity.devices_table(); },
            [&] { return activity.active_90d_table(); }};
        if (migration_enabled) build.emplace_back([&] { return migration.table(); });
        if (displacement_enabled) {
            build.emplace_back([&] { return displacement.table(); });
            build.emplace_back([&] { return displacement.change_table(); });
        }
        std::vector<AggregateTable> t(build.size());
        tbb::parallel_for(size_t(0), build.size(), [&](size_t i) { t[i] = build[i](); });
        return t;
    }
};

}  // namespace mpdstat
