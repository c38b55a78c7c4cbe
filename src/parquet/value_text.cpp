#include "parquet/value_text.hpp"

#include <charconv>

#include <fmt/format.h>

#include "common/civil_time.hpp"
#include "parquet/format_error.hpp"

namespace mpdstat::parquet {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t units_per_second(TimeUnit u) {
    return u == TimeUnit::millis ? 1000 : u == TimeUnit::micros ? 1000000 : 1000000000;
}

int fraction_digits(TimeUnit u) { return u == TimeUnit::millis ? 3 : u == TimeUnit::micros ? 6 : 9; }

void append_fraction(int64_t fraction, TimeUnit u, std::string& out) {
    if (fraction == 0) return;
    std::string f = fmt::format("{:0{}}", fraction, fraction_digits(u));
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
}

void append_hex(std::string_view bytes, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
}

// An unscaled decimal as text with `scale` digits after the point.
void append_decimal(__int128 v, int scale, std::string& out) {
    bool negative = v < 0;
    unsigned __int128 u = negative ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
    std::string digits;
    do {
        digits += static_cast<char>('0' + static_cast<int>(u % 10));
        u /= 10;
    } while (u);
    while (digits.size() <= size_t(scale)) digits += '0';
    if (negative) out += '-';
    for (size_t i = digits.size(); i-- > 0;) {
        out += digits[i];
        if (i == size_t(scale) && scale > 0) out += '.';
    }
}

// Big-endian two's complement bytes (at most 16) as a signed integer.
__int128 big_endian_signed(std::string_view b) {
    if (b.size() > 16) throw FormatError(fmt::format("decimal of {} bytes is wider than supported (16)", b.size()));
    if (b.empty()) return 0;
    unsigned __int128 v = (static_cast<unsigned char>(b[0]) & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
    for (unsigned char c : b) v = (v << 8) | c;
    return static_cast<__int128>(v);
}

template <class T>
void append_number(T v, std::string& out) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

}  // namespace

int64_t timestamp_to_ms(int64_t value, TimeUnit unit) {
    switch (unit) {
        case TimeUnit::millis: return value;
        case TimeUnit::micros: return floor_div(value, 1000);
        case TimeUnit::nanos: return floor_div(value, 1000000);
    }
    return value;
}

void append_value_text(const Column& c, const ColumnData& d, size_t row, std::string& out) {
    switch (c.kind) {
        case ValueKind::boolean: out += d.ints[row] ? "true" : "false"; return;
        case ValueKind::integer: append_number(d.ints[row], out); return;
        case ValueKind::unsigned_integer:
            if (c.physical == PhysicalType::int32) append_number(static_cast<uint32_t>(d.ints[row]), out);
            else append_number(static_cast<uint64_t>(d.ints[row]), out);
            return;
        case ValueKind::float32: append_number(static_cast<float>(d.doubles[row]), out); return;
        case ValueKind::float64: append_number(d.doubles[row], out); return;
        case ValueKind::string: out += d.bytes[row]; return;
        case ValueKind::binary: append_hex(d.bytes[row], out); return;
        case ValueKind::decimal:
            if (c.physical == PhysicalType::int32 || c.physical == PhysicalType::int64) append_decimal(d.ints[row], c.scale, out);
            else append_decimal(big_endian_signed(d.bytes[row]), c.scale, out);
            return;
        case ValueKind::date: {
            int64_t day = d.ints[row];
            if (day < -1000000 || day > 1000000) throw FormatError(fmt::format("date {} days from 1970 is out of range", day));
            out += format_day(static_cast<Day>(day));
            return;
        }
        case ValueKind::time: {
            int64_t per_s = units_per_second(c.unit);
            int64_t v = d.ints[row];
            int64_t s = floor_div(v, per_s);
            int64_t frac = v - s * per_s;
            out += fmt::format("{:02}:{:02}:{:02}", floor_div(s, 3600), (s / 60) % 60, s % 60);
            append_fraction(frac, c.unit, out);
            return;
        }
        case ValueKind::timestamp: {
            int64_t per_s = units_per_second(c.unit);
            int64_t v = d.ints[row];
            int64_t s = floor_div(v, per_s);
            int64_t frac = v - s * per_s;
            int64_t day = floor_div(s, 86400);
            int64_t sod = s - day * 86400;
            if (day < -1000000 || day > 1000000) throw FormatError(fmt::format("timestamp {} is out of range", v));
            out += format_day(static_cast<Day>(day));
            out += fmt::format("T{:02}:{:02}:{:02}", sod / 3600, (sod / 60) % 60, sod % 60);
            append_fraction(frac, c.unit, out);
            if (c.adjusted_to_utc) out += 'Z';
            return;
        }
        case ValueKind::uuid: {
            std::string hex;
            append_hex(d.bytes[row], hex);
            out += fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4), hex.substr(20));
            return;
        }
    }
}

TextColumn::TextColumn(const Column& c, const ColumnData& d, int min_digits) : data_(&d) {
    if (c.kind == ValueKind::string) {
        viewed_ = true;
        return;
    }
    offsets_.resize(d.rows + 1);
    arena_.reserve(d.rows * 8);
    const bool pad = min_digits > 0 && (c.kind == ValueKind::integer || c.kind == ValueKind::unsigned_integer);
    for (size_t i = 0; i < d.rows; ++i) {
        offsets_[i] = static_cast<uint32_t>(arena_.size());
        if (!d.valid[i]) continue;
        size_t start = arena_.size();
        append_value_text(c, d, i, arena_);
        if (pad && d.ints[i] >= 0 && arena_.size() - start < size_t(min_digits))
            arena_.insert(start, size_t(min_digits) - (arena_.size() - start), '0');
        if (arena_.size() > UINT32_MAX) throw FormatError("row group text exceeds 4 GiB");
    }
    offsets_[d.rows] = static_cast<uint32_t>(arena_.size());
}

}  // namespace mpdstat::parquet
