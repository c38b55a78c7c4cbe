#include "ingest/timestamp_parser.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace mpdstat {
namespace {

constexpr int64_t H = 3600'000;

// 2024-01-15 00:00:00 UTC
constexpr int64_t kJan15 = 1705276800000LL;

TEST(TimestampParser, Iso8601WithAndWithoutOffset) {
    TimestampParser p("iso8601", "Africa/Dakar");  // UTC+0 all year
    EXPECT_EQ(p.parse("2024-01-15T00:00:00Z"), kJan15);
    EXPECT_EQ(p.parse("2024-01-15 01:30:00+01:30"), kJan15);
    EXPECT_EQ(p.parse("2024-01-14T19:00:00-0500"), kJan15);
    EXPECT_EQ(p.parse("2024-01-15T00:00:00.250Z"), kJan15 + 250);
    EXPECT_EQ(p.parse("2024-01-15 00:00:00"), kJan15);  // local = UTC in Dakar
    EXPECT_EQ(p.parse("2024-01-15"), kJan15);
    EXPECT_FALSE(p.parse("2024-13-01T00:00:00Z"));
    EXPECT_FALSE(p.parse("2023-02-29T00:00:00Z"));
    EXPECT_TRUE(p.parse("2024-02-29T00:00:00Z"));
    EXPECT_FALSE(p.parse("2024-01-15T25:00:00Z"));
    EXPECT_FALSE(p.parse("2024-01-15T00:00:00Zjunk"));
    EXPECT_FALSE(p.parse(""));
}

TEST(TimestampParser, LocalTimeUsesTheConfiguredZoneNotTheMachines) {
    TimestampParser paris("iso8601", "Europe/Paris");
    EXPECT_EQ(paris.parse("2024-01-15 01:00:00"), kJan15);  // CET = UTC+1
    // Summer: CEST = UTC+2. 2024-07-01 02:00 local = 00:00 UTC = 1719792000 s.
    EXPECT_EQ(paris.parse("2024-07-01 02:00:00"), 1719792000000LL);
}

TEST(TimestampParser, DaylightSavingTransitions) {
    TimestampParser p("%Y-%m-%d %H:%M:%S", "Europe/Paris");
    // 2024-03-31: clocks jump from 02:00 to 03:00 (01:00 UTC).
    int64_t jump = 1711846800000LL;  // 2024-03-31T01:00:00Z
    EXPECT_EQ(p.parse("2024-03-31 01:59:59"), jump - 1000);
    EXPECT_EQ(p.parse("2024-03-31 03:00:00"), jump);
    // 02:30 does not exist: read with the offset before the gap, i.e. 03:30 CEST.
    EXPECT_EQ(p.parse("2024-03-31 02:30:00"), jump + H / 2);
    // 2024-10-27: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice,
    // the earlier instant is taken.
    int64_t back = 1729990800000LL;  // 2024-10-27T01:00:00Z
    EXPECT_EQ(p.parse("2024-10-27 02:30:00"), back - H / 2);
    EXPECT_EQ(p.parse("2024-10-27 03:30:00"), back + 3 * H / 2);
    // And back again to local time for day boundaries.
    LocalClock c("Europe/Paris");
    EXPECT_EQ(c.to_local_ms(back - 1) - (back - 1), 2 * H);
    EXPECT_EQ(c.to_local_ms(back) - back, H);
    EXPECT_EQ(c.format_local_iso(back), "2024-10-27T02:00:00+01:00");
    EXPECT_EQ(c.format_local_iso(back - 1000), "2024-10-27T02:59:59+02:00");
}

TEST(TimestampParser, RowsOfTheSameMinuteReadAsAFreshParserReadsThem) {
    // A parser remembers the last minute it read; each text must still give what
    // a parser that never saw another row gives, valid or not.
    const std::vector<std::string> texts = {
        "2024-03-31 01:59:00", "2024-03-31 01:59:59", "2024-03-31 01:59:60", "2024-03-31 01:59:61",
        "2024-03-31 01:59:5x", "2024-03-31 01:59+01", "2024-03-31 01:59.5",  "2024-03-31 02:30:07",
        "2024-03-31 02:30:08", "2024-03-31T02:30:09", "2024-10-27 02:30:00", "2024-10-27 02:30:59",
        "2024-10-27 02:31:00", "2024-02-30 00:00:01", "2024-02-29 23:59:58", "2024-02-29 23:59:59"};
    for (const char* format : {"iso8601", "%Y-%m-%d %H:%M:%S"}) {
        TimestampParser warm(format, "Europe/Paris");
        for (const auto& t : texts) {
            TimestampParser fresh(format, "Europe/Paris");
            EXPECT_EQ(warm.parse(t), fresh.parse(t)) << format << " " << t;
        }
    }
    TimestampParser p("iso8601", "Europe/Paris");
    const int64_t jump = 1711846800000LL;  // 2024-03-31T01:00:00Z, clocks go 02:00 -> 03:00
    EXPECT_EQ(p.parse("2024-03-31 01:59:58"), jump - 2000);
    EXPECT_EQ(p.parse("2024-03-31 01:59:59"), jump - 1000);
    EXPECT_EQ(p.parse("2024-03-31 01:59:60"), jump - 1000);  // a leap second reads as the second before
    EXPECT_FALSE(p.parse("2024-03-31 01:59:61"));
    EXPECT_FALSE(p.parse("2024-03-31 01:59:-1"));
}

TEST(TimestampParser, EpochSecondsAndMilliseconds) {
    TimestampParser s("epoch_s", "UTC");
    EXPECT_EQ(s.parse("1705276800"), kJan15);
    EXPECT_EQ(s.parse("1705276800.5"), kJan15 + 500);
    EXPECT_FALSE(s.parse("17052768x"));
    EXPECT_FALSE(s.parse("12"));  // 1970: not a plausible event time
    TimestampParser ms("epoch_ms", "UTC");
    EXPECT_EQ(ms.parse("1705276800123"), kJan15 + 123);
}

TEST(TimestampParser, StrftimePatterns) {
    TimestampParser p("%d/%m/%Y %H:%M", "UTC");
    EXPECT_EQ(p.parse("15/01/2024 00:00"), kJan15);
    EXPECT_EQ(p.parse("5/1/2024 00:00"), kJan15 - 10 * 24 * H);
    EXPECT_FALSE(p.parse("15-01-2024 00:00"));
    TimestampParser q("%d%b%Y:%H:%M:%S.%f%z", "UTC");
    EXPECT_EQ(q.parse("15JAN2024:01:00:00.5+0100"), kJan15 + 500);
    TimestampParser y("%y%m%d%H%M%S", "UTC");
    EXPECT_EQ(y.parse("240115000000"), kJan15);
}

TEST(TimestampParser, BadPatternsAreConfigErrors) {
    EXPECT_THROW(TimestampParser("%H:%M", "UTC"), Error);
    EXPECT_THROW(TimestampParser("%Y-%m-%d %Q", "UTC"), Error);
    EXPECT_THROW(TimestampParser("iso8601", "Mars/Olympus"), Error);
}

TEST(CivilTime, Days) {
    EXPECT_EQ(format_day(*parse_day("2024-02-29")), "2024-02-29");
    EXPECT_FALSE(parse_day("2024-02-30"));
    EXPECT_FALSE(parse_day("2024-2-3"));
    EXPECT_EQ(weekday(*parse_day("2024-01-15")), 0);  // a Monday
    EXPECT_EQ(weekday(*parse_day("1969-12-31")), 2);  // a Wednesday, before the epoch
    EXPECT_EQ(floor_day(-1), -1);
}

}  // namespace
}  // namespace mpdstat
