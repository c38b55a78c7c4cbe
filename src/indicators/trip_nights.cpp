#include "indicators/trip_nights.hpp"

#include <algorithm>

namespace mpdstat {

std::vector<TripNight> trip_nights(int64_t first_ms, int64_t last_ms, int night_hour, LocalClock& clock, Day period_start,
                                   Day period_end) {
    std::vector<TripNight> nights;
    const Day first_day = std::max(floor_day(clock.to_local_ms(first_ms)), period_start + 1);
    const Day last_day = std::min(floor_day(clock.to_local_ms(last_ms)), period_end);
    for (Day d = first_day; d <= last_day; ++d) {  // a trip starting after midnight still spans that night's hour
        int64_t t = clock.to_utc_ms(int64_t(d) * kMsPerDay + int64_t(night_hour) * 3'600'000);
        if (t >= first_ms && t <= last_ms) nights.push_back({d - 1, t});
    }
    return nights;
}

int64_t unseen_edge_ms(int64_t span_ms, size_t n_events, int64_t cap_ms) {
    if (n_events < 2) return 0;
    return std::min(span_ms / int64_t(n_events - 1), cap_ms);
}

std::string month_of(Day d) { return format_day(d).substr(0, 7); }

}  // namespace mpdstat
