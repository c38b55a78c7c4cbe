#include "indicators/trip_nights.hpp"

namespace mpdstat {

std::vector<TripNight> trip_nights(int64_t first_ms, int64_t last_ms, int night_hour, LocalClock& clock) {
    std::vector<TripNight> nights;
    const Day first_day = floor_day(clock.to_local_ms(first_ms)), last_day = floor_day(clock.to_local_ms(last_ms));
    for (Day d = first_day; d <= last_day; ++d) {  // a trip starting after midnight still spans that night's hour
        int64_t t = clock.to_utc_ms(int64_t(d) * kMsPerDay + int64_t(night_hour) * 3'600'000);
        if (t >= first_ms && t <= last_ms) nights.push_back({d - 1, t});
    }
    return nights;
}

std::string month_of(Day d) { return format_day(d).substr(0, 7); }

}  // namespace mpdstat
