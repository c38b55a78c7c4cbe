#include "ingest/row_parser.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int to_int(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

std::optional<double> to_double(std::string_view s) {
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

ColumnMap ColumnMap::from_header(const std::vector<std::string>& header, const EventColumns& c, const std::string& file) {
    ColumnMap m;
    m.fields = header.size();
    // A column named in the config must be in the header: a misspelt mapping
    // would otherwise drop a field silently.
    auto find = [&](const std::string& name, const char* key) -> int {
        if (name.empty()) return -1;
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        throw data_error(fmt::format("{}:1: no column '{}' (input.columns.{}) in the header; the header has: {}", file,
                                         name, key, fmt::join(header, ", ")));
    };
    m.user = find(c.user_id, "user_id");
    m.timestamp = find(c.timestamp, "timestamp");
    m.cell = find(c.cell_id, "cell_id");
    m.type = find(c.event_type, "event_type");
    m.mcc = find(c.mcc, "mcc");
    m.mnc = find(c.mnc, "mnc");
    m.plmn = find(c.plmn, "plmn");
    m.lat = find(c.lat, "lat");
    m.lon = find(c.lon, "lon");
    m.duration = find(c.duration, "duration");
    return m;
}

bool is_valid_utf8(std::string_view s) {
    size_t i = 0, n = s.size();
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

std::string sanitised_record(const CsvRecord& rec, int user_field, uint64_t device, char delim) {
    std::string out;
    for (size_t i = 0; i < rec.size(); ++i) {
        if (i) out += delim;
        std::string field;
        if (static_cast<int>(i) == user_field) {
            field = device ? "pseudonym:" + device_hex(device) : std::string();
        } else if (is_valid_utf8(rec[i])) {
            field = std::string(rec[i]);
        } else {
            for (unsigned char c : rec[i]) {
                if (c < 0x80) field += static_cast<char>(c);
                else field += fmt::format("\\x{:02X}", c);
            }
        }
        bool quote = field.find_first_of(std::string{delim, '"', '\n', '\r'}) != std::string::npos;
        if (quote) {
            std::string q = "\"";
            for (char c : field) {
                if (c == '"') q += '"';
                q += c;
            }
            q += '"';
            field = std::move(q);
        }
        out += field;
    }
    return out;
}

// An eighth of the memory budget, shared by the parse threads, at ~80 bytes an
// entry: enough to hold every subscriber of a day for most operators, so the
// keyed hash is computed about once per subscriber rather than once per row.
size_t pseudonym_cache_entries(const Config& config) {
    uint64_t per_thread = config.run.memory_limit / 8 / static_cast<uint64_t>(config.thread_count()) / 80;
    return static_cast<size_t>(std::clamp<uint64_t>(per_thread, 1 << 16, 1 << 24));
}

RowParser::RowParser(const Config& config, const CellPlan& cells, const Pseudonymiser& p)
    : config_(config), cells_(cells), ids_(p, pseudonym_cache_entries(config)), ts_(config.input.timestamp_format, config.input.timezone),
      period_begin_ms_(int64_t(config.input.period_start) * kMsPerDay),
      period_end_ms_(int64_t(config.input.period_end + 1) * kMsPerDay) {}

void RowParser::prefetch(const CsvRecord& rec, const ColumnMap& m) const noexcept {
    if (static_cast<size_t>(m.user) < rec.size()) ids_.prefetch(trim(rec[static_cast<size_t>(m.user)]));
    if (static_cast<size_t>(m.cell) < rec.size()) cells_.prefetch(trim(rec[static_cast<size_t>(m.cell)]));
}

RowVerdict RowParser::parse(const CsvRecord& rec, const ColumnMap& m, IngestRow& out, const TypedTime* typed_time) {
    out.event = Event{};
    auto field = [&](int i) { return i < 0 ? std::string_view() : trim(rec[static_cast<size_t>(i)]); };
    // Pseudonymise first so even a rejected row is quarantined without the raw id.
    if (static_cast<size_t>(m.user) < rec.size()) {
        std::string_view u = field(m.user);
        if (!u.empty()) out.event.device = ids_.device(u);
    }
    if (rec.size() != m.fields) return {Reject::wrong_column_count, "row"};
    if (!rec.known_ascii())
        for (auto f : rec.fields())
            for (char c : f)
                if (static_cast<unsigned char>(c) >= 0x80) {
                    if (!is_valid_utf8(f)) return {Reject::invalid_utf8, "row"};
                    break;
                }
    if (field(m.user).empty()) return {Reject::missing_user_id, "user_id"};
    int64_t utc = 0;
    if (typed_time) {
        utc = typed_time->local ? ts_.clock().to_utc_ms(typed_time->ms) : typed_time->ms;
    } else {
        std::string_view ts = field(m.timestamp);
        if (ts.empty()) return {Reject::missing_timestamp, "timestamp"};
        if (!ts_.parse(ts, utc)) return {Reject::bad_timestamp, "timestamp"};
    }
    Event& e = out.event;
    e.time_ms = utc;
    int64_t local = ts_.clock().to_local_ms(e.time_ms);
    if (local < period_begin_ms_ || local >= period_end_ms_) return {Reject::outside_period, "timestamp"};

    if (m.mcc >= 0) {
        std::string_view v = field(m.mcc);
        if (!v.empty()) {
            if (v.size() != 3 || !all_digits(v) || to_int(v) < 100) return {Reject::bad_mcc, "mcc"};
            e.mcc = static_cast<uint16_t>(to_int(v));
        }
    }
    if (m.mnc >= 0) {
        std::string_view v = field(m.mnc);
        if (!v.empty()) {
            if (v.size() < 2 || v.size() > 3 || !all_digits(v)) return {Reject::bad_mnc, "mnc"};
            e.mnc = static_cast<uint16_t>(to_int(v));
        }
    }
    if (m.plmn >= 0) {
        std::string_view v = field(m.plmn);
        if (!v.empty()) {
            // MCC (3 digits) + MNC (2 or 3 digits): 6-digit PLMNs are valid.
            if (v.size() < 5 || v.size() > 6 || !all_digits(v) || to_int(v.substr(0, 3)) < 100)
                return {Reject::bad_plmn, "plmn"};
            e.serving_mcc = static_cast<uint16_t>(to_int(v.substr(0, 3)));
            e.serving_mnc = static_cast<uint16_t>(to_int(v.substr(3)));
        }
    }
    const int local_mcc = config_.input.local_mcc;
    if (e.mcc != 0 && e.mcc != local_mcc) e.domain = Domain::inbound;
    else if (e.serving_mcc != 0 && e.serving_mcc != local_mcc) e.domain = Domain::outbound;

    if (m.lat >= 0) {
        std::string_view la = field(m.lat), lo = field(m.lon);
        if (!la.empty() || !lo.empty()) {
            auto lat = to_double(la), lon = to_double(lo);
            if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) return {Reject::bad_coordinates, "lat/lon"};
            if (const auto& b = config_.cleaning.bbox; b && (*lon < (*b)[0] || *lat < (*b)[1] || *lon > (*b)[2] || *lat > (*b)[3]))
                return {Reject::bad_coordinates, "lat/lon"};
            e.lat = static_cast<float>(*lat);
            e.lon = static_cast<float>(*lon);
        }
    }
    if (m.duration >= 0) {
        std::string_view v = field(m.duration);
        if (v.size() <= 9 && all_digits(v)) {  // whole seconds, the usual form: no floating-point read
            const int d = to_int(v);
            if (d > 10'000'000) return {Reject::bad_duration, "duration"};
            e.duration_s = static_cast<uint32_t>(d);
        } else if (!v.empty()) {
            auto d = to_double(v);
            if (!d || *d < 0 || *d > 1e7) return {Reject::bad_duration, "duration"};
            e.duration_s = static_cast<uint32_t>(std::lround(*d));
        }
    }
    if (m.type >= 0) e.type = parse_event_type(field(m.type));

    if (e.domain != Domain::outbound) {
        std::string_view raw = m.cell >= 0 ? field(m.cell) : std::string_view();
        if (raw.empty()) return {Reject::missing_cell_id, "cell_id"};
        Day day = floor_day(local);
        bool known = false;
        uint32_t idx;
        // Fast path: the id is already in normal form.
        bool plain = raw.find('.') == std::string_view::npos;
        if (plain) idx = cells_.find(raw, day, known);
        else idx = cells_.find(normalise_cell_id(raw), day, known);
        if (!known) return {Reject::unknown_cell, "cell_id"};
        if (idx == CellPlan::npos) return {Reject::cell_not_valid, "cell_id"};
        e.cell = idx;
    }
    return {};
}

}  // namespace mpdstat
