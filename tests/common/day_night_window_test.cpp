#include "common/day_night_window.hpp"

#include <gtest/gtest.h>

namespace mpdstat {
namespace {

TEST(DayNightWindow, WorkingHoursOfWorkingDaysAndNightHoursAcrossMidnight) {
    AnchorsConfig a;  // day 08–17 on working days, night 18–08
    const Day monday = *parse_day("2024-03-25"), saturday = *parse_day("2024-03-30");
    a.holidays.push_back(*parse_day("2024-03-26"));
    EXPECT_TRUE(in_day_window(monday, 8, a));
    EXPECT_FALSE(in_day_window(monday, 17, a)) << "end hour excluded";
    EXPECT_FALSE(in_day_window(saturday, 10, a));
    EXPECT_FALSE(in_day_window(monday + 1, 10, a)) << "a holiday";
    EXPECT_TRUE(in_night_window(18, a));
    EXPECT_TRUE(in_night_window(3, a));
    EXPECT_FALSE(in_night_window(8, a));
    EXPECT_TRUE(in_window("night", saturday, 23, a));
    EXPECT_FALSE(in_window("ue", monday, 10, a));
    auto dh = local_day_hour("2024-03-25T09:00:00+00:00");
    ASSERT_TRUE(dh);
    EXPECT_EQ(dh->first, monday);
    EXPECT_EQ(dh->second, 9);
    EXPECT_FALSE(local_day_hour("2024-03-25"));
}

}  // namespace
}  // namespace mpdstat
