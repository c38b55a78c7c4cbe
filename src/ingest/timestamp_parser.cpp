#include "ingest/timestamp_parser.hpp"

#include <charconv>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

namespace {

bool digits(std::string_view s, size_t at, size_t n, int& out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
        unsigned d = static_cast<unsigned char>(s[i]) - '0';
        if (d > 9) return false;
        v = v * 10 + static_cast<int>(d);
    }
    out = v;
    return true;
}

// What the parse functions give for text that is not a time (a sentinel rather
// than an optional: this runs once per row).
constexpr int64_t kNotATime = std::numeric_limits<int64_t>::min();

// Parses [.,]fraction at `i`, returns ms and advances.
bool fraction(std::string_view s, size_t& i, int& ms) {
    ms = 0;
    if (i >= s.size() || (s[i] != '.' && s[i] != ',')) return true;
    ++i;
    size_t start = i;
    int scale = 100;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (scale > 0) ms += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
    }
    return i > start;
}

// Parses Z, ±HH, ±HHMM or ±HH:MM at `i`; nullopt offset when absent.
bool offset(std::string_view s, size_t& i, std::optional<int>& minutes) {
    if (i >= s.size()) return true;
    if (s[i] == 'Z' || s[i] == 'z') {
        minutes = 0;
        ++i;
        return true;
    }
    if (s[i] != '+' && s[i] != '-') return false;
    int sign = s[i] == '-' ? -1 : 1;
    ++i;
    int hh = 0, mm = 0;
    if (!digits(s, i, 2, hh)) return false;
    i += 2;
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size()) {
        if (!digits(s, i, 2, mm)) return false;
        i += 2;
    }
    if (hh > 18 || mm > 59) return false;
    minutes = sign * (hh * 60 + mm);
    return true;
}

int month_from_name(std::string_view s) {
    static constexpr const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s.size() < 3) return 0;
    for (int m = 0; m < 12; ++m) {
        bool eq = true;
        for (int k = 0; k < 3; ++k)
            if ((s[static_cast<size_t>(k)] | 0x20) != names[m][k]) eq = false;
        if (eq) return m + 1;
    }
    return 0;
}

// A leap second (:60) is read as the second before it, wherever seconds are read.
int without_leap_second(int sec) { return sec == 60 ? 59 : sec; }

}  // namespace

int64_t TimestampParser::wall_ms(int y, int mo, int d, int h, int mi, int s, int ms) {
    if (h > 23 || mi > 59 || s > 60) return kNotATime;
    // Rows come in time order, mostly: the day of the previous row is reused.
    const int64_t date = (int64_t(y) * 100 + mo) * 100 + d;
    if (date != cached_date_) {
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return kNotATime;
        static constexpr int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (d > mdays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return kNotATime;
        cached_date_ = date;
        cached_day_ms_ = int64_t(day_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * kMsPerDay;
    }
    return cached_day_ms_ + ((int64_t(h) * 60 + mi) * 60 + without_leap_second(s)) * 1000 + ms;
}

TimestampParser::TimestampParser(const std::string& format, const std::string& timezone) : clock_(timezone) {
    if (format == "iso8601" || format == "iso") kind_ = Kind::iso8601;
    else if (format == "epoch_s" || format == "epoch") kind_ = Kind::epoch_s;
    else if (format == "epoch_ms") kind_ = Kind::epoch_ms;
    else {
        kind_ = Kind::pattern;
        pattern_ = format;
        iso_pattern_ = format == "%Y-%m-%d %H:%M:%S";
        bool y = false, mo = false, d = false;
        for (size_t i = 0; i + 1 < format.size(); ++i) {
            if (format[i] != '%') continue;
            char c = format[++i];
            if (std::strchr("YmdHMSfzby%", c) == nullptr)
                throw config_error(fmt::format("input.timestamp_format: unsupported directive '%{}' in \"{}\" "
                                               "(supported: %Y %y %m %b %d %H %M %S %f %z %%)", c, format));
            y |= c == 'Y' || c == 'y';
            mo |= c == 'm' || c == 'b';
            d |= c == 'd';
        }
        if (!y || !mo || !d)
            throw config_error(fmt::format("input.timestamp_format \"{}\" needs a year, a month and a day, or use "
                                           "\"iso8601\", \"epoch_s\" or \"epoch_ms\"", format));
    }
}

bool TimestampParser::parse(std::string_view s, int64_t& utc_ms) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty()) return false;
    switch (kind_) {
        case Kind::iso8601: utc_ms = parse_iso(s); break;
        case Kind::epoch_s: utc_ms = parse_epoch(s, 1000); break;
        case Kind::epoch_ms: utc_ms = parse_epoch(s, 1); break;
        default: utc_ms = parse_pattern(s);
    }
    return utc_ms != kNotATime;
}

