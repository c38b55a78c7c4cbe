#include "common/day_night_window.hpp"

#include <algorithm>

namespace mpdstat {

namespace {
bool in_hours(int hour, int from, int to) { return from <= to ? hour >= from && hour < to : hour >= from || hour < to; }
}  // namespace

bool in_day_window(Day day, int hour, const AnchorsConfig& a) {
    const bool rest = weekday(day) >= 5 || std::find(a.holidays.begin(), a.holidays.end(), day) != a.holidays.end();
    return !rest && hour >= a.work_start_hour && hour < a.work_end_hour;
}

bool in_night_window(int hour, const AnchorsConfig& a) { return in_hours(hour, a.night_start_hour, a.night_end_hour); }

bool in_window(std::string_view label, Day day, int hour, const AnchorsConfig& a) {
    if (label == "day") return in_day_window(day, hour, a);
    if (label == "night") return in_night_window(hour, a);
    return false;
}

std::optional<std::pair<Day, int>> local_day_hour(std::string_view label) {
    if (label.size() < 13 || label[10] != 'T') return std::nullopt;
    auto day = parse_day(label.substr(0, 10));
    const char h0 = label[11], h1 = label[12];
    if (!day || h0 < '0' || h0 > '2' || h1 < '0' || h1 > '9') return std::nullopt;
    return std::pair{*day, (h0 - '0') * 10 + (h1 - '0')};
}

}  // namespace mpdstat
