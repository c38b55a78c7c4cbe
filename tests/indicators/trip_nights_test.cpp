// The nights of a trip and the unseen edges of a sparse device's stay, by hand.
#include <gtest/gtest.h>

#include "indicators/trip_nights.hpp"

namespace mpdstat {
namespace {

constexpr int64_t kHour = 3'600'000;

TEST(TripNights, OnlyNightsInsideThePeriodCount) {
    LocalClock clock("UTC");
    const Day start = *parse_day("2024-03-01"), end = *parse_day("2024-03-10");
    auto at = [](const char* day, int hour) { return int64_t(*parse_day(day)) * 24 * kHour + hour * kHour; };
    // Present from 1 Mar 00:30 to 3 Mar 12:00: the 04:00 instants of 1, 2 and 3 March
    // are inside; the first is the night of 29 February, before the period.
    auto n = trip_nights(at("2024-03-01", 0) + kHour / 2, at("2024-03-03", 12), 4, clock, start, end);
    ASSERT_EQ(n.size(), 2u);
    EXPECT_EQ(n[0].evening, *parse_day("2024-03-01"));
    EXPECT_EQ(n[1].evening, *parse_day("2024-03-02"));
    EXPECT_EQ(n[0].instant_ms, at("2024-03-02", 4));
    // A stay reaching past the period's last day: the night of 10 March ends on
    // 11 March, after the period.
    EXPECT_EQ(trip_nights(at("2024-03-09", 20), at("2024-03-11", 12), 4, clock, start, end).size(), 1u);
    // Arriving after 04:00 and leaving before the next 04:00: no night.
    EXPECT_TRUE(trip_nights(at("2024-03-05", 5), at("2024-03-06", 3), 4, clock, start, end).empty());
}

TEST(TripNights, UnseenEdgeIsTheMeanGapBetweenEvents) {
    // Five events over 48 h: four gaps of 12 h.
    EXPECT_EQ(unseen_edge_ms(48 * kHour, 5, 24 * kHour), 12 * kHour);
    // Two events 30 h apart, capped at 12 h.
    EXPECT_EQ(unseen_edge_ms(30 * kHour, 2, 12 * kHour), 12 * kHour);
    // One event says nothing about the device's pace.
    EXPECT_EQ(unseen_edge_ms(0, 1, 12 * kHour), 0);
}

}  // namespace
}  // namespace mpdstat
