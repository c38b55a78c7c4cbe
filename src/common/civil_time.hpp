#pragma once
// Local calendar days and the conversion between UTC instants and the local
// time of the configured IANA zone (system tzdata via Howard Hinnant's date/tz).
// Instants are milliseconds since the Unix epoch, UTC.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace mpdstat {

using Day = int32_t;  // days since 1970-01-01 in local time
constexpr int64_t kMsPerDay = 86'400'000;

std::optional<Day> parse_day(std::string_view yyyy_mm_dd);
std::string format_day(Day day);
Day day_from_civil(int y, unsigned m, unsigned d);

// format_day, each day formatted once: tables and micro files repeat a few
// dates over hundreds of thousands of rows. References stay valid.
class DayTexts {
public:
    const std::string& operator()(Day day) {
        auto at = texts_.find(day);
        if (at == texts_.end()) at = texts_.emplace(day, format_day(day)).first;
        return at->second;
    }

private:
    std::map<Day, std::string> texts_;
};
// 0 = Monday … 6 = Sunday.
int weekday(Day day);

inline Day floor_day(int64_t local_ms) {
    return static_cast<Day>(local_ms >= 0 ? local_ms / kMsPerDay : (local_ms - kMsPerDay + 1) / kMsPerDay);
}

// Converts between UTC and local wall time of one zone. Caches the current
// offset interval, so a stream of nearby instants costs one compare each.
// Not thread-safe: give each thread its own copy.
class LocalClock {
public:
    explicit LocalClock(const std::string& iana_zone);  // throws config_error on unknown zone

    // The cached interval is checked inline; only a change of offset calls out.
    int64_t to_local_ms(int64_t utc_ms) {
        if (utc_ms < utc_begin_ || utc_ms >= utc_end_) refresh_offset(utc_ms);
        return utc_ms + utc_offset_;
    }
    // Wall time → UTC. Ambiguous times (DST fall-back) take the earlier instant;
    // times inside a DST gap are moved forward by the gap (RFC 9557 "compatible").
    int64_t to_utc_ms(int64_t local_ms) {
        if (local_ms >= loc_begin_ && local_ms < loc_end_) return local_ms - loc_offset_;  // the cached stretch
        return to_utc_ms_uncached(local_ms);
    }
    // "+01:00" style offset of the zone at a UTC instant.
    int offset_seconds(int64_t utc_ms);
    std::string format_local_iso(int64_t utc_ms);  // 2024-03-31T02:30:00+02:00

    const std::string& name() const noexcept { return name_; }

private:
    void refresh_offset(int64_t utc_ms);  // caches the offset interval holding utc_ms
    int64_t to_utc_ms_uncached(int64_t local_ms);
    std::string name_;
    const date::time_zone* zone_;
    int64_t utc_begin_ = 1, utc_end_ = 0, utc_offset_ = 0;  // cached sys_info, ms
    int64_t loc_begin_ = 1, loc_end_ = 0, loc_offset_ = 0;  // cached unique local range, ms
};

}  // namespace mpdstat