int64_t TimestampParser::parse_epoch(std::string_view s, int64_t scale) {
    int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc()) return kNotATime;
    // Far outside the plausible range below: refused before the product can overflow.
    if (v > 7'258'118'400'000LL || v < -7'258'118'400'000LL) return kNotATime;
    int64_t ms = v * scale;
    if (r.ptr != s.data() + s.size()) {
        if (scale != 1000) return kNotATime;
        size_t i = static_cast<size_t>(r.ptr - s.data());
        int frac = 0;
        if (!fraction(s, i, frac) || i != s.size()) return kNotATime;
        ms += v < 0 ? -frac : frac;
    }
    // Plausibility: 1990 … 2200.
    if (ms < 631'152'000'000LL || ms > 7'258'118'400'000LL) return kNotATime;
    return ms;
}

int64_t TimestampParser::parse_iso(std::string_view s) {
    // The minute of the previous row: only the seconds are read (the same sum as below).
    const bool minute_form = s.size() == 19 && s[16] == ':';
    if (minute_form && minute_cached_ && std::memcmp(s.data(), cached_minute_text_, sizeof cached_minute_text_) == 0) {
        int sec = 0;
        if (!digits(s, 17, 2, sec) || sec > 60) return kNotATime;
        return clock_.to_utc_ms(cached_minute_ms_ + int64_t(without_leap_second(sec)) * 1000);
    }
    int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return kNotATime;
    size_t i = 10;
    if (i < s.size()) {
        if (s[i] != 'T' && s[i] != ' ' && s[i] != 't') return kNotATime;
        ++i;
        if (!digits(s, i, 2, h) || i + 2 >= s.size() || s[i + 2] != ':' || !digits(s, i + 3, 2, mi)) return kNotATime;
        i += 5;
        if (i < s.size() && s[i] == ':') {
            if (!digits(s, i + 1, 2, sec)) return kNotATime;
            i += 3;
        }
        if (!fraction(s, i, ms)) return kNotATime;
    }
    std::optional<int> off;
    if (!offset(s, i, off) || i != s.size()) return kNotATime;
    const int64_t local = wall_ms(y, mo, d, h, mi, sec, ms);
    if (local == kNotATime) return kNotATime;
    if (off) return local - int64_t(*off) * 60'000;
    if (minute_form) {
        std::memcpy(cached_minute_text_, s.data(), sizeof cached_minute_text_);
        cached_minute_ms_ = local - int64_t(without_leap_second(sec)) * 1000;
        minute_cached_ = true;
    }
    return clock_.to_utc_ms(local);
}

int64_t TimestampParser::parse_pattern(std::string_view s) {
    // The most common MNO format takes the ISO path, which reads it without interpreting the pattern.
    if (iso_pattern_ && s.size() == 19 && s[10] == ' ') return parse_iso(s);
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
    std::optional<int> off;
    size_t i = 0;
    const std::string& p = pattern_;
    for (size_t k = 0; k < p.size(); ++k) {
        if (p[k] != '%' || k + 1 == p.size()) {
            if (i >= s.size() || s[i] != p[k]) return kNotATime;
            ++i;
            continue;
        }
        char c = p[++k];
        // Numbers may have fewer digits than their width (e.g. 1/2/2024).
        auto num = [&](size_t maxw, int& out) {
            size_t start = i;
            int v = 0;
            while (i < s.size() && i - start < maxw && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
            out = v;
            return i > start;
        };
        bool ok = true;
        switch (c) {
            case 'Y': ok = num(4, y); break;
            case 'y': ok = num(2, y); y += y < 70 ? 2000 : 1900; break;
            case 'm': ok = num(2, mo); break;
            case 'd': ok = num(2, d); break;
            case 'H': ok = num(2, h); break;
            case 'M': ok = num(2, mi); break;
            case 'S': ok = num(2, sec); break;
            case 'f': {
                if (i < s.size() && (s[i] == '.' || s[i] == ',')) ok = false;  // %f is the digits only
                size_t start = i;
                int scale = 100;
                ms = 0;
                while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
                    if (scale > 0) ms += (s[i] - '0') * scale;
                    scale /= 10;
                    ++i;
                }
                ok = ok && i > start;
                break;
            }
            case 'z': ok = offset(s, i, off) && off.has_value(); break;
            case 'b':
                mo = month_from_name(s.substr(i));
                ok = mo != 0;
                i += 3;
                break;
            case '%': ok = i < s.size() && s[i++] == '%'; break;
            default: ok = false;
        }
        if (!ok) return kNotATime;
    }
    if (i != s.size()) return kNotATime;
    const int64_t local = wall_ms(y, mo, d, h, mi, sec, ms);
    if (local == kNotATime) return kNotATime;
    if (off) return local - int64_t(*off) * 60'000;
    return clock_.to_utc_ms(local);
}

}  // namespace mpdstat
