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

// Nights of a trip present from first_ms to last_ms. Only nights inside the period
// count (evening from period_start, morning by period_end): a trip under way when
// the period opens does not bring the night before it.
std::vector<TripNight> trip_nights(int64_t first_ms, int64_t last_ms, int night_hour, LocalClock& clock, Day period_start,
                                   Day period_end);

// A sparse device is seen some time after it arrives and before it leaves: with n
// events over a span S, the unseen time at each end is S / (n - 1) on average (the
// mean gap of events spread evenly in time). Returned capped at cap_ms; 0 for n < 2.
int64_t unseen_edge_ms(int64_t span_ms, size_t n_events, int64_t cap_ms);

// "YYYY-MM" of a local date.
std::string month_of(Day d);

}  // namespace mpdstat
