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
    std::optional<int64_t> parse(std::string_view text);
    LocalClock& clock() noexcept { return clock_; }

private:
    enum class Kind { iso8601, epoch_s, epoch_ms, pattern };
    std::optional<int64_t> parse_iso(std::string_view s);
    std::optional<int64_t> parse_pattern(std::string_view s);
    std::optional<int64_t> parse_epoch(std::string_view s, int64_t scale);
    Kind kind_;
    std::string pattern_;
    LocalClock clock_;
};

}  // namespace mpdstat
