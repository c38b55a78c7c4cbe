#include "synth/options.hpp"

#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat::synth {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

double parse_rate(std::string_view key, std::string_view v) {
    double d = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), d);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size() || !(d >= 0 && d <= 0.5))
        throw usage_error(fmt::format("--faults: '{}' must be a rate between 0 and 0.5, got '{}'", key, v));
    return d;
}

int parse_int(std::string_view key, std::string_view v, int lo, int hi) {
    int d = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), d);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size() || d < lo || d > hi)
        throw usage_error(fmt::format("--faults: '{}' must be an integer in {}..{}, got '{}'", key, lo, hi, v));
    return d;
}

}  // namespace

Faults parse_faults(std::string_view text) {
    Faults f;
    text = trim(text);
    if (text.empty() || text == "none") return f;
    while (!text.empty()) {
        size_t comma = text.find(',');
        std::string_view item = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (item.empty()) continue;
        size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw usage_error(fmt::format("--faults: '{}' is not key=value", item));
        std::string_view k = trim(item.substr(0, eq)), v = trim(item.substr(eq + 1));
        if (k == "duplicates") f.duplicates = parse_rate(k, v);
        else if (k == "unknown_cells") f.unknown_cells = parse_rate(k, v);
        else if (k == "malformed") f.malformed = parse_rate(k, v);
        else if (k == "jumps") f.jumps = parse_rate(k, v);
        else if (k == "outage_day") f.outage_day = parse_int(k, v, -1, 100000);
        else if (k == "outage_hour") {
            size_t colon = v.find(':');
            if (colon == std::string_view::npos)
                throw usage_error(fmt::format("--faults: outage_hour must be DAY:HOUR (day index, local hour), got '{}'", v));
            f.outage_hour_day = parse_int("outage_hour day", v.substr(0, colon), 0, 100000);
            f.outage_hour = parse_int("outage_hour hour", v.substr(colon + 1), 0, 23);
        } else
            throw usage_error(fmt::format("--faults: unknown fault '{}' (known: duplicates, unknown_cells, malformed, jumps, "
                                          "outage_day, outage_hour)", k));
    }
    return f;
}

std::string format_faults(const Faults& f) {
    if (!f.any()) return "none";
    std::vector<std::string> parts;
    if (f.duplicates > 0) parts.push_back(fmt::format("duplicates={}", f.duplicates));
    if (f.unknown_cells > 0) parts.push_back(fmt::format("unknown_cells={}", f.unknown_cells));
    if (f.malformed > 0) parts.push_back(fmt::format("malformed={}", f.malformed));
    if (f.jumps > 0) parts.push_back(fmt::format("jumps={}", f.jumps));
    if (f.outage_day >= 0) parts.push_back(fmt::format("outage_day={}", f.outage_day));
    if (f.outage_hour_day >= 0) parts.push_back(fmt::format("outage_hour={}:{}", f.outage_hour_day, f.outage_hour));
    return fmt::format("{}", fmt::join(parts, ","));
}

std::string_view compression_suffix(OutCompression c) {
    switch (c) {
        case OutCompression::gzip: return ".gz";
        case OutCompression::zstd: return ".zst";
        default: return "";
    }
}

SynthOptions preset_options(std::string_view name) {
    SynthOptions o;
    o.preset = std::string(name);
    o.start = day_from_civil(2024, 3, 25);  // a Monday; the period holds Easter Monday and 4 April
    if (name == "test") {
        o.devices = 200;
        o.days = 5;
        o.start = day_from_civil(2024, 3, 28);  // Thu .. Mon (Easter Monday, a holiday)
        o.regions = 3, o.districts = 8, o.communes = 30;
        o.population = 400'000;
        o.site_spacing_km = 16;
        o.urban_sites = 80;
        o.events_median = 20, o.events_sigma = 0.8;
        o.share_iot = 0.02, o.share_inbound = 0.05;
        o.trips_per_week = 0.15, o.outbound_per_week = 0.05, o.share_migrants = 0.05;
        o.disaster_day = 3;
    } else if (name == "demo") {
        o.devices = 5000;
        o.days = 14;
        o.events_median = 12, o.events_sigma = 1.0;
        o.disaster_day = 9;
        o.faults = parse_faults("duplicates=0.005,unknown_cells=0.001,malformed=0.001,jumps=0.001,outage_hour=5:10");
    } else if (name == "cdr") {
        o.devices = 20000;
        o.days = 42;
        o.events_median = 4, o.events_sigma = 1.2;
        o.data_share = 0.1;
        o.disaster_day = 30;
    } else if (name == "xdr") {
        o.devices = 2000;
        o.days = 14;
        o.events_median = 150, o.events_sigma = 0.6;
        o.data_share = 0.9;
        o.disaster_day = 9;
    } else if (name == "bench") {
        o.devices = 110000;
        o.days = 14;
        o.events_median = 60, o.events_sigma = 0.7;
        o.data_share = 0.8;
        o.compression = OutCompression::zstd;
    } else {
        throw usage_error(fmt::format("unknown preset '{}' (known: test, demo, cdr, xdr, bench)", name));
    }
    return o;
}

}  // namespace mpdstat::synth
