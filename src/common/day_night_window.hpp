#pragma once
// Which time points day and night population average over (docs/indicators.md):
// day = working hours (anchors.work_start_hour … work_end_hour) of working
// days (not Saturday, Sunday or a holiday); night = night hours
// (anchors.night_start_hour … night_end_hour) of every day. One definition for
// the indicator and for disclosure control, which must know which present
// population rows each mean rests on.
#include <optional>
#include <string_view>
#include <utility>

#include "common/civil_time.hpp"
#include "config/config.hpp"

namespace mpdstat {

bool in_day_window(Day day, int hour, const AnchorsConfig& anchors);
bool in_night_window(int hour, const AnchorsConfig& anchors);
// "day" or "night"; false for any other label.
bool in_window(std::string_view label, Day day, int hour, const AnchorsConfig& anchors);

// The local day and hour of a time label as written ("2024-03-28T08:00:00+00:00").
std::optional<std::pair<Day, int>> local_day_hour(std::string_view label);

}  // namespace mpdstat
