#pragma once
// The nights of a trip, shared by inbound and outbound tourism: a trip spanning
// tourism.night_hour local time of a day counts a night, which belongs to the
// evening before (and to that evening's month).
#include <cstdint>
#include <string>
#include <vector>

#include "common/civil_time.hpp"

namespace mpdstat {

struct TripNight {
    Day evening;         // the local date the night belongs to
    int64_t instant_ms;  // night_hour on the next day, UTC
};

// Nights of a trip whose first and last events are at first_ms and last_ms.
std::vector<TripNight> trip_nights(int64_t first_ms, int64_t last_ms, int night_hour, LocalClock& clock);

// "YYYY-MM" of a local date.
std::string month_of(Day d);

}  // namespace mpdstat
