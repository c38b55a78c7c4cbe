#include "common/civil_time.hpp"

#include <charconv>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

using namespace std::chrono;

Day day_from_civil(int y, unsigned m, unsigned d) {
    return static_cast<Day>(date::sys_days(date::year(y) / date::month(m) / date::day(d)).time_since_epoch().count());
}

std::optional<Day> parse_day(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto num = [&](size_t at, size_t len, auto& out) {
        auto r = std::from_chars(s.data() + at, s.data() + at + len, out);
        return r.ec == std::errc() && r.ptr == s.data() + at + len;
    };
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
    date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
    if (!ymd.ok()) return std::nullopt;
    return static_cast<Day>(date::sys_days(ymd).time_since_epoch().count());
}

std::string format_day(Day day) {
    date::year_month_day ymd{date::sys_days(date::days(day))};
    return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

int weekday(Day day) {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    int w = (day + 3) % 7;
    return w < 0 ? w + 7 : w;
}

LocalClock::LocalClock(const std::string& iana_zone) : name_(iana_zone) {
    try {
        zone_ = date::locate_zone(iana_zone);
    } catch (const std::exception&) {
        throw config_error(fmt::format("unknown time zone '{}': use an IANA name such as 'Africa/Dakar'", iana_zone));
    }
}

void LocalClock::refresh_offset(int64_t utc_ms) {
    date::sys_time<milliseconds> t{milliseconds(utc_ms)};
    auto info = zone_->get_info(t);
    utc_begin_ = duration_cast<milliseconds>(info.begin.time_since_epoch()).count();
    utc_end_ = duration_cast<milliseconds>(info.end.time_since_epoch()).count();
    utc_offset_ = duration_cast<milliseconds>(info.offset).count();
}

int LocalClock::offset_seconds(int64_t utc_ms) { return static_cast<int>((to_local_ms(utc_ms) - utc_ms) / 1000); }

int64_t LocalClock::to_utc_ms_uncached(int64_t local_ms) {
    date::local_time<milliseconds> lt{milliseconds(local_ms)};
    auto info = zone_->get_info(lt);
    auto off = [](const date::sys_info& s) { return duration_cast<milliseconds>(s.offset).count(); };
    auto ms = [](auto tp) { return duration_cast<milliseconds>(tp.time_since_epoch()).count(); };
    switch (info.result) {
        case date::local_info::unique: {
            // Cache the stretch of local time that maps uniquely with this offset.
            int64_t o = off(info.first);
            loc_begin_ = ms(info.first.begin) + o;
            loc_end_ = ms(info.first.end) + o;
            loc_offset_ = o;
            if (ms(info.first.begin) < -4'000'000'000'000LL) loc_begin_ = INT64_MIN / 2;
            if (ms(info.first.end) > 4'000'000'000'000LL) loc_end_ = INT64_MAX / 2;
            // Trim the cached range away from neighbouring ambiguous or missing stretches.
            int64_t guard = 24LL * 3600 * 1000;
            loc_begin_ += guard;
            loc_end_ -= guard;
            return local_ms - o;
        }
        case date::local_info::ambiguous:
            return local_ms - off(info.first);
        case date::local_info::nonexistent:
        default:
            // The wall clock skipped this time: read it with the offset before the gap.
            return local_ms - off(info.first);
    }
}

std::string LocalClock::format_local_iso(int64_t utc_ms) {
    int64_t local = to_local_ms(utc_ms);
    int off_min = static_cast<int>((local - utc_ms) / 60000);
    Day d = floor_day(local);
    int64_t in_day = local - int64_t(d) * kMsPerDay;
    int64_t s = in_day / 1000;
    char sign = off_min < 0 ? '-' : '+';
    int a = off_min < 0 ? -off_min : off_min;
    return fmt::format("{}T{:02}:{:02}:{:02}{}{:02}:{:02}", format_day(d), s / 3600, (s / 60) % 60, s % 60, sign, a / 60,
                       a % 60);
}

}  // namespace mpdstat
