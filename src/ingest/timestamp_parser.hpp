#pragma once
// Event timestamps → UTC milliseconds. Formats: "iso8601" (with or without an
// offset; without one the time is local), "epoch_s", "epoch_ms", or a
// strftime-like pattern (%Y %m %d %H %M %S %f %z %b %y %%). Local times are
// read in the configured IANA zone.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_time.hpp"

namespace mpdstat {

class TimestampParser {
public:
    // Throws config_error on an unusable pattern.
    TimestampParser(const std::string& format, const std::string& timezone);
    // UTC milliseconds of `text` into utc_ms; false when it is not a valid time.
    // (Not an optional: returned through memory it stalled every row's parse.)
    bool parse(std::string_view text, int64_t& utc_ms);
    std::optional<int64_t> parse(std::string_view text) {
        int64_t ms = 0;
        return parse(text, ms) ? std::optional<int64_t>(ms) : std::nullopt;
    }
    LocalClock& clock() noexcept { return clock_; }

private:
    enum class Kind { iso8601, epoch_s, epoch_ms, pattern };
    // These give a sentinel (the least int64_t) for text that is not a time.
    int64_t parse_iso(std::string_view s);
    int64_t parse_pattern(std::string_view s);
    int64_t parse_epoch(std::string_view s, int64_t scale);
    // Local wall time → milliseconds on the local time line; a sentinel when a
    // field is out of range (month 13, 31 April, hour 24, …).
    int64_t wall_ms(int y, int mo, int d, int h, int mi, int s, int ms);
    Kind kind_;
    std::string pattern_;
    LocalClock clock_;
    int64_t cached_date_ = -1;  // yyyymmdd of the last valid date read, and its first ms
    int64_t cached_day_ms_ = 0;
    // "YYYY-MM-DD HH:MM" of the last valid 19-character ISO time and the local
    // ms of that minute: rows come in time order, so most share the minute.
    char cached_minute_text_[16] = {};
    int64_t cached_minute_ms_ = 0;
    bool minute_cached_ = false;
    bool iso_pattern_ = false;  // the pattern is "%Y-%m-%d %H:%M:%S", read as ISO
};

}  // namespace mpdstat
